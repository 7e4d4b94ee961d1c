"""Handoff tickets: a conversation handed to a person, its summary and its transcript.

Functions take the caller's session (one per unit of work, `bot.db.session.session_scope`) and
return frozen views, readable after the session closes.  Statuses: open (waiting for an agent),
assigned (an agent took it), closed.  One live ticket per conversation: opening again while one is
open or assigned returns it, so a trigger that fires twice does not queue the customer twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import get_settings
from bot.db.models import Case, HandoffTicket, Resolution, TranscriptEntry, utcnow
from bot.handoff.transcript import Entry

LIVE_STATUSES = ("open", "assigned")


class TicketError(ValueError):
    """Unknown ticket, or a step its status does not allow."""


@dataclass(frozen=True)
class TicketView:
    id: int
    conversation_id: str
    channel: str
    language: str
    agent_language: str
    reason: str
    status: str
    assigned_to: str | None
    created_at: datetime
    closed_at: datetime | None
    case_number: str | None
    claim_type: str | None
    order_number: str | None
    customer_tier: str | None
    items: tuple[dict, ...]
    evidence: tuple[dict, ...]
    offer: dict | None
    policy_reason: str | None
    note: str | None
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Waiting:
    """A ticket in the queue and how long the customer has waited."""

    ticket: TicketView
    waiting: timedelta


def _view(ticket: HandoffTicket, *, with_entries: bool) -> TicketView:
    entries = ()
    if with_entries:
        entries = tuple(
            Entry(e.role, e.text, e.language, e.translated_text, e.translated_language or "", e.at)
            for e in ticket.entries
        )
    return TicketView(
        id=ticket.id,
        conversation_id=ticket.conversation_id,
        channel=ticket.channel,
        language=ticket.language,
        agent_language=ticket.agent_language,
        reason=ticket.reason,
        status=ticket.status,
        assigned_to=ticket.assigned_to,
        created_at=ticket.created_at,
        closed_at=ticket.closed_at,
        case_number=ticket.case.number if ticket.case else None,
        claim_type=ticket.claim_type,
        order_number=ticket.order_number,
        customer_tier=ticket.customer_tier,
        items=tuple(ticket.items or ()),
        evidence=tuple(ticket.evidence or ()),
        offer=ticket.offer,
        policy_reason=ticket.policy_reason,
        note=ticket.note,
        entries=entries,
    )


def _money(amount: Decimal) -> str:
    return f"{Decimal(amount):.2f}"  # a string in JSON: floats would round cents


def _case_for(session: Session, conversation_id: str, case_number: str | None) -> Case | None:
    if case_number:
        case = session.scalars(select(Case).where(Case.number == case_number.strip().upper())).one_or_none()
        if case is None:
            raise TicketError(f"unknown case {case_number!r}")
        return case
    # Without a number: the conversation's latest case is the one being talked about.
    return session.scalars(
        select(Case).where(Case.conversation_id == conversation_id).order_by(Case.id.desc())
    ).first()


def _summary(session: Session, case: Case) -> dict:
    """What the agent reads first, copied from the case: claim, order, items, photos, offer."""
    order = case.order
    offer = session.scalars(
        select(Resolution)
        .where(Resolution.case_id == case.id, Resolution.state != "withdrawn")
        .order_by(Resolution.id.desc())
    ).first()
    details = case.details or {}
    claimed = details.get("item_sku")
    items = [
        {"sku": line.sku, "name": line.name, "quantity": line.quantity}
        for line in order.items
        if claimed is None or line.sku == claimed
    ]
    return {
        "claim_type": case.claim_type,
        "order_number": order.number,
        "customer_tier": order.customer.tier,
        "items": items,
        "evidence": [
            {"id": photo.id, "path": photo.path, "content_type": photo.content_type}
            for photo in case.evidence
        ],
        "offer": None
        if offer is None
        else {
            "kind": offer.kind,
            "amount": _money(offer.amount),
            "currency": offer.currency,
            "state": offer.state,
            "needs_approval": offer.needs_approval,
            "items": list(offer.items or ()),
        },
        "policy_reason": offer.reason if offer else None,
    }


def _get(session: Session, ticket_id: int) -> HandoffTicket:
    ticket = session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise TicketError(f"unknown ticket {ticket_id!r}")
    return ticket


def _append(session: Session, ticket: HandoffTicket, entries: Iterable[Entry]) -> int:
    position = session.scalar(
        select(func.coalesce(func.max(TranscriptEntry.position), -1)).where(
            TranscriptEntry.ticket_id == ticket.id
        )
    )
    added = 0
    for entry in entries:
        position += 1
        added += 1
        session.add(
            TranscriptEntry(
                ticket=ticket,
                position=position,
                role=entry.role,
                text=entry.text,
                language=entry.language,
                translated_text=entry.translated_text,
                translated_language=entry.translated_language,
                at=entry.at,
            )
        )
    session.flush()
    return position


def open_ticket(
    session: Session,
    *,
    conversation_id: str,
    reason: str,
    language: str,
    channel: str,
    agent_language: str | None = None,
    case_number: str | None = None,
    note: str | None = None,
    entries: Iterable[Entry] = (),
) -> TicketView:
    """A new ticket with the case's summary and the transcript so far, or the conversation's
    live ticket (its transcript untouched: the caller appends what is new with `add_entry`)."""
    existing = live_ticket(session, conversation_id)
    if existing is not None:
        return existing
    case = _case_for(session, conversation_id, case_number)
    ticket = HandoffTicket(
        conversation_id=conversation_id,
        case=case,
        channel=channel,
        language=language,
        agent_language=agent_language or get_settings().handoff_agent_language,
        reason=reason,
        status="open",
        note=note,
        **(_summary(session, case) if case else {}),
    )
    session.add(ticket)
    session.flush()
    _append(session, ticket, entries)
    session.refresh(ticket)
    return _view(ticket, with_entries=True)


def live_ticket(session: Session, conversation_id: str) -> TicketView | None:
    """The conversation's open or assigned ticket, if it has one."""
    ticket = session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.conversation_id == conversation_id, HandoffTicket.status.in_(LIVE_STATUSES))
        .order_by(HandoffTicket.id.desc())
    ).first()
    return _view(ticket, with_entries=True) if ticket else None


