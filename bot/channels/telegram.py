"""Telegram's Bot API: updates posted to our webhook, replies through sendMessage/sendPhoto.

Buttons are inline keyboards (the press comes back as a `callback_query`); the customer's
`language_code` is the locale hint; photos and documents are fetched with getFile.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timezone
from typing import Any

import requests

from bot.channels.connector import SENT, Connector, fitted_payloads, titles_and_payloads
from bot.channels.inbound import Inbound, Media
from bot.channels.media import DOWNLOAD_FAILED, download
from bot.channels.outbound import Outbound, split_text
from bot.evidence import EvidenceError

NAME = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TEXT_LIMIT = 4096  # characters of one message
CALLBACK_DATA_LIMIT = 64  # bytes of a button's callback_data
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # bots cannot download larger files
# Message contents we cannot use as text or evidence.
_UNSUPPORTED = (
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "location",
    "contact",
    "poll",
)


def verify_secret(expected: str, header: str | None) -> bool:
    """Whether the request carries the secret we gave setWebhook (compared in constant time)."""
    return bool(header) and hmac.compare_digest(header.encode("utf-8"), expected.encode("utf-8"))


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), timezone.utc) if value else None


def parse_update(update: dict[str, Any]) -> list[Inbound]:
    """The customer message in one webhook update (none for edits, channel posts and the like).
    Raises ValueError when a message lacks what every Telegram message has."""
    update_id = str(update["update_id"])
    if "callback_query" in update:
        query = update["callback_query"]
        chat = (query.get("message") or {}).get("chat") or {}
        return [
            Inbound(
                channel=NAME,
                message_id=update_id,
                user_id=str(chat.get("id") or query["from"]["id"]),
                payload=str(query.get("data") or ""),
                locale=(query.get("from") or {}).get("language_code"),
                callback_id=str(query["id"]),
            )
        ]
    message = update.get("message")
    if not isinstance(message, dict):
        return []
    media: list[Media] = []
    if message.get("photo"):
        largest = message["photo"][-1]  # sizes come smallest first
        media.append(Media(largest["file_id"], "image/jpeg", None, largest.get("file_size")))
    if message.get("document"):
        document = message["document"]
        media.append(
            Media(
                document["file_id"],
                document.get("mime_type"),
                document.get("file_name"),
                document.get("file_size"),
            )
        )
    unsupported = next((kind for kind in _UNSUPPORTED if kind in message), None)
    return [
        Inbound(
            channel=NAME,
            message_id=update_id,
            user_id=str(message["chat"]["id"]),
            text=message.get("text") or message.get("caption") or "",
            media=tuple(media),
            locale=(message.get("from") or {}).get("language_code"),
            sent_at=_time(message.get("date")),
            unsupported=None if media or message.get("text") else unsupported,
        )
    ]


class Telegram(Connector):
    name = NAME

    def _method(self, method: str, payload: dict[str, Any]) -> Outbound:
        url = f"{self.config.api_url}/bot{self.config.token}/{method}"
        return Outbound(label=f"telegram {method}", method="POST", url=url, json=payload)

    def render(self, recipient: str, message: dict[str, Any]) -> list[Outbound]:
        calls = []
        if message.get("image"):
            calls.append(self._method("sendPhoto", {"chat_id": recipient, "photo": message["image"]}))
        text = message.get("text") or ""
        titles, payloads = titles_and_payloads(message)
        if not text and not titles:
            return calls
        pieces = split_text(text or "…", TEXT_LIMIT)  # a keyboard needs some text to hang on
        for piece in pieces[:-1]:
            calls.append(self._method("sendMessage", {"chat_id": recipient, "text": piece}))
        last: dict[str, Any] = {"chat_id": recipient, "text": pieces[-1]}
        if titles:
            data = fitted_payloads(payloads, CALLBACK_DATA_LIMIT)
            last["reply_markup"] = {
                "inline_keyboard": [[{"text": t, "callback_data": d}] for t, d in zip(titles, data)]
            }
        calls.append(self._method("sendMessage", last))
        return calls

    def acknowledge(self, inbound: Inbound) -> Outbound | None:
        """Stops the spinner on a pressed button (Telegram shows it until answered)."""
        if not inbound.callback_id:
            return None
        return self._method("answerCallbackQuery", {"callback_query_id": inbound.callback_id})

    def fetch_media(self, media: Media, limit: int) -> bytes:
        try:
            answer = requests.get(
                f"{self.config.api_url}/bot{self.config.token}/getFile",
                params={"file_id": media.ref},
                timeout=self.timeout,
            )
            info = answer.json().get("result") or {} if answer.ok else {}
        except (requests.RequestException, ValueError) as error:
            raise EvidenceError(DOWNLOAD_FAILED, f"getFile failed: {type(error).__name__}") from error
        if not info.get("file_path"):
            raise EvidenceError(DOWNLOAD_FAILED, f"getFile answered {answer.status_code}")
        if (info.get("file_size") or 0) > min(limit, DOWNLOAD_LIMIT):
            raise EvidenceError("too_large", f"{info['file_size']} bytes")
        url = f"{self.config.api_url}/file/bot{self.config.token}/{info['file_path']}"
        return download(url, timeout=self.timeout, limit=limit)

    def proactive(
        self, recipient: str, text: str, last_inbound: datetime | None, at: datetime, language: str | None
    ) -> tuple[str, str, list[Outbound]]:
        # Telegram has no messaging window: a bot may write to anyone who started it.
        return SENT, "telegram has no messaging window", self.render(recipient, {"text": text})
