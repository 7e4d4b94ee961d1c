"""What the assistant is told for one platform message: the text, a button's payload, a number
that picks a choice, or one `/upload_photo` (or `/upload_failed`) per attached file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.channels import choices
from bot.channels.inbound import Inbound, Media
from bot.channels.media import evidence_message


@dataclass(frozen=True)
class Turn:
    text: str
    metadata: dict[str, str]


def turns_for(inbound: Inbound, fetch: Callable[[Media, int], bytes]) -> list[Turn]:
    """The messages to hand to the assistant, in order.  Blocking (database, downloads)."""
    metadata = inbound.metadata()
    offered = choices.take(inbound.channel, inbound.user_id)
    if inbound.text and (inbound.media or inbound.unsupported):
        # A caption describes the attachment: kept with it rather than read as a new request.
        metadata["caption"] = inbound.text
    if inbound.media:
        return [Turn(evidence_message(m, inbound.conversation_id, fetch), metadata) for m in inbound.media]
    if inbound.payload is not None:
        # Buttons whose payload was too long for the platform carry "#n" instead.
        chosen = choices.pick(offered, inbound.payload) if inbound.payload.startswith("#") else None
        return [Turn(chosen or inbound.payload, metadata)]
    if inbound.unsupported:
        # A sticker, a voice message, a location: nothing to read, and the assistant says so.
        return [Turn("", metadata | {"unsupported": inbound.unsupported})]
    return [Turn(choices.pick(offered, inbound.text) or inbound.text, metadata)]
