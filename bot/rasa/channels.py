"""Rasa's side of the messaging channels: one webhook (Sanic blueprint) and one output channel per
platform, thin wrappers around bot.channels.

    POST /webhooks/telegram/webhook          Telegram (X-Telegram-Bot-Api-Secret-Token)
    GET|POST /webhooks/whatsapp_cloud/webhook  WhatsApp Cloud API (hub handshake, X-Hub-Signature-256)
    POST /webhooks/twilio_whatsapp/webhook   WhatsApp through Twilio (X-Twilio-Signature)
    GET|POST /webhooks/messenger/webhook     Facebook Messenger (hub handshake, X-Hub-Signature-256)
    GET /webhooks/<channel>/                 {"status": "ok"} or "not_configured" with what is missing

A webhook checks the signature, records the message id (a repeated delivery stops there) and the
time the customer wrote, and answers at once: platforms deliver again when we are slow.  The
message is then handled in the background, in order per conversation: photos are fetched and
stored, the assistant runs, and its replies go out through the platform's API.

A channel whose secrets are not set starts anyway and answers 503 naming the missing variables,
so one unconfigured platform never stops the server.  Rasa's own Telegram, Twilio and Facebook
connectors are not used: they call the real hosts at start-up and cannot be pointed elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import dedup, messenger, meta, telegram, twilio_whatsapp, whatsapp_cloud, window
from bot.channels.connector import Connector
from bot.channels.inbound import Inbound, split_conversation_id
from bot.channels.outbound import PlatformError, deliver
from bot.channels.turns import turns_for

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


class _PlatformOutput(OutputChannel):
    """Sends each bot message (text, buttons, image) through the platform's API."""

    channel: ClassVar[str] = "messaging"

    def __init__(self, connector: Connector) -> None:
        self.connector = connector

    @classmethod
    def name(cls) -> str:
        return cls.channel

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        _, user_id = split_conversation_id(recipient_id)
        try:
            await asyncio.to_thread(self.connector.send, user_id, message)
        except PlatformError as error:
            # The customer does not get this reply: say so loudly; the conversation goes on.
            logger.error("reply to %s not delivered: %s", recipient_id, error)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class _MessagingInput(InputChannel):
    connector_class: ClassVar[type[Connector]]

    def __init__(self) -> None:
        self.connector = self.connector_class()
        # Rasa asks an output channel for its name (channel-specific responses): the channel's own.
        self.output = type(f"{type(self).__name__}Output", (_PlatformOutput,), {"channel": self.name()})
        self._latest: dict[str, asyncio.Task] = {}  # per conversation: its last message's handling
        if self.connector.missing():
            logger.warning(
                "channel %s is not configured (set %s): its webhook answers 503",
                self.name(),
                ", ".join(self.connector.missing()),
            )

    @classmethod
    def name(cls) -> str:
        return cls.connector_class.name

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if credentials:
            logger.warning(
                "credentials.yml values for %s are ignored: settings come from the environment", cls.name()
            )
        return cls()

    def get_output_channel(self) -> OutputChannel | None:
        return self.output(self.connector)

    # -- per platform
    def refusal(self, request: Request) -> HTTPResponse | None:
        """401 without a signature, 403 with a wrong one, None when the request is genuine."""
        raise NotImplementedError

    def parse(self, request: Request) -> list[Inbound]:
        raise NotImplementedError

    def accepted(self) -> HTTPResponse:
        return response.json({"ok": True})

    def handshake(self, request: Request) -> HTTPResponse:
        return response.json({"error": "method_not_allowed"}, status=405)

    # -- shared
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        webhook = Blueprint(f"aftersales_{self.name()}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            missing = self.connector.missing()
            return response.json({"status": "not_configured" if missing else "ok", "missing": missing})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if self.connector.missing():
                return self._not_configured()
            return self.handshake(request)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.connector.missing():
                return self._not_configured()
            refused = self.refusal(request)
            if refused is not None:
                logger.warning("%s webhook refused: %s from %s", self.name(), refused.status, request.ip)
                return refused
            try:
                inbounds = self.parse(request)
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                logger.warning("%s webhook: unreadable payload (%s)", self.name(), error)
                return response.json({"error": "bad_payload"}, status=400)
            for inbound in inbounds:
                if await asyncio.to_thread(_first_delivery, inbound):
                    self._schedule(inbound, on_new_message)
                else:
                    logger.info("%s message %s delivered again: ignored", self.name(), inbound.message_id)
            return self.accepted()

        return webhook

    def _not_configured(self) -> HTTPResponse:
        missing = self.connector.missing()
        return response.json({"error": "not_configured", "missing": missing}, status=503)

    def _schedule(self, inbound: Inbound, on_new_message: Handler) -> None:
        key = inbound.conversation_id
        previous = self._latest.get(key)
        task = asyncio.create_task(self._handle(inbound, on_new_message, previous))
        self._latest[key] = task  # also keeps the task referenced while it runs
        task.add_done_callback(lambda done: self._latest.pop(key) if self._latest.get(key) is done else None)

    async def _handle(self, inbound: Inbound, on_new_message: Handler, previous: asyncio.Task | None) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # a customer's messages are answered in the order sent
        try:
            acknowledgement = self.connector.acknowledge(inbound)
            if acknowledgement is not None:
                await asyncio.to_thread(deliver, acknowledgement, self.connector.timeout)
            turns = await asyncio.to_thread(turns_for, inbound, self.connector.fetch_media)
            output = self.output(self.connector)
            for number, turn in enumerate(turns):
                message_id = inbound.message_id + (f"-{number}" if number else "")
                await on_new_message(
                    UserMessage(
                        turn.text,
                        output,
                        inbound.conversation_id,
                        input_channel=self.name(),
                        message_id=message_id,
                        metadata=turn.metadata,
                    )
                )
        except Exception:
            logger.exception("%s message %s could not be handled", self.name(), inbound.message_id)


def _first_delivery(inbound: Inbound) -> bool:
    if not dedup.first_delivery(inbound.channel, inbound.message_id):
        return False
    window.record_inbound(inbound.channel, inbound.user_id, inbound.sent_at)
    return True


def _signed(header: str | None, valid: bool) -> HTTPResponse | None:
    if not header:
        return response.json({"error": "missing_signature"}, status=401)
    return None if valid else response.json({"error": "bad_signature"}, status=403)


class TelegramInput(_MessagingInput):
    connector_class = telegram.Telegram

    def refusal(self, request: Request) -> HTTPResponse | None:
        header = request.headers.get(telegram.SECRET_HEADER)
        return _signed(header, telegram.verify_secret(self.connector.config.secret_token, header))

    def parse(self, request: Request) -> list[Inbound]:
        return telegram.parse_update(request.json)


class _MetaInput(_MessagingInput):
    """WhatsApp Cloud and Messenger: the same signature and subscription handshake."""

    def refusal(self, request: Request) -> HTTPResponse | None:
        header = request.headers.get(meta.SIGNATURE_HEADER)
        return _signed(header, meta.verify_signature(self.connector.config.app_secret, request.body, header))

    def handshake(self, request: Request) -> HTTPResponse:
        params = {key: values[0] for key, values in request.args.items()}
        challenge = meta.subscription_challenge(params, self.connector.config.verify_token)
        if challenge is None:
            return response.json({"error": "verification_failed"}, status=403)
        return response.text(challenge)

    def accepted(self) -> HTTPResponse:
        return response.text("EVENT_RECEIVED")


class WhatsAppCloudInput(_MetaInput):
    connector_class = whatsapp_cloud.WhatsAppCloud

    def parse(self, request: Request) -> list[Inbound]:
        return whatsapp_cloud.parse_webhook(request.json)


class MessengerInput(_MetaInput):
    connector_class = messenger.Messenger

    def parse(self, request: Request) -> list[Inbound]:
        return messenger.parse_webhook(request.json)


class TwilioWhatsAppInput(_MessagingInput):
    connector_class = twilio_whatsapp.TwilioWhatsApp

    def _fields(self, request: Request) -> list[tuple[str, str]]:
        return parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)

    def refusal(self, request: Request) -> HTTPResponse | None:
        # Twilio signs the URL it was given; behind a proxy that is TWILIO_WEBHOOK_URL, not ours.
        url = self.connector.config.webhook_url or request.url
        header = request.headers.get(twilio_whatsapp.SIGNATURE_HEADER)
        valid = twilio_whatsapp.verify_signature(
            self.connector.config.auth_token, url, self._fields(request), header
        )
        return _signed(header, valid)

    def parse(self, request: Request) -> list[Inbound]:
        return twilio_whatsapp.parse_form(dict(reversed(self._fields(request))))  # first value of each

    def accepted(self) -> HTTPResponse:
        return response.text(twilio_whatsapp.EMPTY_TWIML, content_type="text/xml")
