"""Conversations in every supported language, and in one outside them, against the real servers.

Every bot message must be in the customer's language (read by the same detector the assistant
uses, with quoted item names and codes set aside), and the claim must be recorded.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.models import Case
from bot.db.session import session_scope
from bot.language.codes import SUPPORTED
from bot.translation.libretranslate_peer import peer_stats, set_fault
from scripts.harness import Servers, reply_language
from scripts.scenarios import play as play_scenario
from tests.e2e.conftest import texts

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def bot_lines(messages: list[dict]) -> list[str]:
    return [t for t in texts(messages) if t.strip()]


def claim_of(servers: Servers, sender: str) -> str | None:
    with session_scope(servers.database_url) as session:
        case = session.scalars(select(Case).where(Case.conversation_id == sender)).first()
        return case.claim_type if case else None


@pytest.mark.parametrize("language", SUPPORTED)
def test_a_claim_in_every_language_is_answered_in_that_language(servers: Servers, language: str) -> None:
    path = sorted(SCENARIOS.glob(f"{language}_missing_items_*.yml"))[0]
    result = play_scenario(servers, path)
    said = [text for who, text in result.transcript if who == "bot" and text.strip()]
    assert len(said) >= 4
    assert [t for t in said if reply_language(t) != language] == []
    assert not [p for p in result.problems if p.startswith("claim type")], result.problems


def test_a_one_word_first_message_sets_the_language(servers: Servers, sender: str) -> None:
    assert {reply_language(t) for t in bot_lines(servers.say(sender, "hola"))} == {"es"}


def test_a_chinese_one_word_claim(servers: Servers, sender: str) -> None:
    replies = bot_lines(servers.say(sender, "退款"))
    assert replies and {reply_language(t) for t in replies} == {"zh"}


def test_a_mixed_language_message_gets_the_customers_language(servers: Servers, sender: str) -> None:
    replies = bot_lines(servers.say(sender, "hola, my order SO-100231 no llego todavia"))
    assert replies and {reply_language(t) for t in replies} == {"es"}


def test_the_language_switches_on_request_and_stays(servers: Servers, sender: str) -> None:
    servers.say(sender, "Hallo, in meinem Paket fehlt etwas")
    # An order number says nothing about the language: the conversation stays German.
    assert {reply_language(t) for t in bot_lines(servers.say(sender, "SO-100231"))} == {"de"}
    switched = bot_lines(servers.say(sender, "English please"))
    assert switched and {reply_language(t) for t in switched} == {"en"}
    # The question in progress is asked again, in English, and the claim goes on.
    assert any("e-mail" in t for t in switched)
    replies = bot_lines(servers.say(sender, "anna.schmidt@example.de"))
    assert {reply_language(t) for t in replies} == {"en"}
    chinese = bot_lines(servers.say(sender, "请说中文"))
    assert {reply_language(t) for t in chinese} == {"zh"}
    assert claim_of(servers, sender) == "missing_items"


def test_the_channels_locale_is_the_prior_for_a_message_without_words(servers: Servers, sender: str) -> None:
    replies = bot_lines(servers.say(sender, "SO-100231", metadata={"locale": "fr-FR"}))
    assert replies and {reply_language(t) for t in replies} == {"fr"}


def test_a_language_outside_the_fourteen_goes_through_machine_translation(
    servers: Servers, sender: str, translation_peer: str
) -> None:
    opening = "Hej, jag har ett problem med min beställning, det saknas en sak i mitt paket"
    first = bot_lines(servers.say(sender, opening))
    bot = bot_lines(servers.say(sender, "Mitt ordernummer är SO-100231"))
    bot += bot_lines(servers.say(sender, "Min e-postadress är anna.schmidt@example.de"))
    # Understood through English: the claim is recorded and the next question is about the items.
    assert claim_of(servers, sender) == "missing_items"
    # Every reply went to Swedish through the translator (the peer's phrasebook, or its [sv] mark).
    english_left = [t for t in first + bot if reply_language(t) == "en" and not t.startswith("[sv]")]
    assert english_left == []
    tracker = servers.tracker(sender)
    customer = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert customer[0] == opening  # the original is kept
    assert peer_stats(translation_peer)["translate"] > 0


def test_a_translator_that_is_down_still_gets_an_answer_at_once(
    servers: Servers, sender: str, translation_peer: str
) -> None:
    set_fault(translation_peer, "500")
    try:
        started = time.monotonic()
        replies = bot_lines(servers.say(sender, "Hej, jag har ett problem med min beställning idag"))
        elapsed = time.monotonic() - started
    finally:
        set_fault(translation_peer, "ok")
    assert replies  # in English, since nothing could be translated
    assert elapsed < 8
