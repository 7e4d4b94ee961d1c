"""What a customer sent on a messaging platform, in one shape for every platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Media:
    """A file attached to a message, still on the platform's side."""

    ref: str  # what the platform's API needs to fetch it: Telegram file_id, Meta media id, or a URL
    content_type: str | None = None
    filename: str | None = None
    size: int | None = None  # bytes, when the platform tells


@dataclass(frozen=True)
class Inbound:
    """One customer message.  `user_id` is who to answer: a Telegram chat id, a phone number
    (WhatsApp, without "whatsapp:") or a Messenger page-scoped id."""

    channel: str
    message_id: str  # the platform's id, stable across its repeated deliveries
    user_id: str
    text: str = ""
    payload: str | None = None  # set when the customer pressed one of our buttons
    media: tuple[Media, ...] = ()
    locale: str | None = None  # the platform's hint of the customer's language (Telegram only)
    sent_at: datetime | None = None  # when the customer sent it, if the platform says
    callback_id: str | None = None  # Telegram: the button press to acknowledge
    unsupported: str | None = None  # content we cannot read: "sticker", "location", "audio"...

    @property
    def conversation_id(self) -> str:
        return conversation_id(self.channel, self.user_id)

    def metadata(self) -> dict[str, str]:
        """Rasa message metadata; `locale` is the first-turn language prior (actions/language.py)."""
        metadata = {"channel": self.channel, "platform_message_id": self.message_id}
        if self.locale:
            metadata["locale"] = self.locale
        return metadata


def conversation_id(channel: str, user_id: str) -> str:
    """The Rasa conversation of a platform user: the channel is part of it, so that a Telegram
    chat and a Messenger user with the same number never share a conversation."""
    return f"{channel}:{user_id}"


def split_conversation_id(value: str) -> tuple[str, str]:
    """`conversation_id`'s inverse: ("telegram", "12345") from "telegram:12345"."""
    channel, separator, user_id = value.partition(":")
    if not separator or not user_id:
        raise ValueError(f"not a messaging channel conversation: {value!r}")
    return channel, user_id
