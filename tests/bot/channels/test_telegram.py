"""Telegram: real update payloads parsed, the secret header checked, replies rendered as Bot API
calls, files fetched through getFile (from the stub)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.channels import telegram
from bot.channels.inbound import Media
from bot.config import Settings
from bot.evidence import EvidenceError

# Shapes as Telegram posts them (Bot API 7.x), trimmed of fields we do not read.
TEXT_UPDATE = {
    "update_id": 813245001,
    "message": {
        "message_id": 52,
        "from": {"id": 382910471, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
        "chat": {"id": 382910471, "first_name": "Анна", "type": "private"},
        "date": 1795440000,
        "text": "Здравствуйте, в посылке не хватает кружки",
    },
}
PHOTO_UPDATE = {
    "update_id": 813245002,
    "message": {
        "message_id": 53,
        "from": {"id": 382910471, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
        "chat": {"id": 382910471, "type": "private"},
        "date": 1795440060,
        "photo": [
            {
                "file_id": "AgACAgIAAxkBAAIBsmall",
                "file_unique_id": "AQADs",
                "file_size": 1416,
                "width": 90,
                "height": 67,
            },
            {
                "file_id": "AgACAgIAAxkBAAIBlarge",
                "file_unique_id": "AQADl",
                "file_size": 88120,
                "width": 1280,
                "height": 960,
            },
        ],
        "caption": "вот что пришло",
    },
}
CALLBACK_UPDATE = {
    "update_id": 813245003,
    "callback_query": {
        "id": "4382bfdwdsb323b2d9",
        "from": {"id": 382910471, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
        "message": {
            "message_id": 54,
            "chat": {"id": 382910471, "type": "private"},
            "date": 1795440100,
            "text": "…",
        },
        "chat_instance": "-7305938201784751",
        "data": "/affirm",
    },
}


def test_a_text_message_with_the_customers_language() -> None:
    [inbound] = telegram.parse_update(TEXT_UPDATE)
    assert inbound.conversation_id == "telegram:382910471"
    assert (inbound.message_id, inbound.text, inbound.locale) == (
        "813245001",
        "Здравствуйте, в посылке не хватает кружки",
        "ru",
    )
    assert inbound.sent_at == datetime.fromtimestamp(1795440000, timezone.utc)
    assert inbound.metadata()["locale"] == "ru"  # read by actions/language.py as the first-turn prior


def test_a_photo_takes_the_largest_size_and_keeps_the_caption() -> None:
    [inbound] = telegram.parse_update(PHOTO_UPDATE)
    assert inbound.media == (Media("AgACAgIAAxkBAAIBlarge", "image/jpeg", None, 88120),)
    assert inbound.text == "вот что пришло"


def test_a_document_a_button_press_a_sticker_and_an_edit() -> None:
    document = {
        "file_name": "receipt.pdf",
        "mime_type": "application/pdf",
        "file_id": "BQACAgIA",
        "file_size": 5120,
    }
    [doc] = telegram.parse_update(
        {"update_id": 1, "message": TEXT_UPDATE["message"] | {"text": None, "document": document}}
    )
    assert doc.media == (Media("BQACAgIA", "application/pdf", "receipt.pdf", 5120),)
    [press] = telegram.parse_update(CALLBACK_UPDATE)
    assert (press.payload, press.callback_id, press.user_id, press.locale) == (
        "/affirm",
        "4382bfdwdsb323b2d9",
        "382910471",
        "ru",
    )
    sticker = {"file_id": "CAACAgIAAxk", "emoji": "👍", "width": 512, "height": 512, "is_animated": False}
    [thumbs] = telegram.parse_update(
        {"update_id": 2, "message": TEXT_UPDATE["message"] | {"text": None, "sticker": sticker}}
    )
    assert thumbs.unsupported == "sticker" and thumbs.text == ""
    assert telegram.parse_update({"update_id": 3, "edited_message": TEXT_UPDATE["message"]}) == []
    with pytest.raises(KeyError):
        telegram.parse_update({"message": TEXT_UPDATE["message"]})  # no update_id: not from Telegram


def test_the_secret_header_must_match() -> None:
    assert telegram.verify_secret("s3cr3t_token", "s3cr3t_token")
    assert not telegram.verify_secret("s3cr3t_token", "s3cr3t_tokeN")
    assert not telegram.verify_secret("s3cr3t_token", None)
    assert not telegram.verify_secret("s3cr3t_token", "")


def test_buttons_become_an_inline_keyboard(platforms: Settings) -> None:
    bot = telegram.Telegram(platforms)
    message = {
        "text": "Shall I go ahead?",
        "buttons": [
            {"title": "Да, оформить", "payload": "/affirm"},
            {
                "title": "Другие варианты",
                "payload": "/choose_remedy" + '{"remedy": "return_refund_with_a_much_longer_name_than_fits"}',
            },
        ],
    }
    [call] = bot.render("382910471", message)
    assert call.url.endswith(f"/bot{platforms.telegram.token}/sendMessage")
    assert platforms.telegram.token not in call.label  # labels reach logs; the token must not
    keyboard = call.json["reply_markup"]["inline_keyboard"]
    assert keyboard[0] == [{"text": "Да, оформить", "callback_data": "/affirm"}]
    assert keyboard[1] == [{"text": "Другие варианты", "callback_data": "#2"}]  # over 64 bytes: its number


def test_long_text_is_split_and_an_image_goes_as_a_photo(platforms: Settings) -> None:
    bot = telegram.Telegram(platforms)
    calls = bot.render("1", {"text": "word " * 1000, "image": "https://shop.example.com/label.png"})
    assert [c.label for c in calls] == ["telegram sendPhoto", "telegram sendMessage", "telegram sendMessage"]
    assert calls[0].json == {"chat_id": "1", "photo": "https://shop.example.com/label.png"}
    assert all(len(c.json["text"]) <= telegram.TEXT_LIMIT for c in calls[1:])


def test_send_reaches_the_api_and_the_press_is_acknowledged(platforms: Settings, stub) -> None:
    bot = telegram.Telegram(platforms)
    [answer] = bot.send("382910471", {"text": "Привет"})
    assert answer["ok"] is True
    [press] = telegram.parse_update(CALLBACK_UPDATE)
    assert bot.acknowledge(press).json == {"callback_query_id": "4382bfdwdsb323b2d9"}
    assert bot.acknowledge(telegram.parse_update(TEXT_UPDATE)[0]) is None
    assert stub.sent("telegram", "382910471")[0]["body"] == {"chat_id": "382910471", "text": "Привет"}


def test_files_are_fetched_through_get_file(platforms: Settings, stub) -> None:
    bot = telegram.Telegram(platforms)
    file_id = stub.add_media(b"\xff\xd8\xff photo bytes")
    assert bot.fetch_media(Media(file_id), limit=1000) == b"\xff\xd8\xff photo bytes"
    with pytest.raises(EvidenceError) as too_large:
        bot.fetch_media(Media(file_id), limit=5)
    assert too_large.value.code == "too_large"
    with pytest.raises(EvidenceError) as unknown:
        bot.fetch_media(Media("no-such-file"), limit=1000)
    assert unknown.value.code == "download_failed"
