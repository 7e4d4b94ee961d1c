"""Messenger: real webhook events, quick replies within Messenger's limits, and message tags
outside the 24-hour window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.channels import messenger
from bot.channels.inbound import Media
from bot.config import Settings, get_settings


def webhook(event: dict) -> dict:
    base = {
        "sender": {"id": "6754123450981234"},
        "recipient": {"id": "1094857263"},
        "timestamp": 1795440000123,
    }
    return {
        "object": "page",
        "entry": [{"id": "1094857263", "time": 1795440000200, "messaging": [base | event]}],
    }


def test_text_quick_reply_postback_and_attachments() -> None:
    [text] = messenger.parse_webhook(
        webhook({"message": {"mid": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM", "text": "hello, world!"}})
    )
    assert (text.conversation_id, text.message_id, text.text) == (
        "messenger:6754123450981234",
        "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM",
        "hello, world!",
    )
    assert text.sent_at == datetime.fromtimestamp(1795440000.123, timezone.utc)
    quick = {"message": {"mid": "m_2", "text": "Yes, go ahead", "quick_reply": {"payload": "/affirm"}}}
    assert messenger.parse_webhook(webhook(quick))[0].payload == "/affirm"
    postback = {"postback": {"title": "Get Started", "payload": "/greet", "mid": "m_3"}}
    [started] = messenger.parse_webhook(webhook(postback))
    assert (started.payload, started.message_id) == ("/greet", "m_3")
    url = "https://scontent.xx.fbcdn.net/v/t1.15752-9/123_n.jpg?_nc_cat=1"
    photo = {"message": {"mid": "m_4", "attachments": [{"type": "image", "payload": {"url": url}}]}}
    assert messenger.parse_webhook(webhook(photo))[0].media == (Media(url),)
    audio = {"message": {"mid": "m_5", "attachments": [{"type": "audio", "payload": {"url": url}}]}}
    assert messenger.parse_webhook(webhook(audio))[0].unsupported == "audio"


def test_echoes_deliveries_and_reads_are_not_customer_messages() -> None:
    echo = {"message": {"mid": "m_6", "is_echo": True, "app_id": 1517776481860111, "text": "our reply"}}
    delivery = {"delivery": {"mids": ["m_6"], "watermark": 1795440000000}}
    read = {"read": {"watermark": 1795440000000}}
    assert [messenger.parse_webhook(webhook(e)) for e in (echo, delivery, read)] == [[], [], []]
    assert messenger.parse_webhook({"object": "instagram", "entry": []}) == []


def test_buttons_become_quick_replies(platforms: Settings) -> None:
    message = {"text": "Shall I go ahead?", "buttons": [{"title": "Yes, go ahead", "payload": "/affirm"}]}
    [call] = messenger.Messenger(platforms).render("6754123450981234", message)
    assert call.url.endswith("/v19.0/me/messages") and call.params == {
        "access_token": platforms.messenger.page_token
    }
    assert call.json == {
        "recipient": {"id": "6754123450981234"},
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Shall I go ahead?",
            "quick_replies": [{"content_type": "text", "title": "Yes, go ahead", "payload": "/affirm"}],
        },
    }


def test_long_titles_and_too_many_choices(platforms: Settings) -> None:
    bot = messenger.Messenger(platforms)
    long = {
        "text": "¿Le parece bien?",
        "buttons": [{"title": "Sí, adelante con el reenvío", "payload": "/affirm"}],
    }
    [call] = bot.render("1", long)
    assert call.json["message"]["text"] == "¿Le parece bien?\n\n1. Sí, adelante con el reenvío"
    assert call.json["message"]["quick_replies"] == [
        {"content_type": "text", "title": "1", "payload": "/affirm"}
    ]
    many = {"text": "Pick one", "buttons": [{"title": str(n), "payload": f"/p{n}"} for n in range(1, 15)]}
    [call] = bot.render("1", many)
    assert "quick_replies" not in call.json["message"]  # 14 > 13: the customer types the number


def test_proactive_within_the_window_with_the_tag_or_not_at_all(platforms: Settings, monkeypatch) -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    status, _, [call] = messenger.Messenger(platforms).proactive(
        "1", "Hi", now - timedelta(hours=1), now, None
    )
    assert status == "sent"
    status, why, calls = messenger.Messenger(platforms).proactive(
        "1", "Hi", now - timedelta(days=2), now, None
    )
    assert (status, calls) == ("not_sent", []) and "MESSENGER_TAG" in why

    monkeypatch.setenv("MESSENGER_TAG", "HUMAN_AGENT")
    bot = messenger.Messenger(get_settings())
    status, _, [call] = bot.proactive(
        "1", "A colleague checked your case.", now - timedelta(days=2), now, None
    )
    assert status == "sent_tagged"
    assert (call.json["messaging_type"], call.json["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    status, why, calls = bot.proactive("1", "Too late", now - timedelta(days=8), now, None)
    assert (status, calls) == ("not_sent", []) and "7 days" in why


def test_attachments_download_without_a_token(platforms: Settings, stub) -> None:
    key = stub.add_media(b"jpeg bytes")
    assert messenger.Messenger(platforms).fetch_media(Media(stub.messenger_url(key)), 100) == b"jpeg bytes"
