"""WhatsApp's and Messenger's customer-service window: a business may message a customer freely
for 24 hours after the customer's last message; after that only an approved template (WhatsApp)
or a message tag (Messenger) may go out.  These are the platforms' rules, not the seller's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.channels import contacts

CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)
# Messenger's HUMAN_AGENT tag allows a person's reply for 7 days after the customer's last message.
HUMAN_AGENT_TAG_WINDOW = timedelta(days=7)


def now() -> datetime:
    return datetime.now(timezone.utc)


def record_inbound(
    channel: str, recipient: str, at: datetime | None = None, database_url: str | None = None
) -> datetime:
    """Notes that the customer wrote at `at` (default now); returns the latest inbound time.

    A delivery that arrives late never moves the time back, and a platform clock ahead of ours
    never moves it into the future."""
    at = min(at or now(), now())

    def change(contact) -> datetime:
        if contact.last_inbound_at is None or at > contact.last_inbound_at:
            contact.last_inbound_at = at
        return contact.last_inbound_at

    return contacts.update(channel, recipient, change, database_url)


def last_inbound(channel: str, recipient: str, database_url: str | None = None) -> datetime | None:
    contact = contacts.find(channel, recipient, database_url)
    return contact.last_inbound_at if contact else None


def is_open(
    last: datetime | None, at: datetime | None = None, window: timedelta = CUSTOMER_SERVICE_WINDOW
) -> bool:
    """Whether a free-form message may be sent at `at` (default now): never if they never wrote."""
    return last is not None and (at or now()) - last < window
