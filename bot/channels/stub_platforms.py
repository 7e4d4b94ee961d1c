"""A local stand-in for the four platforms' APIs, for tests and development without internet.

    python -m bot.channels.stub_platforms --port 8081

prints the settings that point the assistant at it.  It speaks, on one port:

* Telegram Bot API: `POST /bot<token>/sendMessage | sendPhoto | answerCallbackQuery`,
  `GET|POST /bot<token>/getFile?file_id=` and `GET /file/bot<token>/<file_path>`;
* Meta Graph API: `POST /<version>/<phone number id>/messages` (WhatsApp, bearer token),
  `GET /<version>/<media id>` -> {"url": ...} and that URL (bearer token again),
  `POST /<version>/me/messages?access_token=` (Messenger), and `GET /messenger-cdn/<id>`
  (Messenger's attachment links need no token);
* Twilio: `POST /2010-04-01/Accounts/<sid>/Messages.json` and
  `GET /2010-04-01/Accounts/<sid>/Messages/<MM>/Media/<id>` (basic auth, sid:auth token).

Each checks its credentials as the platform does (401 otherwise) and records what it received.
Control routes: `POST /_media` (body: the file's bytes, Content-Type header) -> {"id": ...}
registers a file every platform then serves; `GET /_sent` lists recorded calls; `POST /_faults`
{"status": 500, "times": 1} makes the next sends fail ({"status": null, "delay": 2}: slow instead);
`POST /_reset` forgets everything.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Credentials the stub accepts (and the defaults printed for development).
TELEGRAM_TOKEN = "123456:stub-telegram-token"
WHATSAPP_TOKEN = "stub-whatsapp-token"
WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
MESSENGER_PAGE_TOKEN = "stub-page-token"
TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000000"
TWILIO_AUTH_TOKEN = "stub-twilio-auth-token"
TWILIO_WHATSAPP_NUMBER = "whatsapp:+14155238886"
GRAPH_VERSION = "v19.0"

_TELEGRAM = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
_TELEGRAM_FILE = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_GRAPH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<node>[^/]+)(?P<messages>/messages)?$")
_TWILIO_SEND = re.compile(r"^/2010-04-01/Accounts/(?P<sid>\w+)/Messages\.json$")
_TWILIO_MEDIA = re.compile(r"^/2010-04-01/Accounts/(?P<sid>\w+)/Messages/\w+/Media/ME(?P<id>\w+)$")


@dataclass(frozen=True)
class Credentials:
    telegram_token: str = TELEGRAM_TOKEN
    whatsapp_token: str = WHATSAPP_TOKEN
    phone_number_id: str = WHATSAPP_PHONE_NUMBER_ID
    page_token: str = MESSENGER_PAGE_TOKEN
    twilio_sid: str = TWILIO_ACCOUNT_SID
    twilio_token: str = TWILIO_AUTH_TOKEN


class StubState:
    """Recorded calls, registered media and pending faults, shared by the request threads."""

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.counter = itertools.count(1)
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.sent: list[dict[str, Any]] = []
            self.media: dict[str, tuple[bytes, str]] = {}
            self.fault: dict[str, Any] = {"status": None, "delay": 0.0, "times": 0}

    def record(self, platform: str, endpoint: str, recipient: str, body: Any) -> int:
        with self.changed:
            self.sent.append(
                {"platform": platform, "endpoint": endpoint, "recipient": recipient, "body": body}
            )
            self.changed.notify_all()
            return next(self.counter)

    def take_fault(self) -> tuple[int | None, float]:
        """The pending fault for this send, counted down: (error status or None, delay)."""
        with self.lock:
            if self.fault["times"] <= 0:
                return None, 0.0
            self.fault["times"] -= 1
            return self.fault["status"], self.fault["delay"]


class _Handler(BaseHTTPRequestHandler):
    server: _StubServer
    server_version = "StubPlatforms/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    # -- plumbing
    @property
    def state(self) -> StubState:
        return self.server.state

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _params(self, body: bytes) -> dict[str, Any]:
        """Query string, then a JSON or form body on top; a repeated form field becomes a list."""
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if body and "json" in (self.headers.get("Content-Type") or ""):
            params.update(json.loads(body))
        elif body:
            for key, values in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params[key] = values[0] if len(values) == 1 else values
        return params

    def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _bearer_ok(self, token: str) -> bool:
        return self.headers.get("Authorization") == f"Bearer {token}"

    def _basic_ok(self) -> bool:
        c = self.state.credentials
        expected = base64.b64encode(f"{c.twilio_sid}:{c.twilio_token}".encode()).decode()
        return self.headers.get("Authorization") == f"Basic {expected}"

    def _media(self, key: str) -> None:
        with self.state.lock:
            found = self.state.media.get(key)
        if found is None:
            self._send(404, {"error": "no such media"})
        else:
            self._send(200, found[0], found[1])

    def _faulted(self, platform: str) -> bool:
        status, delay = self.state.take_fault()
        time.sleep(delay)
        if status is None:
            return False
        errors = {
            "telegram": {"ok": False, "error_code": status, "description": "Stub fault"},
            "twilio_whatsapp": {"code": 20500, "message": "Stub fault", "status": status},
        }
        self._send(status, errors.get(platform, {"error": {"message": "Stub fault", "code": status}}))
        return True

    # -- routes
    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        path = urlsplit(self.path).path
        body = self._body() if method == "POST" else b""
        if path == "/_media" and method == "POST":  # raw file bytes, not parameters
            self._control(method, path, body, {})
            return
        try:
            params = self._params(body)
        except (ValueError, UnicodeDecodeError):
            self._send(400, {"error": "malformed body"})
            return
        if path.startswith("/_"):
            self._control(method, path, body, params)
        elif match := _TELEGRAM_FILE.match(path):
            self._telegram_file(match)
        elif match := _TELEGRAM.match(path):
            self._telegram(match, params)
        elif match := _TWILIO_SEND.match(path):
            self._twilio_send(match, params)
        elif match := _TWILIO_MEDIA.match(path):
            self._media(match["id"]) if self._basic_ok() else self._send(401, {"code": 20003})
        elif path.startswith("/whatsapp-media/"):
            ok = self._bearer_ok(self.state.credentials.whatsapp_token)
            self._media(path.rsplit("/", 1)[1]) if ok else self._send(401, {"error": "token"})
        elif path.startswith("/messenger-cdn/"):
            self._media(path.rsplit("/", 1)[1])
        elif match := _GRAPH.match(path):
            self._graph(method, match, params)
        else:
            self._send(404, {"error": "not found"})

    def _control(self, method: str, path: str, body: bytes, params: dict[str, Any]) -> None:
        state = self.state
        if path == "/_media" and method == "POST":
            key = f"{next(state.counter):06d}"
            content_type = self.headers.get("Content-Type") or "application/octet-stream"
            with state.lock:
                state.media[key] = (body, content_type)
            self._send(200, {"id": key})
        elif path == "/_sent":
            with state.lock:
                self._send(200, list(state.sent))
        elif path == "/_faults" and method == "POST":
            with state.lock:
                status = params.get("status", 500)
                state.fault = {
                    "status": None if status is None else int(status),
                    "delay": float(params.get("delay", 0)),
                    "times": int(params.get("times", 1)),
                }
            self._send(200, state.fault)
        elif path == "/_reset" and method == "POST":
            state.reset()
            self._send(200, {"ok": True})
        else:
            self._send(404, {"error": "not found"})

    def _telegram(self, match: re.Match, params: dict[str, Any]) -> None:
        if match["token"] != self.state.credentials.telegram_token:
            self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = match["method"]
        if method == "getFile":
            key = str(params.get("file_id", ""))
            with self.state.lock:
                found = self.state.media.get(key)
            if found is None:
                self._send(
                    400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
                )
                return
            result = {"file_id": key, "file_unique_id": f"u{key}", "file_size": len(found[0])}
            self._send(200, {"ok": True, "result": result | {"file_path": f"documents/file_{key}"}})
            return
        if method not in ("sendMessage", "sendPhoto", "answerCallbackQuery"):
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if self._faulted("telegram"):
            return
        recipient = str(params.get("chat_id") or params.get("callback_query_id") or "")
        number = self.state.record("telegram", method, recipient, params)
        if method == "answerCallbackQuery":
            self._send(200, {"ok": True, "result": True})
            return
        chat = {"id": int(recipient) if recipient.lstrip("-").isdigit() else recipient, "type": "private"}
        self._send(
            200, {"ok": True, "result": {"message_id": number, "chat": chat, "date": int(time.time())}}
        )

    def _telegram_file(self, match: re.Match) -> None:
        if match["token"] != self.state.credentials.telegram_token:
            self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        self._media(match["path"].rsplit("_", 1)[-1])

    def _graph(self, method: str, match: re.Match, params: dict[str, Any]) -> None:
        c = self.state.credentials
        unauthorized = {
            "error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}
        }
        if match["node"] == "me" and match["messages"] and method == "POST":  # Messenger
            if params.get("access_token") != c.page_token:
                self._send(401, unauthorized)
                return
            if self._faulted("messenger"):
                return
            body = {k: v for k, v in params.items() if k != "access_token"}
            recipient = str((body.get("recipient") or {}).get("id", ""))
            number = self.state.record("messenger", "me/messages", recipient, body)
            self._send(200, {"recipient_id": recipient, "message_id": f"m_stub{number}"})
        elif match["messages"] and method == "POST":  # WhatsApp Cloud
            if not self._bearer_ok(c.whatsapp_token) or match["node"] != c.phone_number_id:
                self._send(401, unauthorized)
                return
            if self._faulted("whatsapp_cloud"):
                return
            recipient = str(params.get("to", ""))
            number = self.state.record("whatsapp_cloud", "messages", recipient, params)
            self._send(
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": recipient, "wa_id": recipient}],
                    "messages": [{"id": f"wamid.stub{number}"}],
                },
            )
        elif method == "GET":  # WhatsApp media id -> URL
            if not self._bearer_ok(c.whatsapp_token):
                self._send(401, unauthorized)
                return
            key = match["node"]
            with self.state.lock:
                found = self.state.media.get(key)
            if found is None:
                self._send(404, {"error": {"message": "Unsupported get request.", "code": 100}})
                return
            data, content_type = found
            url = f"{self.base}/whatsapp-media/{key}"
            info = {"messaging_product": "whatsapp", "url": url, "mime_type": content_type}
            self._send(200, info | {"file_size": len(data), "id": key})
        else:
            self._send(404, {"error": {"message": "Unknown path", "code": 100}})

    def _twilio_send(self, match: re.Match, params: dict[str, Any]) -> None:
        c = self.state.credentials
        if match["sid"] != c.twilio_sid or not self._basic_ok():
            self._send(401, {"code": 20003, "message": "Authenticate", "status": 401})
            return
        if not params.get("From") or not params.get("To"):
            self._send(400, {"code": 21604, "message": "A 'From' and a 'To' phone number are required."})
            return
        if not any(params.get(k) for k in ("Body", "MediaUrl", "ContentSid")):
            self._send(
                400, {"code": 21619, "message": "A text message body or media urls must be specified."}
            )
            return
        if self._faulted("twilio_whatsapp"):
            return
        number = self.state.record("twilio_whatsapp", "Messages.json", str(params.get("To", "")), params)
        sid = f"SM{number:032d}"
        self._send(201, {"sid": sid, "status": "queued", "to": params.get("To"), "from": params.get("From")})


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: StubState, verbose: bool = False) -> None:
        super().__init__(address, _Handler)
        self.state, self.verbose = state, verbose


class StubPlatforms:
    """A running stub: its URL, what it received, and the media it serves (for tests)."""

    def __init__(self, server: _StubServer) -> None:
        self.server, self.state = server, server.state
        host, port = server.server_address[:2]
        self.url = f"http://{host}:{port}"

    def settings(self) -> dict[str, str]:
        """Environment settings that point the assistant's channels at this stub."""
        c = self.state.credentials
        return {
            "TELEGRAM_API_URL": self.url,
            "TELEGRAM_TOKEN": c.telegram_token,
            "META_GRAPH_URL": self.url,
            "META_GRAPH_VERSION": GRAPH_VERSION,
            "WHATSAPP_TOKEN": c.whatsapp_token,
            "WHATSAPP_PHONE_NUMBER_ID": c.phone_number_id,
            "MESSENGER_PAGE_TOKEN": c.page_token,
            "TWILIO_API_URL": self.url,
            "TWILIO_ACCOUNT_SID": c.twilio_sid,
            "TWILIO_AUTH_TOKEN": c.twilio_token,
            "TWILIO_WHATSAPP_NUMBER": TWILIO_WHATSAPP_NUMBER,
        }

    def add_media(self, data: bytes, content_type: str = "image/jpeg") -> str:
        """Registers a file; its id is a Telegram file_id and a WhatsApp media id."""
        key = f"{next(self.state.counter):06d}"
        with self.state.lock:
            self.state.media[key] = (data, content_type)
        return key

    def messenger_url(self, key: str) -> str:
        return f"{self.url}/messenger-cdn/{key}"

    def twilio_media_url(self, key: str) -> str:
        sid = self.state.credentials.twilio_sid
        return f"{self.url}/2010-04-01/Accounts/{sid}/Messages/MM{key}/Media/ME{key}"

    def sent(self, platform: str | None = None, recipient: str | None = None) -> list[dict[str, Any]]:
        with self.state.lock:
            return [
                call
                for call in self.state.sent
                if (platform is None or call["platform"] == platform)
                and (recipient is None or call["recipient"] == recipient)
            ]

    def wait_for(
        self, platform: str, recipient: str, count: int = 1, timeout: float = 30, settle: float = 0.5
    ) -> list[dict[str, Any]]:
        """The calls to `recipient` once there are at least `count` of them and no more came in the
        last `settle` seconds (a turn's replies arrive one by one).  Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        with self.state.changed:
            while True:
                calls = [
                    c for c in self.state.sent if c["platform"] == platform and c["recipient"] == recipient
                ]
                left = deadline - time.monotonic()
                if len(calls) >= count:
                    if not self.state.changed.wait(min(settle, max(left, 0))):
                        return calls
                    continue
                if left <= 0:
                    raise TimeoutError(f"{len(calls)} of {count} calls to {recipient} on {platform}: {calls}")
                self.state.changed.wait(left)

    def fail_next(self, status: int | None = 500, times: int = 1, delay: float = 0.0) -> None:
        """The next `times` sends answer `status` (None: succeed) after `delay` seconds."""
        with self.state.lock:
            self.state.fault = {"status": status, "delay": delay, "times": times}

    def reset(self) -> None:
        self.state.reset()


def make_server(
    host: str = "127.0.0.1", port: int = 0, credentials: Credentials | None = None, verbose: bool = False
) -> _StubServer:
    return _StubServer((host, port), StubState(credentials or Credentials()), verbose)


@contextmanager
def running_stub(credentials: Credentials | None = None, host: str = "127.0.0.1") -> Iterator[StubPlatforms]:
    """Serves the stub on a free port in a background thread."""
    server = make_server(host, 0, credentials)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="stub-platforms", daemon=True)
    thread.start()
    try:
        yield StubPlatforms(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local stand-in for Telegram, Meta Graph and Twilio APIs")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port, verbose=not args.quiet)
    stub = StubPlatforms(server)
    print(f"Stub platforms on {stub.url}/ ; point the assistant at it with:", flush=True)
    for name, value in stub.settings().items():
        print(f"  export {name}={value}", flush=True)
    print("  (and the webhook secrets of your choice: README, Channels)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
