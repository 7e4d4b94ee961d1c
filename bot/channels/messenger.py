"""Facebook Messenger: webhooks signed with the app secret, replies through the Graph API's
/me/messages with the page's token.

Buttons are quick replies (up to 13, titles up to 20 characters: longer titles stay whole in the
text and the quick replies carry their numbers).  Messenger's webhooks carry no locale.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.channels import choices
from bot.channels.connector import (
    NOT_SENT,
    SENT,
    SENT_TAGGED,
    Connector,
    fitted_payloads,
    titles_and_payloads,
)
from bot.channels.inbound import Inbound, Media
from bot.channels.media import download
from bot.channels.meta import graph_url
from bot.channels.outbound import Outbound, split_text
from bot.channels.window import HUMAN_AGENT_TAG_WINDOW, is_open

NAME = "messenger"
TEXT_LIMIT = 2000
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE_LIMIT = 20
QUICK_REPLY_PAYLOAD_LIMIT = 1000
_EVIDENCE = ("image", "file")  # attachment types we try to store as photos


def _event_inbound(event: dict[str, Any]) -> Inbound | None:
    sender = str(event["sender"]["id"])
    common = {
        "channel": NAME,
        "user_id": sender,
        "sent_at": datetime.fromtimestamp(int(event["timestamp"]) / 1000, timezone.utc)
        if event.get("timestamp")
        else None,
    }
    fallback_id = f"{sender}:{event.get('timestamp')}"
    if "postback" in event:  # a button of a template or the persistent menu
        postback = event["postback"]
        return Inbound(
            message_id=str(postback.get("mid") or fallback_id),
            text=postback.get("title", ""),
            payload=str(postback.get("payload", "")),
            **common,
        )
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return None  # deliveries, reads, and our own messages echoed back
    message_id = str(message.get("mid") or fallback_id)
    if message.get("quick_reply"):
        return Inbound(
            message_id=message_id,
            text=message.get("text", ""),
            payload=str(message["quick_reply"].get("payload", "")),
            **common,
        )
    attachments = message.get("attachments") or []
    media = tuple(
        Media(a["payload"]["url"], None, None)
        for a in attachments
        if a.get("type") in _EVIDENCE and (a.get("payload") or {}).get("url")
    )
    unsupported = next((a.get("type") for a in attachments if a.get("type") not in _EVIDENCE), None)
    return Inbound(
        message_id=message_id,
        text=message.get("text", ""),
        media=media,
        unsupported=None if media or message.get("text") else unsupported,
        **common,
    )


def parse_webhook(payload: dict[str, Any]) -> list[Inbound]:
    """The customer messages and button presses of one webhook."""
    if payload.get("object") != "page":
        return []
    found = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            inbound = _event_inbound(event)
            if inbound is not None:
                found.append(inbound)
    return found


class Messenger(Connector):
    name = NAME

    def _send(self, recipient: str, message: dict[str, Any], extra: dict[str, str] | None = None) -> Outbound:
        return Outbound(
            label="messenger me/messages",
            method="POST",
            url=graph_url(self.config.graph_url, self.config.graph_version, "me", "messages"),
            params={"access_token": self.config.page_token},
            json={"recipient": {"id": recipient}, "messaging_type": "RESPONSE", "message": message}
            | (extra or {}),
        )

    def render(
        self, recipient: str, message: dict[str, Any], extra: dict[str, str] | None = None
    ) -> list[Outbound]:
        calls = []
        if message.get("image"):
            attachment = {"type": "image", "payload": {"url": message["image"], "is_reusable": True}}
            calls.append(self._send(recipient, {"attachment": attachment}, extra))
        text = message.get("text") or ""
        titles, payloads = titles_and_payloads(message)
        style = choices.layout(titles, max_buttons=MAX_QUICK_REPLIES, max_title=QUICK_REPLY_TITLE_LIMIT)
        if titles and style != choices.BUTTONS:
            text = choices.numbered(text, titles)
        if not text:
            return calls
        pieces = split_text(text, TEXT_LIMIT)
        calls += [self._send(recipient, {"text": piece}, extra) for piece in pieces[:-1]]
        last: dict[str, Any] = {"text": pieces[-1]}
        if titles and style != choices.NUMBERED_TEXT:
            labels = titles if style == choices.BUTTONS else [str(n) for n in range(1, len(titles) + 1)]
            last["quick_replies"] = [
                {"content_type": "text", "title": label, "payload": data}
                for label, data in zip(labels, fitted_payloads(payloads, QUICK_REPLY_PAYLOAD_LIMIT))
            ]
        return calls + [self._send(recipient, last, extra)]

    def fetch_media(self, media: Media, limit: int) -> bytes:
        # Attachment URLs in Messenger webhooks are signed CDN links: no token needed.
        return download(media.ref, timeout=self.timeout, limit=limit)

    def proactive(
        self, recipient: str, text: str, last_inbound: datetime | None, at: datetime, language: str | None
    ) -> tuple[str, str, list[Outbound]]:
        if is_open(last_inbound, at):
            return SENT, "within the 24-hour window", self.render(recipient, {"text": text})
        tag = self.config.tag
        if not tag:
            return NOT_SENT, "outside the 24-hour window and MESSENGER_TAG is not set", []
        if tag == "HUMAN_AGENT" and not is_open(last_inbound, at, HUMAN_AGENT_TAG_WINDOW):
            return NOT_SENT, "outside the HUMAN_AGENT tag's 7 days", []
        extra = {"messaging_type": "MESSAGE_TAG", "tag": tag}
        return (
            SENT_TAGGED,
            f"outside the 24-hour window: tag {tag}",
            self.render(recipient, {"text": text}, extra),
        )
