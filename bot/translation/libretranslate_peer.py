"""A LibreTranslate-compatible HTTP server for tests and local development (no internet needed).

    python -m bot.translation.libretranslate_peer --port 5000 [--phrasebook FILE] [--api-key KEY]
    TRANSLATOR=libretranslate TRANSLATOR_URL=http://127.0.0.1:5000/ ...

It speaks LibreTranslate's API as deep-translator and other clients use it (parameters in the
query string, a form or a JSON body):

* `POST /translate` q, source ("auto" allowed), target, format, api_key -> {"translatedText": ...}
  (a list when q is a list; with "detectedLanguage" when source is "auto");
* `GET /languages` -> [{"code", "name", "targets"}]; `POST /detect` q -> [{"confidence", "language"}];
* errors as LibreTranslate returns them: {"error": ...} with 400 (missing parameter, unsupported
  language), 403 (API key, when started with one), 429 and 500.

What it "translates": sentences of the phrasebook (peer_phrasebook.yml beside this file by
default); anything else comes back as "[<target>] <text>", tokens untouched, so a test can tell it
went through.  Faults for tests, changed at run time (`set_fault` below wraps these):

* `POST /_faults` {"mode": ..., "times": n, "delay": s}: modes ok (no fault), slow (answer after
  `delay` seconds), 429, 500, 400, 403, garbage (an error page as translatedText), empty (""),
  html (a 200 that is not JSON), drop_placeholders, dup_placeholders; `times` limits the fault to
  the next n translate requests (omitted: until changed);
* `GET /_stats` request counters and the last requests received; `POST /_reset` clears both.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import yaml

from bot.translation.placeholders import CLOSE, OPEN, TOKEN

DEFAULT_PHRASEBOOK = Path(__file__).with_name("peer_phrasebook.yml")
DEFAULT_PORT = 5000  # LibreTranslate's own

LANGUAGES = {
    "en": "English",
    "ar": "Arabic",
    "zh": "Chinese",
    "zt": "Chinese (traditional)",
    "cs": "Czech",
    "da": "Danish",
    "nl": "Dutch",
    "fi": "Finnish",
    "fr": "French",
    "de": "German",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nb": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "es": "Spanish",
    "sv": "Swedish",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
}
FAULT_MODES = (
    "ok",
    "slow",
    "429",
    "500",
    "400",
    "403",
    "garbage",
    "empty",
    "html",
    "drop_placeholders",
    "dup_placeholders",
)
ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
HISTORY = 100  # requests kept for /_stats

_SPACES = re.compile(r"\s+")
_TOKEN_SPACES = re.compile(rf"{OPEN}\s*(\d+)\s*{CLOSE}")
_END_PUNCTUATION = re.compile(r"[\s.!?。！？…]+$")


def _match_key(text: str) -> str:
    """Phrasebook matching ignores case, spacing, closing punctuation and apostrophe styles."""
    text = _TOKEN_SPACES.sub(lambda m: f"{OPEN}{m.group(1)}{CLOSE}", text.replace("’", "'"))
    return _END_PUNCTUATION.sub("", _SPACES.sub(" ", text).strip()).casefold()


class Phrasebook:
    """Groups of equivalent sentences: `{text: {lang: translation, ..., "source": lang_of_text}}`.

    Any sentence of a group translates to the group's sentence in the target language; `source`
    (optional) names the key's language, which makes the key reachable from its translations and
    lets /detect recognise it."""

    def __init__(self, entries: dict[str, dict[str, str]] | None = None):
        self._groups: dict[str, tuple[dict[str, str], str | None]] = {}
        for text, translations in (entries or {}).items():
            self.add(str(text), translations)

    def add(self, text: str, translations: dict[Any, str]) -> None:
        # YAML reads an unquoted `no:` (Norwegian) as False.
        langs = {("no" if lang is False else str(lang)): str(value) for lang, value in translations.items()}
        source = langs.pop("source", None)
        group = dict(langs)
        if source:
            group[source] = text
        self._groups[_match_key(text)] = (group, source)
        for value in langs.values():
            self._groups.setdefault(_match_key(value), (group, None))

    @classmethod
    def load(cls, source: Path | str | dict | None = None) -> Phrasebook:
        if isinstance(source, dict):
            return cls(source)
        path = Path(source) if source is not None else DEFAULT_PHRASEBOOK
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")) or {})

    def translate(self, text: str, target: str) -> str | None:
        found = self._groups.get(_match_key(text))
        return found[0].get(target) if found else None

    def detect(self, text: str) -> str | None:
        found = self._groups.get(_match_key(text))
        if not found:
            return None
        group, source = found
        key = _match_key(text)
        return source or next((lang for lang, value in group.items() if _match_key(value) == key), None)


class PeerState:
    """Phrasebook, faults and counters, shared by the server's request threads."""

    def __init__(self, phrasebook: Phrasebook, api_key: str | None = None):
        self.phrasebook, self.api_key = phrasebook, api_key
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # wakes slow requests when the server stops
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.mode, self.times, self.delay = "ok", None, 0.0
            self.counts: dict[str, Any] = {
                "translate": 0,
                "translated": 0,
                "faulted": 0,
                "detect": 0,
                "languages": 0,
                "by_status": {},
            }
            self.history: list[dict[str, Any]] = []

    def set_fault(self, mode: str, times: int | None, delay: float) -> None:
        with self.lock:
            self.mode, self.times, self.delay = mode, times, delay

    def take_fault(self) -> tuple[str, float]:
        """The fault for this translate request, counting it down."""
        with self.lock:
            mode, delay = self.mode, self.delay
            if mode != "ok" and self.times is not None:
                self.times -= 1
                if self.times <= 0:
                    self.mode, self.times, self.delay = "ok", None, 0.0
            return mode, delay

    def count(self, name: str, status: int | None = None) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1
            if status is not None:
                by_status = self.counts["by_status"]
                by_status[str(status)] = by_status.get(str(status), 0) + 1

    def remember(self, params: dict[str, Any]) -> None:
        with self.lock:
            self.history.append(
                {k: params.get(k) for k in ("q", "source", "target", "format")}
                | {"api_key": bool(params.get("api_key"))}
            )
            del self.history[:-HISTORY]

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            counts = json.loads(json.dumps(self.counts))
            fault = {"mode": self.mode, "times": self.times, "delay": self.delay}
            return counts | {"fault": fault, "requests": list(self.history)}


