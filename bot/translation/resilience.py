"""What deep-translator leaves out: a time limit per call, error classes worth retrying, a circuit
breaker, and answers that must not be shown.

deep-translator calls `requests` without a timeout, raises a handful of unrelated exception types
and drops the HTTP status of most of them; `classify` turns all of that into one `Failure`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from deep_translator.exceptions import (
    ApiKeyException,
    AuthorizationException,
    InvalidSourceOrTargetLanguage,
    LanguageNotSupportedException,
    MicrosoftAPIerror,
    NotValidLength,
    NotValidPayload,
    RequestError,
    ServerException,
    TooManyRequests,
    TranslationNotFound,
)

from bot.translation.placeholders import Protected

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """Why one provider call failed, and what to do about it."""

    kind: str  # timeout, rate_limited, server_error, connection, auth, client_error, garbage, ...
    retry: bool  # worth another attempt (429, 5xx, timeouts, broken connections)
    counts: bool  # a sign the provider is unwell: counts towards opening the circuit
    status: int | None = None
    detail: str = ""


TIMEOUT = Failure("timeout", retry=True, counts=True)
BUSY = Failure("busy", retry=False, counts=True)  # every worker is stuck in an earlier call


def failure_for_status(status: int | None, detail: str = "") -> Failure:
    if status == 429:
        return Failure("rate_limited", True, True, status, detail)
    if status == 501:  # deep-translator's "ERR_LANG_NOT_SUPPORTED": asking again changes nothing
        return Failure("client_error", False, False, status, detail)
    if status is None or status >= 500:
        return Failure("server_error", True, True, status, detail)
    if status in (401, 402, 403):
        return Failure("auth", False, True, status, detail)
    # Other 4xx: this text or language pair is refused, but the provider is answering.
    return Failure("client_error", False, False, status, detail)


_STATUS_BY_MESSAGE = {message: status for status, message in ServerException.errors.items()}
_MICROSOFT_CODE = re.compile(r"'code':\s*(\d{6})")


def _status_of(exc: BaseException) -> int | None:
    """The HTTP status behind a deep-translator exception.

    ServerException and RequestError keep only a message, so look for the `response` in the frame
    that raised it (deep-translator's translate methods name it so), then map the message back."""
    tb = exc.__traceback__
    while tb is not None:
        response = tb.tb_frame.f_locals.get("response")
        if isinstance(getattr(response, "status_code", None), int):
            return response.status_code
        tb = tb.tb_next
    return _STATUS_BY_MESSAGE.get(str(exc.args[0]) if exc.args else "")


def classify(exc: BaseException) -> Failure:
    """A provider call's exception as a `Failure`."""
    detail = type(exc).__name__
    if isinstance(exc, TooManyRequests):
        return failure_for_status(429, detail)
    if isinstance(exc, (ServerException, RequestError)):
        return failure_for_status(_status_of(exc), detail)
    if isinstance(exc, AuthorizationException):
        return failure_for_status(403, detail)
    if isinstance(exc, MicrosoftAPIerror):
        # Microsoft's error codes are the HTTP status followed by three digits (429001).
        match = _MICROSOFT_CODE.search(exc.api_message)
        return failure_for_status(int(match.group(1)) // 1000 if match else None, detail)
    if isinstance(exc, (LanguageNotSupportedException, InvalidSourceOrTargetLanguage)):
        return Failure("unsupported", False, False, detail=detail)
    if isinstance(exc, (NotValidPayload, NotValidLength)):
        return Failure("client_error", False, False, detail=detail)
    if isinstance(exc, ApiKeyException):
        return Failure("auth", False, True, detail=detail)
    # A 200 whose body is not the expected JSON (a proxy's page, a truncated reply).  Checked
    # before RequestException: requests' JSONDecodeError is one of those too.
    if isinstance(exc, (TranslationNotFound, ValueError, KeyError, IndexError, TypeError)):
        return Failure("garbage", False, True, detail=detail)
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)):
        return Failure("config", False, True, detail=detail)
    if isinstance(exc, (requests.exceptions.RequestException, OSError)):
        return Failure("connection", True, True, detail=detail)
    return Failure("error", False, True, detail=detail)


