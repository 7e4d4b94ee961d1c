"""The agent console on the Rasa server: `bot.rasa.console_channel.ConsoleInput` in credentials.yml.

Under /webhooks/console/:

    GET  /                       the page (console/index.html; public, it holds no data)
    GET  static/console.js, static/console.css
    /api/...                     the JSON API of bot.handoff.console, `Authorization: Bearer <token>`
                                 (CONSOLE_AGENTS); README, "Agent console", has the table

It runs inside the Rasa server's process because it needs what only that process has: the tracker
store and lock store (to read a paused conversation and append what the agent sent), the NLG (to
say responses in the customer's language) and the widget channel's Socket.IO server (to push a
reply into the customer's open chat).  Everything else is bot.handoff.console.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import ConsoleAgent
from bot.handoff import console
from bot.handoff.console import Console, ConsoleError

logger = logging.getLogger(__name__)

CONSOLE_DIR = Path(__file__).resolve().parents[2] / "console"
STATIC = {
    "console.js": "text/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class RasaConversations:
    """bot.handoff.console.Conversations on the running Rasa server's agent and channels."""

    def __init__(self, app: Sanic) -> None:
        self.app = app

    @property
    def _agent(self) -> Any:
        return self.app.ctx.agent

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        tracker = await self._agent.tracker_store.retrieve_full_tracker(conversation_id)
        return [event.as_dict() for event in tracker.events] if tracker else []

    async def state(self, conversation_id: str) -> tuple[bool, str | None]:
        tracker = await self._agent.tracker_store.retrieve(conversation_id)
        if tracker is None:
            return False, None
        return tracker.is_paused(), tracker.get_slot("language")

    def _widget(self) -> Any:
        for channel in getattr(self.app.ctx, "input_channels", None) or ():
            if channel.name() == "widget" and getattr(channel, "sio", None) is not None:
                return channel
        return None

    async def push_widget(self, conversation_id: str, text: str) -> bool:
        widget = self._widget()
        if widget is None:
            return False
        sio, namespace = widget.sio, widget.namespace
        if not list(sio.manager.get_participants(namespace or "/", conversation_id)):
            return False  # nobody has the chat open: the tracker keeps the message for later
        # One bubble per paragraph, as the channel sends the assistant's messages.
        for part in [p for p in text.strip().split("\n\n") if p.strip()] or [text]:
            await sio.emit(widget.bot_message_evt, {"text": part}, room=conversation_id, namespace=namespace)
        return True

    async def _update(self, conversation_id: str, *events: Any) -> None:
        agent = self._agent
        async with agent.lock_store.lock(conversation_id):
            tracker = await agent.processor.get_tracker(conversation_id)
            for event in events:
                tracker.update(event)
            await agent.processor.save_tracker(tracker)

    async def append_bot(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> None:
        await self._update(conversation_id, BotUttered(text, {}, metadata))

    async def render(self, conversation_id: str, name: str, values: dict[str, Any]) -> str:
        tracker = await self._agent.processor.get_tracker(conversation_id)
        channel = tracker.get_latest_input_channel() or "rest"
        message = await self._agent.nlg.generate(name, tracker, channel, **values)
        if not message or not message.get("text"):
            raise ConsoleError(500, f"the response {name} is missing from the domain")
        return str(message["text"])

    async def resume(self, conversation_id: str) -> None:
        # action_listen after the resume: the next customer message starts a normal turn.
        await self._update(conversation_id, ConversationResumed(), ActionExecuted("action_listen"))


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


Handler = Callable[..., Awaitable[HTTPResponse]]


def api(handler: Callable[..., Awaitable[Any]]) -> Handler:
    """Signs the agent in, runs the handler, answers JSON; a ConsoleError becomes its status."""

    @wraps(handler)
    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        try:
            agent = console.authenticate(request.headers.get("authorization"))
            result = await handler(request, agent, *args, **kwargs)
        except ConsoleError as error:
            return _error(error.status, error.message)
        except Exception:
            logger.exception("console: %s %s failed", request.method, request.path)
            return _error(500, "something went wrong on the server; it is logged")
        if isinstance(result, HTTPResponse):
            return result
        return response.json(result, ensure_ascii=False)

    return wrapped


def _body(request: Request) -> Any:
    try:
        return request.json
    except Exception:  # Sanic raises its own InvalidUsage on bad JSON
        raise ConsoleError(400, "the body must be JSON") from None


def _after(request: Request) -> int | None:
    raw = request.args.get("after")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConsoleError(400, "'after' must be a transcript position (a whole number)") from None


class ConsoleInput(InputChannel):
    """The agent console: its page and its API (no customer messages come in here)."""

    @classmethod
    def name(cls) -> str:
        return "console"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("agent_console", __name__)
        service: dict[str, Console] = {}

        @blueprint.listener("before_server_start")
        async def start(app: Sanic, _: Any) -> None:
            service["console"] = Console(RasaConversations(app))

        def the() -> Console:
            return service["console"]

        @blueprint.middleware("response")
        async def headers(request: Request, reply: HTTPResponse) -> None:
            for name, value in SECURITY_HEADERS.items():
                reply.headers.setdefault(name, value)
            is_api = "/api/" in request.path
            reply.headers["Cache-Control"] = "no-store" if is_api else "no-cache"

        async def page_file(name: str, content_type: str) -> HTTPResponse:
            path = CONSOLE_DIR / name
            if not path.is_file():
                return response.text(f"console/{name} is missing from this installation", status=404)
            return await response.file(path, mime_type=content_type)

        @blueprint.route("/", methods=["GET"])
        async def page(_: Request) -> HTTPResponse:
            return await page_file("index.html", "text/html; charset=utf-8")

        @blueprint.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            if name not in STATIC:  # nothing but the page's two files
                return response.text("not found", status=404)
            return await page_file(name, STATIC[name])

        @blueprint.route("/api/me", methods=["GET"])
        @api
        async def me(_: Request, agent: ConsoleAgent) -> dict:
            return {"agent": agent.name, "language": agent.language}

        @blueprint.route("/api/tickets", methods=["GET"])
        @api
        async def queue(_: Request, agent: ConsoleAgent) -> dict:
            return {"tickets": await _thread(console.queue)}

        @blueprint.route("/api/tickets/<ticket_id:int>", methods=["GET"])
        @api
        async def ticket(request: Request, agent: ConsoleAgent, ticket_id: int) -> dict:
            return await the().ticket(ticket_id, _after(request))

        @blueprint.route("/api/tickets/<ticket_id:int>/assign", methods=["POST"])
        @api
        async def assign(_: Request, agent: ConsoleAgent, ticket_id: int) -> dict:
            return {"ticket": await _thread(console.assign, ticket_id, agent)}

        @blueprint.route("/api/tickets/<ticket_id:int>/messages", methods=["POST"])
        @api
        async def message(request: Request, agent: ConsoleAgent, ticket_id: int) -> dict:
            return await the().reply(ticket_id, agent, _body(request))

        @blueprint.route("/api/tickets/<ticket_id:int>/remedy", methods=["POST"])
        @api
        async def remedy(request: Request, agent: ConsoleAgent, ticket_id: int) -> dict:
            return await the().remedy(ticket_id, agent, _body(request))

        @blueprint.route("/api/tickets/<ticket_id:int>/handback", methods=["POST"])
        @api
        async def handback(_: Request, agent: ConsoleAgent, ticket_id: int) -> dict:
            return await the().handback(ticket_id, agent)

        @blueprint.route("/api/tickets/<ticket_id:int>/<name>", methods=["GET"])
        @api
        async def download(_: Request, agent: ConsoleAgent, ticket_id: int, name: str) -> HTTPResponse:
            kind = name.removeprefix("export.") if name.startswith("export.") else ""
            body, content_type = await _thread(console.export_ticket, ticket_id, kind)
            disposition = f'attachment; filename="ticket-{ticket_id}.{kind}"'
            return response.text(
                body, content_type=content_type, headers={"Content-Disposition": disposition}
            )

        @blueprint.route("/api/evidence/<photo_id>", methods=["GET"])
        @api
        async def evidence(_: Request, agent: ConsoleAgent, photo_id: str) -> HTTPResponse:
            path, content_type = await _thread(console.evidence_file, photo_id)
            return await response.file(path, mime_type=content_type)

        @blueprint.route("/api/<rest:path>", methods=["GET", "POST"])
        @api
        async def unknown(_: Request, agent: ConsoleAgent, rest: str) -> HTTPResponse:
            return _error(404, f"there is no API route {rest!r}")

        return blueprint


async def _thread(job: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(job, *args)  # database and files: off the event loop