def pseudo_translate(text: str, target: str) -> str:
    """What the peer answers for a sentence it does not know: visibly marked, tokens intact."""
    return f"[{target}] {text}"


class _Handler(BaseHTTPRequestHandler):
    server: _PeerServer
    server_version = "LibreTranslatePeer/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    # -- plumbing
    def _params(self) -> dict[str, Any]:
        """Query string, then a JSON or form body on top (LibreTranslate accepts all three)."""
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if body:
            if "json" in (self.headers.get("Content-Type") or ""):
                data = json.loads(body)
                if not isinstance(data, dict):
                    raise ValueError("JSON body must be an object")
                params.update(data)
            else:
                params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8")).items()})
        return params

    def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"error": message})

    # -- routes
    def do_GET(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        state = self.server.state
        if path == "/languages":
            state.count("languages")
            codes = list(LANGUAGES)
            self._send(200, [{"code": c, "name": n, "targets": codes} for c, n in LANGUAGES.items()])
        elif path == "/_stats":
            self._send(200, state.snapshot())
        elif path == "/_faults":
            self._send(200, state.snapshot()["fault"])
        else:
            self._error(404, "Not Found")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        try:
            params = self._params()
        except (ValueError, UnicodeDecodeError):
            self._error(400, "Invalid request: malformed body")
            return
        if path == "/translate":
            self._translate(params)
        elif path == "/detect":
            self._detect(params)
        elif path == "/_faults":
            self._faults(params)
        elif path == "/_reset":
            self.server.state.reset()
            self._send(200, {"ok": True})
        else:
            self._error(404, "Not Found")

    def _faults(self, params: dict[str, Any]) -> None:
        mode = str(params.get("mode", "ok"))
        if mode not in FAULT_MODES:
            self._error(400, f"mode must be one of {', '.join(FAULT_MODES)}")
            return
        try:
            times = None if params.get("times") in (None, "") else int(params["times"])
            delay = float(params.get("delay") or 0.0)
        except (TypeError, ValueError):
            self._error(400, "times must be an integer and delay a number")
            return
        self.server.state.set_fault(mode, times, delay)
        self._send(200, self.server.state.snapshot()["fault"])

    def _check(self, params: dict[str, Any], *required: str) -> bool:
        for name in required:
            if params.get(name) in (None, "", []):
                self._error(400, f"Invalid request: missing {name} parameter")
                return False
        key = self.server.state.api_key
        if key is not None and params.get("api_key") != key:
            self._error(403, "Invalid API key")
            return False
        return True

    def _detect(self, params: dict[str, Any]) -> None:
        state = self.server.state
        state.count("detect")
        if not self._check(params, "q"):
            return
        language = state.phrasebook.detect(str(params["q"]))
        self._send(200, [{"confidence": 90.0 if language else 10.0, "language": language or "en"}])

    def _translate(self, params: dict[str, Any]) -> None:
        state = self.server.state
        state.count("translate")
        state.remember(params)
        mode, delay = state.take_fault()
        if mode == "slow":
            state.stopping.wait(delay)
        faults = {
            "429": (429, "Too many request limits violations"),
            "500": (500, "Cannot translate text: internal error"),
            "400": (400, "Invalid request"),
            "403": (403, "Invalid API key"),
        }
        if mode in faults:
            state.count("faulted", faults[mode][0])
            self._error(*faults[mode])
            return
        if not self._check(params, "q", "source", "target"):
            state.count("rejected", 400)
            return
        source, target = str(params["source"]), str(params["target"])
        for lang, role in ((source, "source"), (target, "target")):
            if lang not in LANGUAGES and not (role == "source" and lang == "auto"):
                state.count("rejected", 400)
                self._error(400, f"{lang} is not supported")
                return
        texts = params["q"] if isinstance(params["q"], list) else [params["q"]]
        detected = (state.phrasebook.detect(str(texts[0])) or "en") if source == "auto" else source
        answers = [self._answer(str(text), detected, target, mode) for text in texts]
        if mode in ("garbage", "empty", "html"):
            state.count("faulted", 200)
            if mode == "html":
                self._send(200, ERROR_PAGE.encode(), "text/html")
                return
            answers = [ERROR_PAGE if mode == "garbage" else "" for _ in texts]
        elif mode in ("drop_placeholders", "dup_placeholders"):
            state.count("faulted", 200)
        else:
            state.count("translated", 200)
        payload: dict[str, Any] = {"translatedText": answers if isinstance(params["q"], list) else answers[0]}
        if source == "auto":
            payload["detectedLanguage"] = {"confidence": 90.0, "language": detected}
        self._send(200, payload)

    def _answer(self, text: str, source: str, target: str, mode: str) -> str:
        if source == target:
            answer = text
        else:
            answer = self.server.state.phrasebook.translate(text, target) or pseudo_translate(text, target)
        if mode == "drop_placeholders":
            answer = TOKEN.sub("", answer)
        elif mode == "dup_placeholders":
            answer = TOKEN.sub(lambda m: m.group(0) * 2, answer, count=1)
        return answer


class _PeerServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: PeerState, verbose: bool = False):
        super().__init__(address, _Handler)
        self.state, self.verbose = state, verbose


