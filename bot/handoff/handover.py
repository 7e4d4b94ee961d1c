"""Handing a conversation to a person: the ticket, and what the customer is told.

Called by the action server when a trigger fires (actions/human.py): the customer asked, the
assistant kept failing to understand, the identity check failed, the offer is above the
auto-approval limit, the customer proposed their own remedy, or they are angry or talk of legal
steps.  The ticket gets the case's summary and the transcript so far, translated into the agents'
language; the customer is told, in their language, that a person continues now or from the next
opening time.  The action then pauses the conversation (Rasa's `ConversationPaused`): the
assistant stays silent until an agent hands it back from the console.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.config import Settings, get_settings
from bot.db.session import session_scope
from bot.handoff import export, tickets
from bot.handoff.hours import BusinessHours
from bot.handoff.transcript import from_tracker_events

logger = logging.getLogger(__name__)

# Why a conversation was handed over (HandoffTicket.reason).
REASONS = (
    "customer_asked",
    "not_understood",
    "verification_failed",
    "above_limit",
    "custom_remedy",
    "angry",
    "legal",
)


@dataclass(frozen=True)
class Handover:
    ticket_id: int
    created: bool  # False: the conversation already had a live ticket (a trigger fired twice)
    response: str  # utter_handoff_now, or utter_handoff_later outside business hours
    values: dict[str, str]  # the response's placeholders

    @property
    def reference(self) -> str:
        return self.values["ticket"]


def reference(ticket_id: int) -> str:
    """The number the customer and the agent quote: "H-42"."""
    return f"H-{ticket_id}"


def _announcement(ticket_id: int, hours: BusinessHours, now: datetime) -> tuple[str, dict[str, str]]:
    values = {"ticket": reference(ticket_id)}
    if hours.is_open(now):
        return "utter_handoff_now", values
    opening = hours.next_opening(now)
    if opening is None:  # hours configured as never open: still honest, without a time
        return "utter_handoff_now", values
    # The NLG shows it as a local day and time in the business's zone (bot.language.formatting).
    return "utter_handoff_later", values | {"opens_at": opening.isoformat(), "timezone": hours.zone.key}


def hand_over(
    *,
    conversation_id: str,
    reason: str,
    language: str,
    channel: str,
    events: Iterable[Mapping[str, Any]],
    case_number: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Handover:
    """Opens the conversation's ticket (or finds its live one) and says what to tell the customer.

    The transcript is translated here, in the caller's turn: agents open the ticket at once, and a
    failed translation only leaves the original (see bot.handoff.transcript)."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}; one of {', '.join(REASONS)}")
    settings = settings or get_settings()
    now = now or datetime.now(timezone.utc)
    events = list(events)
    with session_scope() as session:
        live = tickets.live_ticket(session, conversation_id)
        if live is not None:
            view, created = live, False
        else:
            entries = from_tracker_events(events, settings.handoff_agent_language, default_language=language)
            view = tickets.open_ticket(
                session,
                conversation_id=conversation_id,
                reason=reason,
                language=language,
                channel=channel,
                case_number=case_number,
                note=note,
                entries=entries,
            )
            created = True
    if created and settings.handoff_webhook_url:
        _post_in_background(view, settings)
    response, values = _announcement(view.id, BusinessHours.from_settings(settings), now)
    return Handover(view.id, created, response, values)


def _post_in_background(ticket: tickets.TicketView, settings: Settings) -> None:
    """The helpdesk gets the ticket without the customer waiting for it (it retries on its own)."""

    def post() -> None:
        try:
            export.post_configured(ticket, settings)  # logs its own failures, after its retries
        except Exception:  # a helpdesk outage must never reach the customer's conversation
            logger.exception("helpdesk webhook for ticket %s failed", ticket.id)

    threading.Thread(target=post, name=f"helpdesk-{ticket.id}", daemon=True).start()
