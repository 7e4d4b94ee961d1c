"""What every platform module provides, and the send path they share."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, ClassVar

from bot.channels import choices
from bot.channels.inbound import Inbound, Media
from bot.channels.outbound import Outbound, deliver
from bot.config import Settings, get_settings

logger = logging.getLogger(__name__)

# What a proactive send did (bot.channels.proactive).
SENT = "sent"  # a normal message: the customer wrote within the window (or the platform has none)
SENT_TEMPLATE = "sent_template"  # outside the window, as the approved template (WhatsApp)
SENT_TAGGED = "sent_tagged"  # outside the window, with a message tag (Messenger)
NOT_SENT = "not_sent"  # the platform's rules (or missing settings) forbid it: nothing went out
FAILED = "failed"  # we tried and the platform refused or could not be reached


class Connector:
    """One platform.  Subclasses set `name` (the channel's name, also its group in Settings) and
    implement `render`, `fetch_media` and `proactive`."""

    name: ClassVar[str]

    def __init__(self, settings: Settings | None = None) -> None:
        settings = settings or get_settings()
        self.timeout = settings.channel_timeout
        self.config = getattr(settings, self.name)

    def missing(self) -> list[str]:
        """Environment variables to set before this channel can serve (empty: ready)."""
        return self.config.missing()

    def render(self, recipient: str, message: dict[str, Any]) -> list[Outbound]:
        """The API calls that show a bot message (text, buttons, image) to `recipient`."""
        raise NotImplementedError

    def acknowledge(self, inbound: Inbound) -> Outbound | None:
        """A call that tells the platform a button press was received, where it wants one."""
        return None

    def fetch_media(self, media: Media, limit: int) -> bytes:
        """The file's bytes (at most `limit`); raises bot.evidence.EvidenceError."""
        raise NotImplementedError

    def proactive(
        self, recipient: str, text: str, last_inbound: datetime | None, at: datetime, language: str | None
    ) -> tuple[str, str, list[Outbound]]:
        """How a message nobody asked for may go out now: (status, why, calls)."""
        raise NotImplementedError

    def send(self, recipient: str, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Shows a bot message; returns the platform's answers.  Raises PlatformError."""
        buttons = message.get("buttons") or []
        if buttons:
            # Kept before sending: the customer may answer "2" before our call returns.
            choices.remember(self.name, recipient, [str(b.get("payload", "")) for b in buttons])
        return [deliver(request, self.timeout) for request in self.render(recipient, message)]


def titles_and_payloads(message: dict[str, Any]) -> tuple[list[str], list[str]]:
    buttons = message.get("buttons") or []
    return [str(b.get("title", "")) for b in buttons], [str(b.get("payload", "")) for b in buttons]


def fitted_payloads(payloads: list[str], limit: int) -> list[str]:
    """Payloads as button data: "#n" for one longer than the platform takes (bot.channels.turns
    maps it back through the remembered choices)."""
    return [p if len(p.encode("utf-8")) <= limit else f"#{n}" for n, p in enumerate(payloads, start=1)]
