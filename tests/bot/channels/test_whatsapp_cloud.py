"""WhatsApp Cloud API: real webhook payloads, interactive buttons within WhatsApp's limits,
media through the Graph API, and the 24-hour window for proactive messages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.channels import whatsapp_cloud
from bot.channels.inbound import Media
from bot.config import Settings


def webhook(*messages: dict, statuses: list | None = None) -> dict:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": "16315551234"}],
        "messages": list(messages),
    }
    if statuses is not None:
        value = {k: v for k, v in value.items() if k != "messages"} | {"statuses": statuses}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def message(
    kind: str, content: dict, wamid: str = "wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
) -> dict:
    return {"from": "16315551234", "id": wamid, "timestamp": "1795440000", "type": kind, kind: content}


SHALL_I = {
    "text": "Shall I go ahead?",
    "buttons": [
        {"title": "Yes, go ahead", "payload": "/affirm"},
        {"title": "Other options", "payload": "/deny"},
        {"title": "Talk to a person", "payload": "/human_handoff"},
    ],
}


def test_text_image_document_and_button_replies() -> None:
    [text] = whatsapp_cloud.parse_webhook(webhook(message("text", {"body": "Hello this is an answer"})))
    assert (text.conversation_id, text.text, text.locale) == (
        "whatsapp_cloud:16315551234",
        "Hello this is an answer",
        None,
    )
    assert text.sent_at == datetime.fromtimestamp(1795440000, timezone.utc)
    image = {"caption": "broken", "mime_type": "image/jpeg", "sha256": "abc=", "id": "1479537139650973"}
    [photo] = whatsapp_cloud.parse_webhook(webhook(message("image", image)))
    assert photo.media == (Media("1479537139650973", "image/jpeg", None),) and photo.text == "broken"
    document = {"filename": "receipt.pdf", "mime_type": "application/pdf", "sha256": "x", "id": "4455"}
    [pdf] = whatsapp_cloud.parse_webhook(webhook(message("document", document)))
    assert pdf.media == (Media("4455", "application/pdf", "receipt.pdf"),)
    reply = {"type": "button_reply", "button_reply": {"id": "/affirm", "title": "Yes, go ahead"}}
    [pressed] = whatsapp_cloud.parse_webhook(webhook(message("interactive", reply)))
    assert (pressed.payload, pressed.text) == ("/affirm", "Yes, go ahead")
    listed = {
        "type": "list_reply",
        "list_reply": {"id": "/deny", "title": "Other options", "description": ""},
    }
    assert whatsapp_cloud.parse_webhook(webhook(message("interactive", listed)))[0].payload == "/deny"


def test_statuses_reactions_and_other_objects_are_not_messages() -> None:
    status = {
        "id": "wamid.x",
        "status": "delivered",
        "timestamp": "1795440001",
        "recipient_id": "16315551234",
    }
    assert whatsapp_cloud.parse_webhook(webhook(statuses=[status])) == []
    reaction = {"message_id": "wamid.y", "emoji": "👍"}
    assert whatsapp_cloud.parse_webhook(webhook(message("reaction", reaction))) == []
    assert whatsapp_cloud.parse_webhook({"object": "page", "entry": []}) == []
    [voice] = whatsapp_cloud.parse_webhook(webhook(message("audio", {"mime_type": "audio/ogg", "id": "77"})))
    assert voice.unsupported == "audio"


def test_up_to_three_short_buttons_are_reply_buttons(platforms: Settings) -> None:
    [call] = whatsapp_cloud.WhatsAppCloud(platforms).render("16315551234", SHALL_I)
    assert call.url.endswith("/v19.0/106540352242922/messages")
    assert call.headers == {"Authorization": f"Bearer {platforms.whatsapp_cloud.token}"}
    assert call.json["type"] == "interactive" and call.json["to"] == "16315551234"
    interactive = call.json["interactive"]
    assert interactive["body"] == {"text": "Shall I go ahead?"}
    assert [b["reply"] for b in interactive["action"]["buttons"]] == [
        {"id": "/affirm", "title": "Yes, go ahead"},
        {"id": "/deny", "title": "Other options"},
        {"id": "/human_handoff", "title": "Talk to a person"},
    ]


def test_long_titles_stay_whole_in_the_text_with_numbered_buttons(platforms: Settings) -> None:
    german = {
        "text": "Soll ich das veranlassen?",
        "buttons": [
            {"title": "Ja, bitte veranlassen", "payload": "/affirm"},
            {"title": "Andere Möglichkeiten", "payload": "/deny"},
            {"title": "Mit einem Menschen sprechen", "payload": "/human_handoff"},
        ],
    }
    [call] = whatsapp_cloud.WhatsAppCloud(platforms).render("4915123456789", german)
    interactive = call.json["interactive"]
    assert interactive["body"]["text"] == (
        "Soll ich das veranlassen?\n\n"
        "1. Ja, bitte veranlassen\n2. Andere Möglichkeiten\n3. Mit einem Menschen sprechen"
    )
    assert [(b["reply"]["title"], b["reply"]["id"]) for b in interactive["action"]["buttons"]] == [
        ("1", "/affirm"),
        ("2", "/deny"),
        ("3", "/human_handoff"),
    ]


def test_more_than_three_choices_become_numbered_text(platforms: Settings) -> None:
    remedies = {
        "text": "What would you prefer?",
        "buttons": [{"title": t, "payload": f"/{t}"} for t in "ABCD"],
    }
    [call] = whatsapp_cloud.WhatsAppCloud(platforms).render("1", remedies)
    assert call.json["type"] == "text"
    assert call.json["text"]["body"] == "What would you prefer?\n\n1. A\n2. B\n3. C\n4. D"


def test_media_is_looked_up_then_downloaded_with_the_token(platforms: Settings, stub) -> None:
    media_id = stub.add_media(b"\x89PNG fake", "image/png")
    assert whatsapp_cloud.WhatsAppCloud(platforms).fetch_media(Media(media_id), 1000) == b"\x89PNG fake"


def test_proactive_outside_the_window_needs_the_template(platforms: Settings, monkeypatch) -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    bot = whatsapp_cloud.WhatsAppCloud(platforms)
    status, _, [call] = bot.proactive("1", "Your parcel left today.", now - timedelta(hours=2), now, None)
    assert status == "sent" and call.json["text"]["body"] == "Your parcel left today."
    status, why, calls = bot.proactive("1", "Your parcel left today.", now - timedelta(hours=30), now, None)
    assert (status, calls) == ("not_sent", []) and "WHATSAPP_TEMPLATE" in why

    monkeypatch.setenv("WHATSAPP_TEMPLATE", "agent_reply")
    from bot.config import get_settings

    bot = whatsapp_cloud.WhatsAppCloud(get_settings())
    status, _, [call] = bot.proactive("1", "Your parcel left today.", None, now, "pt_BR")
    assert status == "sent_template"
    assert call.json["template"] == {
        "name": "agent_reply",
        "language": {"code": "pt_BR"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Your parcel left today."}]}],
    }
