"""hand_over: the ticket with the translated transcript, what the customer is told, and the
helpdesk webhook fired on a new ticket (a real loopback helpdesk)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from bot.db.session import session_scope
from bot.handoff.handover import hand_over
from bot.handoff.tickets import get_ticket
from tests.bot.handoff.conftest import zh_conversation
from tests.bot.handoff.test_export import SECRET, Helpdesk, helpdesk  # noqa: F401 (fixture)

MONDAY_NOON = datetime(2026, 11, 23, 11, 0, tzinfo=timezone.utc)
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "Mon-Fri 09:00-18:00")
    monkeypatch.setenv("HANDOFF_TIMEZONE", "Europe/Berlin")
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)


def test_a_ticket_with_the_translated_transcript_and_a_person_now(peer_translator: str) -> None:
    result = hand_over(
        conversation_id="tg-1",
        reason="customer_asked",
        language="zh",
        channel="telegram",
        events=zh_conversation(),
        now=MONDAY_NOON,
    )
    assert (result.response, result.values) == ("utter_handoff_now", {"ticket": f"H-{result.ticket_id}"})
    with session_scope() as session:
        ticket = get_ticket(session, result.ticket_id)
    assert (ticket.reason, ticket.language, ticket.channel, ticket.agent_language) == (
        "customer_asked",
        "zh",
        "telegram",
        "en",
    )
    customer = [e for e in ticket.entries if e.role == "customer"]
    assert [e.text for e in customer][0] == "你好，我的包裹少了一件东西"
    assert all(e.translated_text and e.translated_text != e.text for e in customer)


def test_on_a_weekend_the_customer_hears_when_the_next_shift_starts(peer_translator: str) -> None:
    result = hand_over(
        conversation_id="tg-2",
        reason="legal",
        language="zh",
        channel="telegram",
        events=zh_conversation(),
        now=SATURDAY,
    )
    assert result.response == "utter_handoff_later"
    assert result.values["opens_at"] == "2026-11-30T09:00:00+01:00"  # Monday 09:00 in Berlin
    assert result.values["timezone"] == "Europe/Berlin"


def test_a_new_ticket_is_posted_to_the_helpdesk_once(
    peer_translator: str, helpdesk: Helpdesk, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", helpdesk.url)
    monkeypatch.setenv("HANDOFF_WEBHOOK_SECRET", SECRET)
    first = hand_over(
        conversation_id="tg-3", reason="angry", language="zh", channel="telegram", events=zh_conversation()
    )
    again = hand_over(
        conversation_id="tg-3", reason="angry", language="zh", channel="telegram", events=zh_conversation()
    )
    assert (first.created, again.created, again.ticket_id) == (True, False, first.ticket_id)
    deadline = time.monotonic() + 10
    while not helpdesk.requests and time.monotonic() < deadline:
        time.sleep(0.05)  # posted in the background: the customer does not wait for the helpdesk
    time.sleep(0.3)
    assert len(helpdesk.requests) == 1
    body = json.loads(helpdesk.requests[0][1])
    assert (body["id"], body["reason"], body["language"]) == (first.ticket_id, "angry", "zh")


def test_an_unknown_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown handoff reason"):
        hand_over(conversation_id="x", reason="bored", language="en", channel="rest", events=[])
