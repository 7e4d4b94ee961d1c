"""HTTP endpoint for photos: POST /webhooks/photo/upload (multipart `sender`, `file`).

The photo is validated and stored as evidence first (bot.evidence); then the conversation
continues with an `upload_photo` message that carries only the stored id, so the
assistant never sees raw bytes.  A rejected file is answered in the conversation too
(`upload_failed`), so the customer always gets a reply and can try again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.db.session import session_scope
from bot.evidence import EvidenceError, store_photo

logger = logging.getLogger(__name__)

# Answer codes of the endpoint, so that a client can react without reading the text.
_HTTP_STATUS = {
    "empty": 400,
    "too_large": 413,
    "not_image": 415,
    "unsupported_format": 415,
    "too_many_pixels": 413,
}


def _store(data: bytes, sender: str, filename: str | None) -> str:
    with session_scope() as session:
        return store_photo(session, data, conversation_id=sender, filename=filename)


class PhotoUploadInput(InputChannel):
    """Receives customer photos for the conversation `sender`."""

    @classmethod
    def name(cls) -> str:
        return "photo"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        photo = Blueprint("photo_upload", __name__)

        @photo.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @photo.route("/upload", methods=["POST"])
        async def upload(request: Request) -> HTTPResponse:
            sender = (request.form.get("sender") or "").strip()
            channel = (request.form.get("input_channel") or "rest").strip()
            upload = request.files.get("file")
            if not sender:
                return response.json({"error": "missing_sender"}, status=400)
            data = upload.body if upload else b""
            filename = upload.name if upload else None
            try:
                photo_id = await asyncio.to_thread(_store, data, sender, filename)
            except EvidenceError as error:
                text = "/upload_failed" + json.dumps({"reason": error.code})
                messages = await _converse(on_new_message, text, sender, channel)
                status = _HTTP_STATUS.get(error.code, 400)
                return response.json({"error": error.code, "messages": messages}, status=status)
            text = "/upload_photo" + json.dumps({"photo_id": photo_id})
            messages = await _converse(on_new_message, text, sender, channel)
            return response.json({"photo_id": photo_id, "messages": messages}, status=201)

        return photo


async def _converse(
    on_new_message: Callable[[UserMessage], Awaitable[None]], text: str, sender: str, channel: str
) -> list[dict]:
    collector = CollectingOutputChannel()
    await on_new_message(UserMessage(text, collector, sender, input_channel=channel))
    return collector.messages
