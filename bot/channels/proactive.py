"""Messages nobody asked for (a human agent's reply, a follow-up): `send_proactive`.

WhatsApp and Messenger allow a free-form message only within 24 hours of the customer's last
message; outside it the message goes as the approved template (WhatsApp) or with the configured
message tag (Messenger), or not at all.  Nothing is lost silently: the result says what
happened, and it is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.channels import window
from bot.channels.connector import FAILED, NOT_SENT, Connector
from bot.channels.inbound import split_conversation_id
from bot.channels.messenger import Messenger
from bot.channels.outbound import PlatformError, deliver
from bot.channels.telegram import Telegram
from bot.channels.twilio_whatsapp import TwilioWhatsApp
from bot.channels.whatsapp_cloud import WhatsAppCloud
from bot.config import Settings

logger = logging.getLogger(__name__)

CONNECTORS: dict[str, type[Connector]] = {
    c.name: c for c in (Telegram, WhatsAppCloud, TwilioWhatsApp, Messenger)
}


@dataclass(frozen=True)
class ProactiveResult:
    channel: str
    recipient: str
    status: str  # sent, sent_template, sent_tagged, not_sent, failed (bot.channels.connector)
    detail: str  # why, in words, for logs and the agent's screen
    answers: list[dict[str, Any]] = field(default_factory=list)  # the platform's replies

    @property
    def delivered(self) -> bool:
        return self.status not in (NOT_SENT, FAILED)


def send_proactive(
    channel: str,
    recipient: str,
    text: str,
    *,
    language: str | None = None,
    at: datetime | None = None,
    settings: Settings | None = None,
) -> ProactiveResult:
    """Sends `text` to `recipient` (the platform's user id, or a conversation id "telegram:123")
    on `channel`, following the platform's messaging window.  `language` is the template's
    language on WhatsApp (default WHATSAPP_TEMPLATE_LANGUAGE).  Never raises for the platform's
    sake: a refusal comes back as status `failed`."""
    if channel not in CONNECTORS:
        raise ValueError(f"unknown channel {channel!r}; one of {', '.join(CONNECTORS)}")
    if recipient.startswith(channel + ":"):
        recipient = split_conversation_id(recipient)[1]
    connector = CONNECTORS[channel](settings)
    if connector.missing():
        return _log(ProactiveResult(channel, recipient, NOT_SENT, f"set {', '.join(connector.missing())}"))
    at = at or window.now()
    status, why, calls = connector.proactive(
        recipient, text, window.last_inbound(channel, recipient), at, language
    )
    answers = []
    try:
        for call in calls:
            answers.append(deliver(call, connector.timeout))
    except PlatformError as error:
        return _log(ProactiveResult(channel, recipient, FAILED, f"{why}; {error}", answers))
    return _log(ProactiveResult(channel, recipient, status, why, answers))


def _log(result: ProactiveResult) -> ProactiveResult:
    level = logging.INFO if result.delivered else logging.WARNING
    logger.log(
        level, "proactive %s to %s: %s (%s)", result.channel, result.recipient, result.status, result.detail
    )
    return result