_ERROR_PAGE = re.compile(r"\s*(?:<!doctype|<html|<head|<body|<\?xml|\{\s*\"error\")", re.IGNORECASE)
_ERROR_PHRASE = re.compile(
    r"(?:error\s*)?(?:\d{3}\s*[-:]?\s*)?(?:too many requests|internal server error|bad gateway|"
    r"service (?:temporarily )?unavailable|gateway time-?out|forbidden|not found|bad request|"
    r"unauthorized|access denied|rate limit exceeded)\W*",
    re.IGNORECASE,
)


def garbage(result: Any, sent: Protected) -> Failure | None:
    """Why a provider's answer to `sent` must not be shown, or None when it may be."""

    def bad(reason: str) -> Failure:
        return Failure("garbage", False, True, detail=reason)

    if not isinstance(result, str):
        return bad("not_text")
    if not result.strip():
        return bad("empty")
    if _ERROR_PAGE.match(result) or (
        _ERROR_PHRASE.fullmatch(result.strip()) and not _ERROR_PHRASE.fullmatch(sent.text.strip())
    ):
        return bad("error_page")
    if len(result) > 10 * len(sent.text) + 200:
        return bad("too_long")
    if sent.restore(result) is None:
        return bad("placeholders")
    return None


class CircuitBreaker:
    """Stops calling a failing provider: after `threshold` consecutive failures no call goes
    out for `cooldown` seconds; then one trial call decides whether to close or open again.

    Process-local on purpose: each process finds out for itself, within a few calls."""

    def __init__(self, threshold: int, cooldown: float, clock: Callable[[], float] = time.monotonic):
        self.threshold, self.cooldown, self._clock = threshold, cooldown, clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False  # a half-open trial call is under way
        self.opened = 0  # how many times it opened

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            if self._trial or self._clock() - self._opened_at >= self.cooldown:
                return "half_open"
            return "open"

    def allow(self) -> bool:
        """May a call go out now?  True at most once per cooldown while the circuit is open."""
        if self.threshold <= 0:  # 0 switches the breaker off
            return True
        with self._lock:
            if self._opened_at is None:
                return True
            if self._trial or self._clock() - self._opened_at < self.cooldown:
                return False
            self._trial = True
            return True

    def record(self, failure: Failure | None) -> None:
        """The outcome of an allowed call: None for success."""
        with self._lock:
            trial, self._trial = self._trial, False
            if failure is None or not failure.counts:
                # The provider answered (even a refusal of this text means it is up).
                if failure is None or trial:
                    self._failures, self._opened_at = 0, None
                return
            self._failures += 1
            # Calls let through before it opened must not push the reopening further away.
            opens = self._opened_at is None and self._failures >= self.threshold
            if self.threshold > 0 and (trial or opens):
                self._opened_at = self._clock()
                self.opened += 1


class Busy(Exception):
    """No worker is free: earlier calls are still stuck."""


class CallTimeout(Exception):
    pass


class BoundedCaller:
    """Runs calls on at most `max_in_flight` worker threads and waits a limited time for each.

    Daemon threads rather than a ThreadPoolExecutor: the executor's workers are joined when the
    interpreter exits, and a call that never returns (deep-translator passes no socket timeout)
    would then hang the shutdown.  A call given up on keeps its worker until it returns; while
    all are taken, further calls fail at once instead of queueing."""

    def __init__(self, max_in_flight: int = 4):
        self._slots = threading.BoundedSemaphore(max_in_flight)

    def call(self, fn: Callable[[], T], timeout: float) -> T:
        if not self._slots.acquire(blocking=False):
            raise Busy()
        future: Future = Future()

        def run() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the waiting caller
                future.set_exception(exc)
            finally:
                self._slots.release()

        threading.Thread(target=run, name="translator-call", daemon=True).start()
        try:
            return future.result(timeout=max(timeout, 0.0))
        except FutureTimeout:
            raise CallTimeout() from None
