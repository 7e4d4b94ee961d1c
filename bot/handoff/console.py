"""The agent console's service: the queue, a ticket as the agent reads it, replies, remedies,
hand back.  Plain Python; `bot/rasa/console_channel.py` puts it on HTTP inside the Rasa server.

What Rasa owns (the conversation's tracker, the NLG, the widget's Socket.IO rooms) comes in
through `Conversations`, which the channel implements with Rasa's objects, so that this module
never imports Rasa.  Blocking work (database, translation, messaging APIs) runs in threads.

* Reading a ticket first copies into its transcript the customer and bot messages the tracker
  logged since the last read (`tracker_events_read`), translated into the agent's language.
  While the conversation is paused Rasa still logs every customer message, so a poll shows them.
* An agent's reply is translated into the customer's language and only then sent: if the
  translation fails nothing goes out (ConsoleError 502), nothing half-translated.  Whatever the
  console sends is recorded here with its delivery result and appended to the tracker with
  `{"handoff_agent": <name>}` metadata (the widget's history shows it after a reload); the next
  sync skips those events, they are already in the transcript.
"""

from __future__ import annotations

import asyncio
import hmac
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import cases
from bot.channels.proactive import CONNECTORS, send_proactive
from bot.config import ConsoleAgent, Settings, console_agents, get_settings
from bot.db.models import Evidence, HandoffTicket, TranscriptEntry
from bot.db.session import session_scope
from bot.handoff import export, tickets
from bot.handoff.transcript import Entry, agent_entry, from_tracker_events, translate

MAX_REPLY = 2000  # characters of one agent message, after trimming
LIVE = tickets.LIVE_STATUSES
AGENT_METADATA = "handoff_agent"  # marks, in the tracker, a message the console sent
# Delivery results besides bot.channels.proactive's (sent, sent_template, sent_tagged, not_sent, failed).
STORED = "stored"  # kept in the conversation only: the channel cannot push, or nobody is connected
PUSHED = ("sent", "sent_template", "sent_tagged", STORED)  # what the customer can see now or later


