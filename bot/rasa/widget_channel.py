"""The web chat widget's channel: the conversation over Socket.IO, and the widget's own files.

Registered in credentials.yml as `bot.rasa.widget_channel.WidgetInput`.  Socket.IO listens at
/socket.io (Rasa attaches it to the server's root); everything else is under /webhooks/widget/:

    GET widget.js, widget.css, socket.io.min.js   the widget (widget/ in the repository)
    GET demo                                      a demo shop page with the widget embedded
    GET settings                                  labels in 14 languages, photo limits of policy.yml
    GET history/<session_id>                      the conversation so far, to redraw it after a reload

It is Rasa's `socketio` channel (same events: `session_request` → `session_confirm`,
`user_uttered`, `bot_uttered`, same message format) with three changes:

* `session_request` awaits `enter_room`.  Rasa 3.6 calls it without `await`, and since
  python-socketio 5.10 it is a coroutine, so with session persistence no reply ever reached the
  browser (RasaHQ/rasa#13027).
* Session ids are the channel's own (32 hex digits, handed out by `session_request`), and a socket
  speaks only for the session it was confirmed for.  Rasa's channel takes any `session_id` a client
  sends with each message, which would let a browser write into, or read, another channel's
  conversation (a WhatsApp conversation's id is a phone number).
* After each customer message it emits `turn_done` with the conversation's language.  The bot's
  messages do not carry the `language` slot; the widget needs it for its own labels and for
  right-to-left layout, and `turn_done` also tells it when to stop showing "typing…".

Photos go through the photo channel (`/webhooks/photo/upload`, with `input_channel=widget`); its
replies come back in the HTTP response only, never also over the socket.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import get_settings
from bot.evidence import FORMATS
from bot.policy import load_policy

logger = logging.getLogger(__name__)

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
# The files the widget is made of, by the name it is served under (nothing else is served).
ASSETS = {
    "widget.js": (WIDGET_DIR / "widget.js", "text/javascript; charset=utf-8"),
    "widget.css": (WIDGET_DIR / "widget.css", "text/css; charset=utf-8"),
    "socket.io.min.js": (
        WIDGET_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        "text/javascript; charset=utf-8",
    ),
    "demo": (WIDGET_DIR / "demo.html", "text/html; charset=utf-8"),
}
LABELS_FILE = WIDGET_DIR / "i18n.json"
SESSION_ID = re.compile(r"[0-9a-f]{32}")
# Metadata a browser may attach to its messages: the browser's language, the first-turn hint of
# actions/language.py.  Anything else a client sends is not stored.
METADATA_KEYS = ("locale",)
# The payloads of a photo upload (bot/rasa/photo_channel.py): shown as "Photo" in the history.
PHOTO_PAYLOADS = ("/upload_photo", "/upload_failed")


def is_session_id(value: Any) -> bool:
    return isinstance(value, str) and SESSION_ID.fullmatch(value) is not None


def message_metadata(data: dict[str, Any]) -> dict[str, str]:
    """The allowed, short string values of a message's `metadata`."""
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return {}
    return {key: metadata[key][:35] for key in METADATA_KEYS if isinstance(metadata.get(key), str)}


