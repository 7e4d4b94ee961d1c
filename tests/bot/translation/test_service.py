"""Translator end to end: deep-translator's LibreTranslator against the peer, over loopback HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.config import get_settings
from bot.translation import Translator
from bot.translation.libretranslate_peer import peer_stats, running_peer, set_fault


def test_translates_a_phrasebook_sentence(make_translator: Callable[..., Translator], calls) -> None:
    translator = make_translator()
    assert translator.translate("Hej, det saknas en sak i mitt paket", "sv", "en") == (
        "Hi, an item is missing from my parcel"
    )
    assert translator.translate("ja tack", "auto", "en") == "yes please"
    # Unknown text comes back marked by the peer: it really went through.
    assert translator.translate("Hur mår du?", "sv", "en") == "[en] Hur mår du?"
    assert calls() == 3
    sent = peer_stats(translator.provider.url)["requests"]
    assert [(r["source"], r["target"], r["api_key"]) for r in sent] == [
        ("sv", "en", False),
        ("auto", "en", False),
        ("sv", "en", False),
    ]


def test_language_codes_are_mapped_and_normalized(make_translator, peer: str) -> None:
    translator = make_translator()
    assert translator.translate("Tack så mycket!", "SV", "en_US".split("_")[0]) == "thank you very much"
    assert translator.translate("Hello there", "en", "zh-CN") == "[zh] Hello there"
    assert [r["target"] for r in peer_stats(peer)["requests"]] == ["en", "zh"]


def test_placeholders_survive_the_round_trip(make_translator, peer: str) -> None:
    translator = make_translator()
    assert translator.translate("Mitt ordernummer är SO-100231", "sv", "en") == "My order number is SO-100231"
    template = "Thank you, I found order {order_number} placed on {placed_at}."
    assert translator.translate(template, "en", "sv") == (
        "Tack, jag hittade order {order_number} lagd den {placed_at}."
    )
    free = "Refund of €12.50 to anna@example.se for SO-100231 on 2026-11-30, see https://shop.example/r?id=7."
    assert translator.translate(free, "en", "sv") == "[sv] " + free
    # What the provider saw: tokens only, none of the values.
    sent = [r["q"] for r in peer_stats(peer)["requests"]]
    assert sent[0] == "Mitt ordernummer är ⟦0⟧"
    assert sent[1] == "Thank you, I found order ⟦0⟧ placed on ⟦1⟧."
    assert sent[2] == "Refund of ⟦0⟧ to ⟦1⟧ for ⟦2⟧ on ⟦3⟧, see ⟦4⟧."


def test_nothing_to_translate_makes_no_call(make_translator, calls) -> None:
    translator = make_translator()
    assert translator.translate("Hej", "sv", "sv") == "Hej"
    assert translator.translate("   ", "sv", "en") == "   "
    assert translator.translate("SO-100231, 2026-11-30", "sv", "en") == "SO-100231, 2026-11-30"
    assert translator.translate("\nHej\n", "sv", "en") == "\nHi\n"  # surrounding whitespace kept
    assert calls() == 1


def test_timeout_returns_none_within_the_budget(make_translator, peer: str, calls) -> None:
    translator = make_translator(
        real_sleep=True, translator_timeout=0.3, translator_budget=0.8, translator_retries=2
    )
    set_fault(peer, "slow", delay=3.0)
    started = time.monotonic()
    assert translator.translate("Hej, det saknas en sak i mitt paket", "sv", "en") is None
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed <= 0.8 + 0.2  # the budget, and scheduling slack on a busy machine
    assert calls() >= 2  # the timeout was retried within the budget
    assert translator.stats.failures["timeout"] == calls()


def test_a_hung_call_does_not_take_more_workers_than_allowed(make_translator, peer: str, calls) -> None:
    translator = make_translator(max_in_flight=1, translator_timeout=0.2, translator_budget=0.3)
    set_fault(peer, "slow", delay=2.0)
    assert translator.translate("första", "sv", "en") is None
    started = time.monotonic()
    # Its only worker still waits for the peer: the next text fails at once instead of queueing.
    assert translator.translate("andra", "sv", "en") is None
    assert time.monotonic() - started < 0.2
    assert calls() == 1 and translator.stats.failures["busy"] == 1


@pytest.mark.parametrize("fault", ["429", "500"])
def test_retries_with_backoff_then_succeeds(make_translator, peer: str, calls, sleeps, fault: str) -> None:
    translator = make_translator(translator_retries=2)
    set_fault(peer, fault, times=2)
    assert translator.translate("tack", "sv", "en") == "thanks"
    assert calls() == 3
    assert len(sleeps) == 2 and 0.1 <= sleeps[0] <= 0.2 and 0.2 <= sleeps[1] <= 0.4  # doubling, jittered
    assert peer_stats(peer)["by_status"] == {fault: 2, "200": 1}


def test_gives_up_after_the_configured_retries(make_translator, peer: str, calls, sleeps) -> None:
    translator = make_translator(translator_retries=2)
    set_fault(peer, "500")
    assert translator.translate("tack", "sv", "en") is None
    assert calls() == 3 and len(sleeps) == 2


def test_backoff_never_outlasts_the_budget(make_translator, peer: str, calls, sleeps) -> None:
    translator = make_translator(translator_retries=5, translator_budget=0.25)
    set_fault(peer, "429")
    assert translator.translate("tack", "sv", "en") is None
    assert sum(sleeps) <= 0.25 and calls() == len(sleeps) + 1


@pytest.mark.parametrize("how", ["fault", "unsupported language"])
def test_no_retry_on_400(make_translator, peer: str, calls, sleeps, how: str) -> None:
    translator = make_translator(translator_retries=2)
    if how == "fault":
        set_fault(peer, "400")
        assert translator.translate("tack", "sv", "en") is None
    else:
        assert translator.translate("tack", "sv", "eo") is None  # the peer has no Esperanto: 400
    assert calls() == 1 and sleeps == []
    assert translator.stats.failures == {"client_error": 1}
    # A refusal is an answer: it does not count towards the circuit breaker.
    assert translator.breaker.state == "closed"


def test_api_key_is_sent_and_a_refusal_is_not_retried(db_url: str, sleeps) -> None:
    with running_peer(api_key="secret") as url:
        settings = replace(
            get_settings(), database_url=db_url, translator="libretranslate", translator_url=url
        )
        right = Translator(replace(settings, translator_api_key="secret"), sleep=sleeps)
        assert right.translate("tack", "sv", "en") == "thanks"
        wrong = Translator(replace(settings, translator_api_key="wrong"), sleep=sleeps)
        assert wrong.translate("ja", "sv", "en") is None
        assert wrong.stats.failures == {"auth": 1}
        assert peer_stats(url)["translate"] == 2 and sleeps == []
        assert [r["api_key"] for r in peer_stats(url)["requests"]] == [True, True]


@pytest.mark.parametrize("mode", ["garbage", "empty", "html", "drop_placeholders", "dup_placeholders"])
def test_garbage_is_rejected_and_not_cached(make_translator, peer: str, calls, sleeps, mode: str) -> None:
    translator = make_translator()
    set_fault(peer, mode, times=1)
    text = "Jag fick bara 1 av 2"
    assert translator.translate(text, "sv", "en") is None
    assert calls() == 1 and sleeps == []  # garbage is not retried
    assert translator.stats.failures == {"garbage": 1}
    assert translator.translate(text, "sv", "en") == "I only received 1 of 2"
    assert calls() == 2


def test_circuit_opens_after_consecutive_failures_and_closes_after_cooldown(
    make_translator, peer: str, calls
) -> None:
    translator = make_translator(
        translator_retries=0, translator_breaker_threshold=3, translator_breaker_cooldown=0.5
    )
    set_fault(peer, "500")
    for word in ("ett", "två", "tre"):
        assert translator.translate(word, "sv", "en") is None
    assert calls() == 3 and translator.breaker.state == "open"
    started = time.monotonic()
    for word in ("fyra", "fem", "sex", "sju"):
        assert translator.translate(word, "sv", "en") is None
    assert calls() == 3  # the provider was left alone
    assert time.monotonic() - started < 0.3 and translator.stats.short_circuited == 4

    set_fault(peer, "ok")
    time.sleep(0.55)
    assert translator.breaker.state == "half_open"
    assert translator.translate("tack", "sv", "en") == "thanks"  # the trial call
    assert translator.breaker.state == "closed"
    assert translator.translate("ja", "sv", "en") == "yes"
    assert calls() == 5


def test_a_failed_trial_opens_the_circuit_again(make_translator, peer: str, calls) -> None:
    translator = make_translator(
        translator_retries=0, translator_breaker_threshold=2, translator_breaker_cooldown=0.3
    )
    set_fault(peer, "429")
    for word in ("ett", "två"):
        translator.translate(word, "sv", "en")
    time.sleep(0.35)
    assert translator.translate("tre", "sv", "en") is None  # trial fails
    assert calls() == 3 and translator.breaker.state == "open" and translator.breaker.opened == 2
    assert translator.translate("fyra", "sv", "en") is None
    assert calls() == 3


def test_cached_translations_are_served_even_when_the_circuit_is_open(make_translator, peer: str, calls):
    translator = make_translator(translator_retries=0, translator_breaker_threshold=1)
    assert translator.translate("tack", "sv", "en") == "thanks"
    set_fault(peer, "500")
    assert translator.translate("ja", "sv", "en") is None
    assert translator.breaker.state == "open"
    assert translator.translate("tack", "sv", "en") == "thanks"
    assert calls() == 2


def test_disabled_translator_never_calls(make_translator, calls) -> None:
    assert make_translator(translator="none").translate("tack", "sv", "en") is None
    assert make_translator(translator="deepl", translator_api_key=None).translate("tack", "sv", "en") is None
    assert calls() == 0
