"""WhatsApp through Meta's Cloud API: webhooks signed with the app secret, replies through the
Graph API's /<phone number id>/messages with a bearer token.

Buttons: up to 3 interactive reply buttons of up to 20 characters; longer titles stay whole in
the text with buttons "1", "2", "3"; more than 3 choices become numbered text.  WhatsApp sends no
locale: the language is read from the customer's words.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import requests

from bot.channels import choices
from bot.channels.connector import (
    NOT_SENT,
    SENT,
    SENT_TEMPLATE,
    Connector,
    fitted_payloads,
    titles_and_payloads,
)
from bot.channels.inbound import Inbound, Media
from bot.channels.media import DOWNLOAD_FAILED, download
from bot.channels.meta import graph_url
from bot.channels.outbound import Outbound, split_text
from bot.channels.window import is_open
from bot.evidence import EvidenceError

NAME = "whatsapp_cloud"
TEXT_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
_UNSUPPORTED = ("audio", "video", "sticker", "location", "contacts", "unsupported")


def _inbound(message: dict[str, Any]) -> Inbound | None:
    kind = message.get("type")
    common = {
        "channel": NAME,
        "message_id": str(message["id"]),
        "user_id": str(message["from"]),
        "sent_at": datetime.fromtimestamp(int(message["timestamp"]), timezone.utc)
        if message.get("timestamp")
        else None,
    }
    if kind == "text":
        return Inbound(text=(message.get("text") or {}).get("body", ""), **common)
    if kind in ("image", "document"):
        item = message[kind]
        media = Media(str(item["id"]), item.get("mime_type"), item.get("filename"))
        return Inbound(text=item.get("caption") or "", media=(media,), **common)
    if kind == "interactive":
        reply = message["interactive"].get("button_reply") or message["interactive"].get("list_reply") or {}
        return Inbound(text=reply.get("title", ""), payload=str(reply.get("id", "")), **common)
    if kind == "button":  # a quick-reply button of a template
        button = message["button"]
        return Inbound(
            text=button.get("text", ""), payload=button.get("payload") or button.get("text"), **common
        )
    if kind == "reaction":
        return None  # an emoji on one of our messages: nothing to answer
    return Inbound(unsupported=kind if kind in _UNSUPPORTED else "unsupported", **common)


def parse_webhook(payload: dict[str, Any]) -> list[Inbound]:
    """The customer messages of one webhook (delivery and read statuses are left out)."""
    if payload.get("object") != "whatsapp_business_account":
        return []
    found = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            if change.get("field") != "messages":
                continue
            for message in (change.get("value") or {}).get("messages") or []:
                inbound = _inbound(message)
                if inbound is not None:
                    found.append(inbound)
    return found


class WhatsAppCloud(Connector):
    name = NAME

    def _message(self, recipient: str, kind: str, content: dict[str, Any]) -> Outbound:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient}
        return Outbound(
            label=f"whatsapp_cloud messages ({kind})",
            method="POST",
            url=graph_url(
                self.config.graph_url, self.config.graph_version, self.config.phone_number_id, "messages"
            ),
            json=body | {"type": kind, kind: content},
            headers={"Authorization": f"Bearer {self.config.token}"},
        )

    def _texts(self, recipient: str, text: str) -> list[Outbound]:
        return [
            self._message(recipient, "text", {"preview_url": False, "body": piece})
            for piece in split_text(text, TEXT_LIMIT)
        ]

    def render(self, recipient: str, message: dict[str, Any]) -> list[Outbound]:
        calls = []
        if message.get("image"):
            calls.append(self._message(recipient, "image", {"link": message["image"]}))
        text = message.get("text") or ""
        titles, payloads = titles_and_payloads(message)
        if not titles:
            return calls + (self._texts(recipient, text) if text else [])
        style = choices.layout(titles, max_buttons=MAX_BUTTONS, max_title=BUTTON_TITLE_LIMIT)
        body = text if style == choices.BUTTONS else choices.numbered(text, titles)
        if style == choices.NUMBERED_TEXT or len(body) > INTERACTIVE_BODY_LIMIT or not body:
            return calls + self._texts(recipient, choices.numbered(text, titles))
        labels = titles if style == choices.BUTTONS else [str(n) for n in range(1, len(titles) + 1)]
        buttons = [
            {"type": "reply", "reply": {"id": data, "title": label}}
            for label, data in zip(labels, fitted_payloads(payloads, BUTTON_ID_LIMIT))
        ]
        interactive = {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}}
        return calls + [self._message(recipient, "interactive", interactive)]

    def fetch_media(self, media: Media, limit: int) -> bytes:
        auth = {"Authorization": f"Bearer {self.config.token}"}
        try:
            answer = requests.get(
                graph_url(self.config.graph_url, self.config.graph_version, media.ref),
                headers=auth,
                timeout=self.timeout,
            )
            info = answer.json() if answer.ok else {}
        except (requests.RequestException, ValueError) as error:
            raise EvidenceError(DOWNLOAD_FAILED, f"media lookup failed: {type(error).__name__}") from error
        if not info.get("url"):
            raise EvidenceError(DOWNLOAD_FAILED, f"media lookup answered {answer.status_code}")
        if int(info.get("file_size") or 0) > limit:
            raise EvidenceError("too_large", f"{info['file_size']} bytes")
        # The media URL wants the same bearer token (it is not a public link).
        return download(info["url"], timeout=self.timeout, limit=limit, headers=auth)

    def proactive(
        self, recipient: str, text: str, last_inbound: datetime | None, at: datetime, language: str | None
    ) -> tuple[str, str, list[Outbound]]:
        if is_open(last_inbound, at):
            return SENT, "within the 24-hour window", self._texts(recipient, text)
        if not self.config.template:
            return NOT_SENT, "outside the 24-hour window and WHATSAPP_TEMPLATE is not set", []
        template = {
            "name": self.config.template,
            "language": {"code": language or self.config.template_language},
            # The approved template has one body variable, {{1}}: the message.
            "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
        }
        why = f"outside the 24-hour window: template {self.config.template}"
        return SENT_TEMPLATE, why, [self._message(recipient, "template", template)]