def history(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages the customer saw in the current session, from a tracker's events.

    Bot texts are split on blank lines as the Socket.IO channel sends them, with the buttons on
    the last part.  A button's payload is shown as the button's title, a photo upload as
    `{"photo": true}`; other payloads (the widget's opening `/greet`) were never shown.
    """
    starts = [i for i, event in enumerate(events) if event.get("event") == "session_started"]
    messages: list[dict[str, Any]] = []
    buttons: list[dict[str, Any]] = []
    for event in events[starts[-1] if starts else 0 :]:
        kind, timestamp = event.get("event"), event.get("timestamp")
        if kind == "user":
            text = str(event.get("text") or "")
            if text.startswith(PHOTO_PAYLOADS):
                messages.append({"sender": "user", "photo": True, "timestamp": timestamp})
            elif text.startswith("/"):
                title = next((b.get("title") for b in buttons if b.get("payload") == text), None)
                if title:
                    messages.append({"sender": "user", "text": title, "timestamp": timestamp})
            else:
                messages.append({"sender": "user", "text": text, "timestamp": timestamp})
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = [
                {"title": b.get("title"), "payload": b.get("payload")}
                for b in data.get("buttons") or data.get("quick_replies") or []
            ]
            parts = [part for part in str(event.get("text") or "").strip().split("\n\n") if part]
            for index, part in enumerate(parts):
                message: dict[str, Any] = {"sender": "bot", "text": part, "timestamp": timestamp}
                if buttons and index == len(parts) - 1:
                    message["buttons"] = buttons
                messages.append(message)
            if data.get("image"):
                messages.append({"sender": "bot", "image": data["image"], "timestamp": timestamp})
    return messages


def widget_settings() -> dict[str, Any]:
    """What the widget needs from the server before it opens: its labels and the photo limits."""
    limits = load_policy(get_settings().policy_path).upload
    return {
        "labels": json.loads(LABELS_FILE.read_text(encoding="utf-8")),
        "max_photo_bytes": limits.max_photo_mb * 1024 * 1024,
        "photo_types": [f"image/{name.lower()}" for name in FORMATS],
    }


class WidgetInput(SocketIOInput):
    """Rasa's Socket.IO channel with the changes above, plus the widget's HTTP routes."""

    @classmethod
    def name(cls) -> str:
        return "widget"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio, namespace = self.sio, self.namespace
        assert sio is not None  # set by super().blueprint
        app: dict[str, Sanic] = {}

        @blueprint.listener("before_server_start")
        async def remember_app(server: Sanic, _: Any) -> None:
            app["server"] = server  # to read a conversation's language after a turn

        async def language(session_id: str) -> str | None:
            tracker = await app["server"].ctx.agent.tracker_store.retrieve(session_id)
            return tracker.get_slot("language") if tracker else None

        # Registering a handler again replaces Rasa's one for the same event.
        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if is_session_id(requested) else uuid.uuid4().hex
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def user_uttered(sid: str, data: Any) -> None:
            session_id = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if not session_id or not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.debug("widget message without a confirmed session or text: ignored")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            message = UserMessage(
                data["message"],
                output,
                session_id,
                input_channel=self.name(),
                metadata=message_metadata(data),
            )
            try:
                await on_new_message(message)
            finally:  # the widget stops "typing…" even when the turn failed
                done = {"language": await language(session_id)}
                await sio.emit("turn_done", done, room=session_id, namespace=namespace)

        def asset(name: str) -> Callable[[Request], Awaitable[HTTPResponse]]:
            path, content_type = ASSETS[name]

            async def serve(_: Request) -> HTTPResponse:
                if not path.is_file():  # socket.io.min.js comes from `make install` (npm ci in widget/)
                    return response.text(f"{name} is missing: run `make install`", status=404)
                # Revalidated on every load, so that a page never runs an old widget with a new server.
                return await response.file(
                    path, mime_type=content_type, headers={"Cache-Control": "no-cache"}
                )

            return serve

        for number, name in enumerate(ASSETS):
            blueprint.add_route(asset(name), f"/{name}", methods=["GET"], name=f"widget_asset_{number}")

        @blueprint.route("/settings", methods=["GET"])
        async def settings(_: Request) -> HTTPResponse:
            return response.json(widget_settings())

        @blueprint.route("/history/<session_id>", methods=["GET"])
        async def conversation(request: Request, session_id: str) -> HTTPResponse:
            # Only the widget's own conversations: an unknown id and another channel's conversation
            # get the same empty answer.
            empty = {"language": None, "messages": []}
            if not is_session_id(session_id):
                return response.json(empty)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(session_id)
            events = [event.as_dict() for event in tracker.events] if tracker else []
            if not any(e.get("event") == "user" and e.get("input_channel") == self.name() for e in events):
                return response.json(empty)
            return response.json({"language": tracker.get_slot("language"), "messages": history(events)})

        return blueprint
