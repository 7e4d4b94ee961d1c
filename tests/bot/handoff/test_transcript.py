"""Transcripts from real-shaped tracker JSON, translated through the LibreTranslate peer."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.handoff.transcript import agent_entry, from_tracker_events
from bot.translation.libretranslate_peer import peer_stats, set_fault

from .conftest import T0, ar_conversation, bot, user, zh_conversation


def test_a_chinese_conversation_for_an_english_agent(peer_translator: str) -> None:
    entries = from_tracker_events(zh_conversation(), "en")
    assert [e.role for e in entries] == ["customer", "bot", "customer", "bot", "customer"]
    first = entries[0]
    assert first.text == "你好，我的包裹少了一件东西"
    assert first.language == "zh" and first.translated_language == "en"
    # The peer marks what it machine-translated: "[en] <text>".
    assert first.translated_text == "[en] 你好，我的包裹少了一件东西"
    assert first.at == datetime.fromtimestamp(T0 + 1, timezone.utc)
    # Bot replies are in the conversation's language (the slot) and translated too.
    assert entries[1].language == "zh" and entries[1].translated_text == "[en] 请告诉我您的订单号。"
    # The order number was protected from the translator.
    assert entries[2].translated_text is not None and "SO-100231" in entries[2].translated_text
    assert all(e.translated for e in entries)


def test_an_arabic_conversation_for_a_chinese_speaking_agent(peer_translator: str) -> None:
    entries = from_tracker_events(ar_conversation(), "zh")
    assert [e.role for e in entries] == ["customer", "bot", "bot", "customer"]
    assert entries[0].language == "ar"
    assert entries[0].translated_text == "[zh] وصل الكوب مكسورا"
    # An image reply keeps its link; the customer's markup is kept as text, word for word.
    assert entries[2].text == "[image] https://shop.example/help/photo-guide.png"
    assert entries[3].text.startswith("<script>alert(1)</script>")


def test_a_message_already_translated_for_understanding_is_not_translated_again(peer_translator: str) -> None:
    events = [
        user(
            "Kan jag prata med en person?",
            T0,
            "sv",
            intent="request_human",
            understood="Can I talk to a person?",
            original_text="Kan jag prata med en person?",
            translated_from="sv",
        )
    ]
    entries = from_tracker_events(events, "en")
    assert entries[0].language == "sv" and entries[0].translated_text == "Can I talk to a person?"
    assert peer_stats(peer_translator)["translate"] == 0


def test_same_language_needs_no_translator(peer_translator: str) -> None:
    entries = from_tracker_events(zh_conversation(), "zh")
    assert all(e.translated_text == e.text for e in entries)


def test_translator_down_keeps_every_original(peer_translator: str) -> None:
    set_fault(peer_translator, "500")
    entries = from_tracker_events(ar_conversation(), "en")
    assert len(entries) == 4
    assert [e.text for e in entries][0] == "وصل الكوب مكسورا"
    assert not any(e.translated for e in entries)  # marked untranslated, nothing lost


def test_no_translator_configured_keeps_every_original(monkeypatch, db_url: str) -> None:
    from bot.translation.service import reset_translator

    monkeypatch.setenv("TRANSLATOR", "none")
    monkeypatch.setenv("DATABASE_URL", db_url)
    reset_translator()
    try:
        entries = from_tracker_events(zh_conversation(), "en")
    finally:
        reset_translator()
    assert len(entries) == 5 and not any(e.translated for e in entries)


def test_an_agents_reply_is_translated_for_the_customer(peer_translator: str) -> None:
    entry = agent_entry("We will send a new mug today.", "en", "ar")
    assert entry.role == "agent" and entry.language == "en"
    assert entry.translated_language == "ar" and entry.translated_text == "[ar] We will send a new mug today."


def test_buttons_show_as_their_titles_photos_as_photos_and_hidden_payloads_not_at_all() -> None:
    """The agent reads what the customer saw and did, not the payloads buttons send."""
    events = [
        user("/greet", T0, "en", intent="greet"),
        {"event": "slot", "timestamp": T0 + 1, "name": "language", "value": "es"},
        bot("¿Le reembolso 12,90 €?", T0 + 1, buttons=[{"title": "Sí, adelante", "payload": "/affirm"}]),
        user("/affirm", T0 + 2, "en", intent="affirm"),
        user('/upload_photo{"photo_id": 3}', T0 + 3, "en", intent="upload_photo"),
    ]
    entries = from_tracker_events(events, "es")  # the agent reads Spanish: nothing to translate
    assert [(e.role, e.text, e.language) for e in entries] == [
        ("bot", "¿Le reembolso 12,90 €?", "es"),
        ("customer", "Sí, adelante", "es"),
        ("customer", "[photo]", None),
    ]
