"""Handoff tickets on SQLite and on the real PostgreSQL server: summary from the case, transcript
in order, the queue oldest first, closing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.db.migrate import migrate
from bot.db.models import HandoffTicket
from bot.db.seed import seed_demo
from bot.db.session import session_scope
from bot.handoff.tickets import (
    TicketError,
    add_entry,
    assign_ticket,
    close_ticket,
    get_ticket,
    list_open,
    open_ticket,
)
from bot.handoff.transcript import Entry
from tests.bot.handoff.conftest import damaged_mug_case

UTC = timezone.utc
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    url = request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url")
    migrate(url)
    with session_scope(url) as session:
        seed_demo(session, today=date(2026, 11, 25))
    yield url


def entry(role: str, text: str, seconds: int, translated: str | None = None) -> Entry:
    return Entry(
        role, text, "zh" if role != "agent" else "en", translated, "en", AT + timedelta(seconds=seconds)
    )


def make_case(url: str, conversation: str = "conv-zh") -> str:
    """A damaged-mug case with a photo and a refund offer, as the claim flow leaves it."""
    return damaged_mug_case(conversation, channel="telegram", url=url)


def test_a_ticket_carries_the_case_summary_and_the_transcript(url: str) -> None:
    number = make_case(url)
    with session_scope(url) as session:
        ticket = open_ticket(
            session,
            conversation_id="conv-zh",
            reason="above_limit",
            language="zh",
            channel="telegram",
            agent_language="en",
            entries=[entry("customer", "杯子碎了", 0, "[en] 杯子碎了"), entry("bot", "很抱歉", 1, None)],
        )
    assert ticket.status == "open" and ticket.case_number == number
    assert ticket.claim_type == "damaged_item" and ticket.order_number == "SO-100231"
    assert ticket.customer_tier in ("standard", "member", "vip")
    assert ticket.offer is not None and ticket.offer["kind"] == "refund" and ticket.offer["amount"] == "12.90"
    assert ticket.policy_reason == "above_auto_limit"
    assert ticket.evidence[0]["path"] == "var/evidence/abc.jpg"
    assert ticket.items and all({"sku", "name", "quantity"} <= set(i) for i in ticket.items)

    with session_scope(url) as session:
        assert add_entry(session, ticket.id, entry("agent", "We refund the mug.", 60, "[zh] We refund")) == 2
    with session_scope(url) as session:
        stored = get_ticket(session, ticket.id)
    assert stored is not None
    assert [e.role for e in stored.entries] == ["customer", "bot", "agent"]
    # Both versions kept; an untranslated message keeps its original and says so.
    assert stored.entries[0].text == "杯子碎了" and stored.entries[0].translated_text == "[en] 杯子碎了"
    assert stored.entries[1].translated_text is None and not stored.entries[1].translated
    assert stored.entries[2].at == AT + timedelta(seconds=60)


def test_opening_twice_returns_the_live_ticket(url: str) -> None:
    with session_scope(url) as session:
        first = open_ticket(
            session, conversation_id="c1", reason="customer_asked", language="ar", channel="rest"
        )
        again = open_ticket(session, conversation_id="c1", reason="angry", language="ar", channel="rest")
        assert again.id == first.id and again.reason == "customer_asked"
        assert first.case_number is None and first.offer is None  # no case: no summary, still a ticket
        assert first.agent_language == "en"  # HANDOFF_AGENT_LANGUAGE's default
        close_ticket(session, first.id)
        third = open_ticket(session, conversation_id="c1", reason="angry", language="ar", channel="rest")
        assert third.id != first.id


def test_the_queue_is_oldest_first_with_waiting_time(url: str) -> None:
    with session_scope(url) as session:
        ids = [
            open_ticket(
                session, conversation_id=f"q{i}", reason="customer_asked", language="en", channel="rest"
            ).id
            for i in range(3)
        ]
        # Back-date them: q2 has waited longest, then q0; q1 is closed.
        for ticket_id, minutes in zip(ids, (30, 5, 90)):
            session.get(HandoffTicket, ticket_id).created_at = AT - timedelta(minutes=minutes)
        session.flush()
        close_ticket(session, ids[1])
    with session_scope(url) as session:
        queue = list_open(session, now=AT)
    assert [w.ticket.id for w in queue] == [ids[2], ids[0]]
    assert [w.waiting for w in queue] == [timedelta(minutes=90), timedelta(minutes=30)]


def test_assign_close_and_a_closed_ticket_takes_no_more_messages(url: str) -> None:
    with session_scope(url) as session:
        ticket = open_ticket(session, conversation_id="c2", reason="legal", language="en", channel="rest")
        assert assign_ticket(session, ticket.id, "mei").status == "assigned"
        assert [w.ticket.assigned_to for w in list_open(session)] == ["mei"]
        closed = close_ticket(session, ticket.id)
        assert closed.status == "closed" and closed.closed_at is not None
        assert close_ticket(session, ticket.id).closed_at == closed.closed_at
        with pytest.raises(TicketError):
            add_entry(session, ticket.id, entry("agent", "late", 5))
        with pytest.raises(TicketError):
            close_ticket(session, 999_999)
        assert get_ticket(session, 999_999) is None


def test_a_ticket_for_an_unknown_case_is_refused(url: str) -> None:
    with session_scope(url) as session:
        with pytest.raises(TicketError):
            open_ticket(
                session,
                conversation_id="c3",
                reason="customer_asked",
                language="en",
                channel="rest",
                case_number="C-999999",
            )
        assert session.scalars(select(HandoffTicket)).all() == []


def test_the_conversations_latest_case_fills_the_summary(url: str) -> None:
    make_case(url, conversation="conv-x")
    with session_scope(url) as session:
        ticket = open_ticket(
            session, conversation_id="conv-x", reason="custom_remedy", language="zh", channel="web"
        )
    assert ticket.claim_type == "damaged_item" and ticket.case_number is not None
