"""The `channel_contacts` row of one customer on one platform, created on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.models import ChannelContact
from bot.db.session import session_scope

T = TypeVar("T")


def find(channel: str, recipient: str, database_url: str | None = None) -> ChannelContact | None:
    with session_scope(database_url) as session:
        return session.scalars(_query(channel, recipient)).one_or_none()


def update(
    channel: str, recipient: str, change: Callable[[ChannelContact], T], database_url: str | None = None
) -> T:
    """Applies `change` to the customer's row (a new one if needed) and commits; returns its result."""
    for attempt in (1, 2):
        try:
            with session_scope(database_url) as session:
                contact = session.scalars(_query(channel, recipient)).one_or_none()
                if contact is None:
                    contact = ChannelContact(channel=channel, recipient_id=recipient)
                    session.add(contact)
                return change(contact)
        except IntegrityError:
            if attempt == 2:  # another process created the row meanwhile: the second try finds it
                raise
    raise AssertionError("unreachable")


def _query(channel: str, recipient: str):
    return select(ChannelContact).where(
        ChannelContact.channel == channel, ChannelContact.recipient_id == recipient
    )