class ConsoleError(Exception):
    """A request the console refuses, with the HTTP status and a message for the agent."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Delivery:
    status: str
    detail: str


class Conversations(Protocol):
    """What the console needs from the Rasa server (implemented by bot.rasa.console_channel)."""

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """All the conversation's tracker events as JSON dicts, every session, oldest first."""

    async def state(self, conversation_id: str) -> tuple[bool, str | None]:
        """(paused, the conversation's `language` slot)."""

    async def push_widget(self, conversation_id: str, text: str) -> bool:
        """Emits `text` to the widget's room; False when no browser is connected to it."""

    async def append_bot(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Appends a bot message to the tracker (what the customer was sent)."""

    async def render(self, conversation_id: str, response: str, values: dict[str, Any]) -> str:
        """`response` of domain.yml in the conversation's language, filled with `values`."""

    async def resume(self, conversation_id: str) -> None:
        """Lets the assistant answer again (ConversationResumed)."""


# -- authentication ------------------------------------------------------------------------------


def authenticate(authorization: str | None, settings: Settings | None = None) -> ConsoleAgent:
    """The agent whose bearer token this is.  ConsoleError 503 when no agent is configured (or
    CONSOLE_AGENTS is malformed), 401 without a token, 403 with a wrong one."""
    try:
        agents = console_agents(settings or get_settings())
    except ValueError as error:
        raise ConsoleError(503, f"the console is misconfigured: {error}") from None
    if not agents:
        raise ConsoleError(
            503, "no agents configured: set CONSOLE_AGENTS=name:token[:language],... and restart the server"
        )
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ConsoleError(401, "sign in: send your console token as 'Authorization: Bearer <token>'")
    found = None
    for agent in agents:  # every token compared, in constant time, whichever matches
        if hmac.compare_digest(agent.token.encode(), token.encode()):
            found = agent
    if found is None:
        raise ConsoleError(403, "this token is not valid for the console")
    return found


# -- JSON views ----------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def _get(session: Session, ticket_id: int) -> HandoffTicket:
    ticket = session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise ConsoleError(404, f"there is no ticket {ticket_id}")
    return ticket


def _live(session: Session, ticket_id: int) -> HandoffTicket:
    ticket = _get(session, ticket_id)
    if ticket.status not in LIVE:
        raise ConsoleError(409, f"ticket {ticket_id} is closed")
    return ticket


def entry_json(entry: TranscriptEntry) -> dict[str, Any]:
    author = entry.author or {"customer": "customer", "bot": "assistant"}.get(entry.role)
    return {
        "position": entry.position,
        "role": entry.role,
        "author": author,
        "text": entry.text,
        "language": entry.language,
        "translated_text": entry.translated_text,
        "translated_language": entry.translated_language,
        "at": _iso(entry.at),
        "delivery": entry.delivery,
    }


def _last_customer(session: Session, ticket_id: int) -> TranscriptEntry | None:
    return session.scalars(
        select(TranscriptEntry)
        .where(TranscriptEntry.ticket_id == ticket_id, TranscriptEntry.role == "customer")
        .order_by(TranscriptEntry.position.desc())
    ).first()


def ticket_json(session: Session, ticket: HandoffTicket, now: datetime | None = None) -> dict[str, Any]:
    """The fields of the queue: who, why, since when, the last thing the customer said."""
    now = now or datetime.now(timezone.utc)
    last = _last_customer(session, ticket.id)
    waited = (ticket.closed_at or now) - ticket.created_at
    return {
        "id": ticket.id,
        "conversation_id": ticket.conversation_id,
        "channel": ticket.channel,
        "language": ticket.language,
        "agent_language": ticket.agent_language,
        "reason": ticket.reason,
        "status": ticket.status,
        "assigned_to": ticket.assigned_to,
        "created_at": _iso(ticket.created_at),
        "closed_at": _iso(ticket.closed_at),
        "waiting_seconds": max(0, int(waited.total_seconds())),
        "case_number": ticket.case.number if ticket.case else None,
        "claim_type": ticket.claim_type,
        "order_number": ticket.order_number,
        "customer_tier": ticket.customer_tier,
        "last_customer_text": last.text if last else None,
        "last_customer_translated": last.translated_text if last else None,
    }


def detail_json(session: Session, ticket: HandoffTicket, *, paused: bool) -> dict[str, Any]:
    """The ticket as the conversation view shows it (without the transcript)."""
    return ticket_json(session, ticket) | {
        "items": list(ticket.items or ()),
        "evidence": [
            {
                "id": photo["id"],
                "content_type": photo.get("content_type"),
                "url": f"evidence/{photo['id']}",  # relative to the API: fetched with the bearer token
            }
            for photo in ticket.evidence or ()
        ],
        "offer": ticket.offer,
        "policy_reason": ticket.policy_reason,
        "note": ticket.note,
        "paused": paused,
    }


def queue(now: datetime | None = None) -> list[dict[str, Any]]:
    """Live tickets (open, assigned), oldest first."""
    with session_scope() as session:
        rows = session.scalars(
            select(HandoffTicket)
            .where(HandoffTicket.status.in_(LIVE))
            .order_by(HandoffTicket.created_at, HandoffTicket.id)
        ).all()
        return [ticket_json(session, row, now) for row in rows]


def assign(ticket_id: int, agent: ConsoleAgent) -> dict[str, Any]:
    with session_scope() as session:
        _live(session, ticket_id)
        tickets.assign_ticket(session, ticket_id, agent.name)
        return ticket_json(session, _get(session, ticket_id))


def export_ticket(ticket_id: int, kind: str) -> tuple[str, str]:
    """(body, content type) of the ticket's export: md, html or json (bot.handoff.export)."""
    renderers = {
        "md": (export.to_markdown, "text/markdown; charset=utf-8"),
        "html": (export.to_html, "text/html; charset=utf-8"),
        "json": (export.to_json_text, "application/json"),
    }
    if kind not in renderers:
        raise ConsoleError(404, "exports are export.md, export.html and export.json")
    with session_scope() as session:
        view = tickets.get_ticket(session, ticket_id)
    if view is None:
        raise ConsoleError(404, f"there is no ticket {ticket_id}")
    render, content_type = renderers[kind]
    return render(view), content_type


def evidence_file(photo_id: str, settings: Settings | None = None) -> tuple[Path, str]:
    """A photo of a case that was handed to a person (any ticket, live or closed), else 404."""
    settings = settings or get_settings()
    with session_scope() as session:
        photo = session.get(Evidence, photo_id) if len(photo_id) <= 32 else None
        handed = (
            photo is not None
            and photo.case_id is not None
            and session.scalars(
                select(HandoffTicket.id).where(HandoffTicket.case_id == photo.case_id)
            ).first()
        )
        if not handed:
            raise ConsoleError(404, "no such photo on a handed-off case")
        path, content_type = Path(photo.path), photo.content_type
    # Only files under the evidence folder, whatever a row says.
    root = settings.evidence_dir.resolve()
    if not path.resolve().is_relative_to(root) or not path.is_file():
        raise ConsoleError(404, "the photo's file is missing")
    return path, content_type


# -- transcript sync -----------------------------------------------------------------------------


def _ticket_cursor(ticket_id: int) -> tuple[int | None, float, str, str, str]:
    with session_scope() as session:
        ticket = _get(session, ticket_id)
        return (
            ticket.tracker_events_read,
            ticket.created_at.timestamp(),
            ticket.agent_language,
            ticket.language,
            ticket.status,
        )


def _append(
    session: Session, ticket_id: int, entry: Entry, *, author: str | None, delivery: str | None
) -> int:
    position = tickets.add_entry(session, ticket_id, entry)
    row = session.scalars(
        select(TranscriptEntry).where(
            TranscriptEntry.ticket_id == ticket_id, TranscriptEntry.position == position
        )
    ).one()
    row.author, row.delivery = author, delivery
    session.flush()
    return position


def sync_transcript(ticket_id: int, events: Sequence[Mapping[str, Any]]) -> int:
    """Copies the customer and bot messages logged since the last read into the transcript,
    translated for the agent; returns how many.  Blocking (translation): run it in a thread.

    The first read starts after the ticket was opened (what came before was copied then).
    Two readers at once: only the one that still finds the cursor where it read it writes."""
    cursor, opened, agent_language, language, status = _ticket_cursor(ticket_id)
    if status not in LIVE:
        return 0
    if cursor is None:
        cursor = next(
            (i for i, e in enumerate(events) if float(e.get("timestamp") or 0) > opened), len(events)
        )
        start_from = None
    else:
        start_from = cursor
    new = [e for e in events[cursor:] if AGENT_METADATA not in (e.get("metadata") or {})]
    entries = from_tracker_events(new, agent_language, default_language=language) if new else []
    with session_scope() as session:
        moved = session.execute(
            update(HandoffTicket)
            .where(
                HandoffTicket.id == ticket_id,
                HandoffTicket.tracker_events_read.is_(None)
                if start_from is None
                else HandoffTicket.tracker_events_read == start_from,
            )
            .values(tracker_events_read=len(events))
            .execution_options(synchronize_session=False)
        ).rowcount
        if not moved:
            return 0  # another reader got there first and wrote these
        for entry in entries:
            _append(session, ticket_id, entry, author=None, delivery=None)
    return len(entries)


def transcript_json(ticket_id: int, after: int | None, *, paused: bool) -> dict[str, Any]:
    with session_scope() as session:
        ticket = _get(session, ticket_id)
        query = select(TranscriptEntry).where(TranscriptEntry.ticket_id == ticket_id)
        if after is not None:
            query = query.where(TranscriptEntry.position > after)
        rows = session.scalars(query.order_by(TranscriptEntry.position)).all()
        return {
            "ticket": detail_json(session, ticket, paused=paused),
            "entries": [entry_json(row) for row in rows],
        }


# -- the console ---------------------------------------------------------------------------------


def _reply_text(body: Any) -> str:
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ConsoleError(400, "write a message first: 'text' is empty")
    text = text.strip()
    if len(text) > MAX_REPLY:
        raise ConsoleError(400, f"a message is at most {MAX_REPLY} characters; this one has {len(text)}")
    return text


async def _thread(job: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(job, *args, **kwargs)


class Console:
    """The console's operations for one Rasa server (`conversations`)."""

    def __init__(
        self,
        conversations: Conversations,
        *,
        proactive: Callable[..., Any] = send_proactive,
    ) -> None:
        self.conversations = conversations
        self.proactive = proactive
        # One sync of a ticket at a time in this process (the database check covers the rest).
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def ticket(self, ticket_id: int, after: int | None = None) -> dict[str, Any]:
        """The ticket and its transcript (entries after position `after`), new messages included."""
        conversation_id, status = await _thread(self._conversation_of, ticket_id)
        paused = False
        if status in LIVE:
            await self._sync(ticket_id, conversation_id)
            paused, _ = await self.conversations.state(conversation_id)
        return await _thread(transcript_json, ticket_id, after, paused=paused)

    async def _sync(self, ticket_id: int, conversation_id: str) -> None:
        events = await self.conversations.events(conversation_id)
        async with self._locks[ticket_id]:
            await _thread(sync_transcript, ticket_id, events)

    @staticmethod
    def _conversation_of(ticket_id: int) -> tuple[str, str]:
        with session_scope() as session:
            ticket = _get(session, ticket_id)
            return ticket.conversation_id, ticket.status

    @staticmethod
    def _live_ticket(ticket_id: int) -> tuple[str, str, str, str, str | None]:
        with session_scope() as session:
            ticket = _live(session, ticket_id)
            return (
                ticket.conversation_id,
                ticket.channel,
                ticket.language,
                ticket.agent_language,
                ticket.case.number if ticket.case else None,
            )

    async def deliver(self, channel: str, conversation_id: str, text: str, language: str) -> Delivery:
        """Sends `text` on the customer's channel: the widget's room, a messaging platform's API,
        or nowhere (REST and others cannot push; the tracker keeps it)."""
        if channel == "widget":
            if await self.conversations.push_widget(conversation_id, text):
                return Delivery("sent", "shown in the customer's chat")
            return Delivery(STORED, "the customer's chat is closed; they see it when they open it again")
        if channel in CONNECTORS:
            result = await _thread(self.proactive, channel, conversation_id, text, language=language)
            return Delivery(result.status, result.detail)
        return Delivery(STORED, f"the {channel} channel cannot push messages; kept in the conversation")

    async def _send(
        self,
        ticket_id: int,
        agent: ConsoleAgent,
        *,
        role: str,
        original: str,
        original_language: str,
        sent: str,
        sent_language: str,
        agent_language: str,
        response: str | None = None,
    ) -> tuple[dict[str, Any], Delivery]:
        """Delivers `sent`, records it in the transcript (the agent reads `original`) and in the
        tracker when the customer can see it."""
        conversation_id, channel, *_ = await _thread(self._live_ticket, ticket_id)
        # What the customer wrote before this goes into the transcript before it, in order.
        await self._sync(ticket_id, conversation_id)
        delivery = await self.deliver(channel, conversation_id, sent, sent_language)
        if delivery.status in PUSHED:
            metadata = {AGENT_METADATA: agent.name} | ({"response": response} if response else {})
            await self.conversations.append_bot(conversation_id, sent, metadata)
        if role == "agent":
            entry = Entry(
                "agent", original, original_language, sent, sent_language, datetime.now(timezone.utc)
            )
        else:  # a response in the customer's language: the agent reads its translation
            readable = await _thread(translate, sent, sent_language, agent_language)
            entry = Entry("bot", sent, sent_language, readable, agent_language, datetime.now(timezone.utc))
        return await _thread(self._record, ticket_id, agent, entry, delivery), delivery

    @staticmethod
    def _record(ticket_id: int, agent: ConsoleAgent, entry: Entry, delivery: Delivery) -> dict[str, Any]:
        with session_scope() as session:
            ticket = _get(session, ticket_id)
            if ticket.status == "open":  # answering a waiting customer takes the ticket
                ticket.status, ticket.assigned_to = "assigned", agent.name
            position = _append(session, ticket_id, entry, author=agent.name, delivery=delivery.status)
            row = session.scalars(
                select(TranscriptEntry).where(
                    TranscriptEntry.ticket_id == ticket_id, TranscriptEntry.position == position
                )
            ).one()
            return entry_json(row)

    async def reply(self, ticket_id: int, agent: ConsoleAgent, body: Any) -> dict[str, Any]:
        """The agent's message, translated into the customer's language and delivered.  A failed
        translation sends nothing (ConsoleError 502)."""
        text = _reply_text(body)
        conversation_id, _, language, _, _ = await _thread(self._live_ticket, ticket_id)
        _, current = await self.conversations.state(conversation_id)
        customer_language = current or language
        entry = await _thread(agent_entry, text, agent.language, customer_language)
        if entry.translated_text is None:
            raise ConsoleError(
                502,
                f"the message could not be translated into {customer_language}, so it was not sent;"
                " try again, or rephrase it",
            )
        recorded, delivery = await self._send(
            ticket_id,
            agent,
            role="agent",
            original=text,
            original_language=agent.language,
            sent=entry.translated_text,
            sent_language=customer_language,
            agent_language=agent.language,
        )
        return {"entry": recorded, "delivery": {"status": delivery.status, "detail": delivery.detail}}

    async def _say(
        self, ticket_id: int, agent: ConsoleAgent, response: str, values: dict[str, Any]
    ) -> Delivery:
        conversation_id, _, language, agent_language, _ = await _thread(self._live_ticket, ticket_id)
        _, current = await self.conversations.state(conversation_id)
        text = await self.conversations.render(conversation_id, response, values)
        _, delivery = await self._send(
            ticket_id,
            agent,
            role="bot",
            original=text,
            original_language=current or language,
            sent=text,
            sent_language=current or language,
            agent_language=agent_language,
            response=response,
        )
        return delivery

    async def remedy(self, ticket_id: int, agent: ConsoleAgent, body: Any) -> dict[str, Any]:
        """Approve the remedy waiting for a person, or change it; the customer is told."""
        action = body.get("action") if isinstance(body, dict) else None
        if action not in ("approve", "change"):
            raise ConsoleError(400, "'action' must be 'approve' or 'change'")
        if action == "change":  # checked before anything is recorded
            try:
                if body.get("kind") not in cases.AGENT_KINDS:
                    raise cases.InvalidRemedy(
                        f"unknown remedy {body.get('kind')!r}; one of {', '.join(cases.AGENT_KINDS)}"
                    )
                cases.parse_amount(body.get("amount") if body.get("amount") not in (None, "") else "0")
            except cases.InvalidRemedy as error:
                raise ConsoleError(400, str(error)) from None
        case_number = await _thread(self._decide, ticket_id, agent, body)
        response = "utter_remedy_approved" if action == "approve" else "utter_remedy_changed"
        delivery = await self._say(ticket_id, agent, response, {"case_number": case_number})
        conversation_id, _ = await _thread(self._conversation_of, ticket_id)
        paused, _ = await self.conversations.state(conversation_id)
        result = await _thread(transcript_json, ticket_id, None, paused=paused)
        return result | {"delivery": {"status": delivery.status, "detail": delivery.detail}}

    @staticmethod
    def _decide(ticket_id: int, agent: ConsoleAgent, body: dict[str, Any]) -> str:
        with session_scope() as session:
            ticket = _live(session, ticket_id)
            if ticket.case is None:
                raise ConsoleError(409, "this conversation has no case, so there is no remedy to decide")
            number = ticket.case.number
            try:
                if body["action"] == "approve":
                    decided = cases.approve_resolution(session, number, agent.name)
                else:
                    decided = cases.change_resolution(
                        session, number, kind=body["kind"], amount=body.get("amount"), agent=agent.name
                    )
            except cases.InvalidRemedy as error:
                raise ConsoleError(400, str(error)) from None
            except cases.CaseError as error:
                raise ConsoleError(409, str(error)) from None
            # The summary shows the remedy as it now stands.
            ticket.offer = {
                "kind": decided.kind,
                "amount": f"{decided.amount:.2f}",
                "currency": decided.currency,
                "state": decided.state,
                "needs_approval": decided.needs_approval,
                "items": list(decided.items),
                "decided_by": decided.decided_by,
            }
            ticket.policy_reason = decided.reason
            if ticket.status == "open":
                ticket.status, ticket.assigned_to = "assigned", agent.name
            return number

    async def handback(self, ticket_id: int, agent: ConsoleAgent) -> dict[str, Any]:
        """The assistant takes over again: the customer is told, the ticket closed."""
        conversation_id, *_ = await _thread(self._live_ticket, ticket_id)
        delivery = await self._say(ticket_id, agent, "utter_handoff_back", {})
        await self.conversations.resume(conversation_id)
        await _thread(self._close, ticket_id)
        result = await _thread(transcript_json, ticket_id, None, paused=False)
        return result | {"delivery": {"status": delivery.status, "detail": delivery.detail}}

    @staticmethod
    def _close(ticket_id: int) -> None:
        with session_scope() as session:
            tickets.close_ticket(session, ticket_id)