def add_entry(session: Session, ticket_id: int, entry: Entry) -> int:
    """Appends one message to the transcript; returns its position."""
    ticket = _get(session, ticket_id)
    if ticket.status == "closed":
        raise TicketError(f"ticket {ticket_id} is closed")
    return _append(session, ticket, [entry])


def get_ticket(session: Session, ticket_id: int) -> TicketView | None:
    ticket = session.get(HandoffTicket, ticket_id)
    return _view(ticket, with_entries=True) if ticket else None


def list_open(session: Session, now: datetime | None = None) -> list[Waiting]:
    """Tickets still waiting or being handled, oldest first (who has waited longest)."""
    now = now or datetime.now(timezone.utc)
    tickets = session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.status.in_(LIVE_STATUSES))
        .order_by(HandoffTicket.created_at, HandoffTicket.id)
    ).all()
    return [Waiting(_view(t, with_entries=False), now - t.created_at) for t in tickets]


def assign_ticket(session: Session, ticket_id: int, agent: str) -> TicketView:
    ticket = _get(session, ticket_id)
    if ticket.status == "closed":
        raise TicketError(f"ticket {ticket_id} is closed")
    ticket.status, ticket.assigned_to = "assigned", agent
    session.flush()
    return _view(ticket, with_entries=False)


def close_ticket(session: Session, ticket_id: int) -> TicketView:
    """Closes the ticket; closing a closed ticket changes nothing."""
    ticket = _get(session, ticket_id)
    if ticket.status != "closed":
        ticket.status, ticket.closed_at = "closed", utcnow()
        session.flush()
    return _view(ticket, with_entries=True)
