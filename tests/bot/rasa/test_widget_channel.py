"""The web widget channel's own logic: session ids, message metadata, the history it redraws after
a reload, and the settings it hands the widget (labels in 14 languages, photo limits).  The
channel's Socket.IO and HTTP routes run in tests/e2e/test_widget.py, in a browser."""

from __future__ import annotations

import json
import re

from bot.language.codes import normalize
from bot.policy import load_policy
from bot.rasa.widget_channel import (
    ASSETS,
    LABELS_FILE,
    history,
    is_session_id,
    message_metadata,
    widget_settings,
)

LANGUAGES = ("en", "zh", "es", "fr", "de", "pt", "it", "ru", "ja", "ko", "ar", "tr", "nl", "pl")


def test_only_the_channels_own_session_ids_are_accepted() -> None:
    assert is_session_id("0123456789abcdef0123456789abcdef")
    for other in ("+4915123456789", "me", "0123456789ABCDEF0123456789ABCDEF", "0" * 31, "0" * 33, None, 12):
        assert not is_session_id(other)


def test_only_the_locale_is_kept_from_a_messages_metadata() -> None:
    assert message_metadata({"metadata": {"locale": "ar-EG", "user_id": "42", "html": "<b>"}}) == {
        "locale": "ar-EG"
    }
    assert message_metadata({"metadata": {"locale": "x" * 500}}) == {"locale": "x" * 35}
    assert message_metadata({"metadata": "locale=de"}) == {}
    assert message_metadata({"metadata": {"locale": ["de"]}}) == {}
    assert message_metadata({}) == {}


def bot(text: str, timestamp: float, **data: object) -> dict:
    return {"event": "bot", "text": text, "timestamp": timestamp, "data": data}


def user(text: str, timestamp: float) -> dict:
    return {"event": "user", "text": text, "timestamp": timestamp, "input_channel": "widget"}


def test_history_shows_what_the_customer_saw() -> None:
    buttons = [
        {"title": "Yes, go ahead", "payload": "/affirm"},
        {"title": "Talk to a person", "payload": "/human_handoff"},
    ]
    events = [
        {"event": "action", "name": "action_session_start", "timestamp": 1.0},
        {"event": "session_started", "timestamp": 1.0},
        user("/greet", 2.0),  # the widget's opening: never shown
        bot("Hello!", 2.1),
        user("my mug <b>broke</b>", 3.0),
        bot("Sorry to hear that.\n\nWhat is your order number?", 3.1),
        {"event": "slot", "name": "language", "value": "en", "timestamp": 3.1},
        user('/upload_photo{"photo_id": "abc"}', 4.0),
        bot("Shall I go ahead?", 4.1, buttons=buttons),
        user("/affirm", 5.0),
        bot("Here is the label", 5.1, image="https://example.com/label.png"),
    ]
    assert history(events) == [
        {"sender": "bot", "text": "Hello!", "timestamp": 2.1},
        {"sender": "user", "text": "my mug <b>broke</b>", "timestamp": 3.0},
        {"sender": "bot", "text": "Sorry to hear that.", "timestamp": 3.1},
        {"sender": "bot", "text": "What is your order number?", "timestamp": 3.1},
        {"sender": "user", "photo": True, "timestamp": 4.0},
        {"sender": "bot", "text": "Shall I go ahead?", "timestamp": 4.1, "buttons": buttons},
        {"sender": "user", "text": "Yes, go ahead", "timestamp": 5.0},
        {"sender": "bot", "text": "Here is the label", "timestamp": 5.1},
        {"sender": "bot", "image": "https://example.com/label.png", "timestamp": 5.1},
    ]


def test_history_starts_at_the_latest_session_and_keeps_buttons_on_the_last_part() -> None:
    quick = [{"title": "1", "payload": '/rate{"rating": 1}'}]
    events = [
        user("old session", 1.0),
        {"event": "session_started", "timestamp": 7200.0},
        bot(
            "Thanks!\n\nHow would you rate us?", 7201.0, quick_replies=[{**quick[0], "content_type": "text"}]
        ),
        user('/rate{"rating": 1}', 7202.0),
        user("/something_unknown", 7203.0),
        user('/upload_failed{"reason": "not_image"}', 7204.0),
    ]
    assert history(events) == [
        {"sender": "bot", "text": "Thanks!", "timestamp": 7201.0},
        {"sender": "bot", "text": "How would you rate us?", "timestamp": 7201.0, "buttons": quick},
        {"sender": "user", "text": "1", "timestamp": 7202.0},
        {"sender": "user", "photo": True, "timestamp": 7204.0},
    ]


def test_labels_exist_in_all_14_languages() -> None:
    labels = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    assert sorted(labels) == sorted(LANGUAGES)
    keys = set(labels["en"])
    for language, texts in labels.items():
        assert normalize(language) == language
        assert set(texts) == keys, language
        assert all(isinstance(t, str) and t.strip() for t in texts.values()), language
        assert "{mb}" in texts["error_size"], language
        if language != "en":  # translated, not copied (a short word like "Foto" may coincide)
            same = {k for k in keys if texts[k] == labels["en"][k]}
            assert len(same) <= 3, (language, same)


def test_settings_carry_the_labels_and_the_photo_limits_of_the_policy() -> None:
    settings = widget_settings()
    assert set(settings["labels"]) == set(LANGUAGES)
    assert settings["max_photo_bytes"] == load_policy().upload.max_photo_mb * 1024 * 1024
    assert settings["photo_types"] == ["image/jpeg", "image/png", "image/webp", "image/gif"]


def test_the_widget_files_are_in_the_repository() -> None:
    for name, (path, _) in ASSETS.items():
        if name != "socket.io.min.js":  # installed by `make install` (npm ci)
            assert path.is_file(), path
    source = ASSETS["widget.js"][0].read_text(encoding="utf-8")
    # Customer and bot text reaches the page as text only.
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source)