def make_server(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    phrasebook: Path | str | dict | None = None,
    api_key: str | None = None,
    verbose: bool = False,
) -> _PeerServer:
    """A peer bound to (host, port) (port 0: a free one), not yet serving."""
    return _PeerServer((host, port), PeerState(Phrasebook.load(phrasebook), api_key), verbose)


@contextmanager
def running_peer(
    phrasebook: Path | str | dict | None = None, *, api_key: str | None = None, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Serves a peer on a free port in a background thread; yields its base URL ("http://.../")."""
    server = make_server(host, 0, phrasebook, api_key)
    # A short poll interval: shutdown() waits for the serving loop to notice.
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="libretranslate-peer", daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.state.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- client helpers for tests and scripts
def set_fault(url: str, mode: str, times: int | None = None, delay: float = 0.0) -> dict[str, Any]:
    """Makes the peer at `url` misbehave (see the module's docstring); "ok" stops it."""
    response = requests.post(
        url.rstrip("/") + "/_faults", json={"mode": mode, "times": times, "delay": delay}, timeout=5
    )
    response.raise_for_status()
    return response.json()


def peer_stats(url: str) -> dict[str, Any]:
    response = requests.get(url.rstrip("/") + "/_stats", timeout=5)
    response.raise_for_status()
    return response.json()


def reset_peer(url: str) -> None:
    requests.post(url.rstrip("/") + "/_reset", timeout=5).raise_for_status()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="LibreTranslate-compatible peer for tests and development")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--phrasebook", type=Path, default=DEFAULT_PHRASEBOOK)
    parser.add_argument("--api-key", default=None, help="require this api_key (403 otherwise)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port, args.phrasebook, args.api_key, verbose=not args.quiet)
    print(f"LibreTranslate peer on http://{args.host}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.state.stopping.set()
        server.server_close()


if __name__ == "__main__":
    main()
