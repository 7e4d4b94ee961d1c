"""WhatsApp through Twilio: webhooks are form posts signed with X-Twilio-Signature, replies go
through Twilio's Messages API with basic auth.

Plain Twilio messages have no buttons: choices become numbered text and the customer's "2" is
mapped back to the second payload.  Media arrive as MediaUrl0..n, fetched with basic auth.
Outside the 24-hour window a message goes as the approved Content template (TWILIO_TEMPLATE_SID).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.channels import choices
from bot.channels.connector import NOT_SENT, SENT, SENT_TEMPLATE, Connector, titles_and_payloads
from bot.channels.inbound import Inbound, Media
from bot.channels.media import download
from bot.channels.outbound import Outbound, split_text
from bot.channels.window import is_open

NAME = "twilio_whatsapp"
SIGNATURE_HEADER = "X-Twilio-Signature"
TEXT_LIMIT = 1600  # characters of one WhatsApp message through Twilio
PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'  # "send nothing now"


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's signature: base64 HMAC-SHA1, keyed with the auth token, of the URL followed by
    every POST parameter's name and value, sorted by name (then value)."""
    data = url + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _url_variants(url: str) -> list[str]:
    """The URL as given, without its port and with the scheme's default port: Twilio signs the URL
    as configured, and proxies add or drop the port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    default = {"https": 443, "http": 80}.get(parts.scheme)
    variants = [url, urlunsplit(parts._replace(netloc=host))]
    if default:
        variants.append(urlunsplit(parts._replace(netloc=f"{host}:{default}")))
    return variants


def verify_signature(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], header: str | None
) -> bool:
    if not header:
        return False
    params = list(params)
    return any(hmac.compare_digest(signature(auth_token, u, params), header) for u in _url_variants(url))


def parse_form(form: dict[str, str]) -> list[Inbound]:
    """The customer message of one webhook (form fields, one value each)."""
    if not form.get("MessageSid") or not form.get("From"):
        raise ValueError("not a Twilio message webhook: MessageSid and From are required")
    media = tuple(
        Media(form[f"MediaUrl{i}"], form.get(f"MediaContentType{i}"))
        for i in range(int(form.get("NumMedia") or 0))
        if form.get(f"MediaUrl{i}")
    )
    payload = form.get("ButtonPayload") or None  # a quick-reply button of a Content template
    unsupported = "location" if form.get("Latitude") and not (media or form.get("Body")) else None
    return [
        Inbound(
            channel=NAME,
            message_id=form["MessageSid"],
            user_id=form["From"].removeprefix(PREFIX),
            text=form.get("Body") or "",
            payload=payload,
            media=media,
            unsupported=unsupported,
        )
    ]


class TwilioWhatsApp(Connector):
    name = NAME

    def _create(self, recipient: str, fields: list[tuple[str, str]]) -> Outbound:
        sid = self.config.account_sid
        return Outbound(
            label="twilio Messages.json",
            method="POST",
            url=f"{self.config.api_url}/2010-04-01/Accounts/{sid}/Messages.json",
            form=[("From", self.config.whatsapp_number), ("To", PREFIX + recipient), *fields],
            auth=(sid, self.config.auth_token),
        )

    def render(self, recipient: str, message: dict[str, Any]) -> list[Outbound]:
        titles, _ = titles_and_payloads(message)
        text = choices.numbered(message.get("text") or "", titles) if titles else message.get("text") or ""
        calls = [
            self._create(recipient, [("Body", piece)]) for piece in split_text(text, TEXT_LIMIT) if piece
        ]
        if message.get("image"):
            calls.append(self._create(recipient, [("MediaUrl", message["image"])]))
        return calls

    def fetch_media(self, media: Media, limit: int) -> bytes:
        # Media URLs are under api.twilio.com and answer with basic auth (if the account requires it).
        return download(
            media.ref,
            timeout=self.timeout,
            limit=limit,
            auth=(self.config.account_sid, self.config.auth_token),
        )

    def proactive(
        self, recipient: str, text: str, last_inbound: datetime | None, at: datetime, language: str | None
    ) -> tuple[str, str, list[Outbound]]:
        if is_open(last_inbound, at):
            return SENT, "within the 24-hour window", self.render(recipient, {"text": text})
        if not self.config.template_sid:
            return NOT_SENT, "outside the 24-hour window and TWILIO_TEMPLATE_SID is not set", []
        fields = [("ContentSid", self.config.template_sid), ("ContentVariables", json.dumps({"1": text}))]
        why = f"outside the 24-hour window: template {self.config.template_sid}"
        return SENT_TEMPLATE, why, [self._create(recipient, fields)]
