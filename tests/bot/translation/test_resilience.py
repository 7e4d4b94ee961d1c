"""Error classes, garbage checks, the circuit breaker and the bounded caller.

Exceptions are the real ones: raised by deep-translator's LibreTranslator talking to the peer."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from deep_translator import LibreTranslator
from deep_translator.exceptions import (
    LanguageNotSupportedException,
    MicrosoftAPIerror,
    RequestError,
    ServerException,
    TooManyRequests,
)

from bot.translation.libretranslate_peer import set_fault
from bot.translation.placeholders import protect
from bot.translation.resilience import (
    BoundedCaller,
    Busy,
    CallTimeout,
    CircuitBreaker,
    Failure,
    classify,
    garbage,
)


def libre(url: str) -> LibreTranslator:
    translator = LibreTranslator(source="auto", target="en", api_key="-", custom_url=url)
    translator.source, translator.target = "sv", "en"
    return translator


def raised_by(url: str) -> BaseException:
    with pytest.raises(Exception) as caught:
        libre(url).translate("tack")
    return caught.value


@pytest.mark.parametrize(
    ("fault", "kind", "retry", "counts", "status"),
    [
        ("429", "rate_limited", True, True, 429),
        ("500", "server_error", True, True, 500),
        ("400", "client_error", False, False, 400),
        ("403", "auth", False, True, 403),
        ("html", "garbage", False, True, None),
    ],
)
def test_classifies_what_deep_translator_raises(
    peer: str, fault: str, kind: str, retry: bool, counts: bool, status: int | None
) -> None:
    set_fault(peer, fault, times=1)
    failure = classify(raised_by(peer))
    assert (failure.kind, failure.retry, failure.counts, failure.status) == (kind, retry, counts, status)


def test_a_refused_connection_is_retried(make_translator, sleeps) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    failure = classify(raised_by(closed))
    assert (failure.kind, failure.retry, failure.counts) == ("connection", True, True)
    translator = make_translator(translator_url=closed, translator_retries=2)
    assert translator.translate("tack", "sv", "en") is None
    assert translator.stats.failures == {"connection": 3} and len(sleeps) == 2


def test_classifies_exceptions_without_a_response() -> None:
    assert classify(TooManyRequests()).status == 429
    assert classify(ServerException(503)).status == 503  # from deep-translator's message
    assert classify(ServerException(502)).kind == "server_error"  # unknown message: assume 5xx
    assert classify(RequestError()).retry is True
    assert classify(MicrosoftAPIerror({"code": 429001, "message": "slow down"})).status == 429
    assert classify(MicrosoftAPIerror({"code": 400036, "message": "bad target"})).retry is False
    assert classify(LanguageNotSupportedException("xx")) == Failure(
        "unsupported", False, False, detail="LanguageNotSupportedException"
    )
    assert classify(RuntimeError("?")).kind == "error"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "not_text"),
        (["Hi"], "not_text"),
        ("  ", "empty"),
        ("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "error_page"),
        ('{"error": "Too many requests"}', "error_page"),
        ("503 Service Unavailable", "error_page"),
        ("Too Many Requests.", "error_page"),
        ("My order number is", "placeholders"),
        ("x" * 1000, "too_long"),
    ],
)
def test_garbage(answer: object, reason: str) -> None:
    failure = garbage(answer, protect("Mitt ordernummer är SO-100231"))
    assert failure is not None and (failure.kind, failure.detail) == ("garbage", reason)


def test_real_translations_are_not_garbage() -> None:
    assert garbage("My order number is ⟦0⟧", protect("Mitt ordernummer är SO-100231")) is None
    assert garbage("The page was not found on the site", protect("Sidan hittades inte")) is None
    assert garbage("Not found", protect("Not found")) is None  # the text itself says so


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_waits_and_lets_one_trial_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=clock)
    failure = Failure("server_error", True, True, 500)
    breaker.record(failure)
    assert breaker.allow() and breaker.state == "closed"
    breaker.record(failure)
    assert breaker.state == "open" and not breaker.allow()
    clock.now += 10
    assert breaker.state == "half_open"
    assert breaker.allow() and not breaker.allow()  # one trial at a time
    breaker.record(None)
    assert breaker.state == "closed" and breaker.allow()


def test_refusals_neither_open_nor_reset_the_breaker_but_close_it_after_a_trial() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=clock)
    refusal = Failure("client_error", False, False, 400)
    breaker.record(Failure("timeout", True, True))
    for _ in range(5):
        breaker.record(refusal)
    assert breaker.state == "closed"
    breaker.record(Failure("timeout", True, True))
    assert breaker.state == "open"
    clock.now += 10
    assert breaker.allow()
    breaker.record(refusal)  # the provider answered
    assert breaker.state == "closed"


def test_threshold_zero_switches_the_breaker_off() -> None:
    breaker = CircuitBreaker(threshold=0, cooldown=10)
    for _ in range(10):
        breaker.record(Failure("timeout", True, True))
    assert breaker.allow()


def test_bounded_caller() -> None:
    caller = BoundedCaller(max_in_flight=1)
    assert caller.call(lambda: "done", 1.0) == "done"
    with pytest.raises(ZeroDivisionError):
        caller.call(lambda: 1 / 0, 1.0)
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(CallTimeout):
        caller.call(lambda: release.wait(5), 0.1)
    assert time.monotonic() - started < 0.5
    with pytest.raises(Busy):
        caller.call(lambda: "never", 1.0)
    release.set()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            assert caller.call(lambda: "again", 1.0) == "again"
            break
        except Busy:
            time.sleep(0.01)
    else:
        pytest.fail("the worker was never given back")
