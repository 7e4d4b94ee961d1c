"""Platforms deliver a webhook again when our answer was slow or lost: each message is handed to
the assistant once.  The ids live in the database, so this holds across processes and restarts."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from bot.db.models import ProcessedMessage
from bot.db.session import session_scope


def first_delivery(channel: str, message_id: str, database_url: str | None = None) -> bool:
    """True the first time (channel, message_id) is seen, False for every repeated delivery.

    The unique constraint decides, so two processes receiving the same message at the same
    moment cannot both get True."""
    try:
        with session_scope(database_url) as session:
            session.add(ProcessedMessage(channel=channel, message_id=message_id))
            session.flush()
    except IntegrityError:
        return False
    return True
