"""The LibreTranslate-compatible peer: LibreTranslate's API, its phrasebook, faults and counters."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot.config import PROJECT_ROOT
from bot.translation.libretranslate_peer import peer_stats, reset_peer, running_peer, set_fault


def post(url: str, path: str, **kwargs) -> requests.Response:
    return requests.post(url + path, timeout=5, **kwargs)


def test_translate_accepts_json_form_and_query_parameters(peer: str) -> None:
    body = {"q": "ja tack", "source": "sv", "target": "en", "format": "text"}
    for response in (post(peer, "translate", json=body), post(peer, "translate", data=body)):
        assert (response.status_code, response.json()) == (200, {"translatedText": "yes please"})
    response = post(peer, "translate", params=body)  # how deep-translator sends them
    assert response.json() == {"translatedText": "yes please"}
    assert response.headers["Content-Type"] == "application/json"


def test_batches_auto_detection_and_both_directions(peer: str) -> None:
    response = post(peer, "translate", json={"q": ["ja", "nej"], "source": "sv", "target": "en"})
    assert response.json() == {"translatedText": ["yes", "no"]}
    response = post(peer, "translate", json={"q": "tack så mycket", "source": "auto", "target": "en"})
    assert response.json() == {
        "translatedText": "thank you very much",
        "detectedLanguage": {"confidence": 90.0, "language": "sv"},
    }
    # A phrase with a `source` is reachable from its translations too.
    response = post(peer, "translate", json={"q": "Thank you very much!", "source": "en", "target": "sv"})
    assert response.json() == {"translatedText": "tack så mycket"}
    response = post(peer, "translate", json={"q": "Good morning", "source": "en", "target": "sv"})
    assert response.json() == {"translatedText": "[sv] Good morning"}


def test_languages_and_detect(peer: str) -> None:
    languages = requests.get(peer + "languages", timeout=5).json()
    codes = {language["code"] for language in languages}
    assert {"en", "sv", "zh", "de", "ar", "nb"} <= codes
    assert all(set(language) == {"code", "name", "targets"} for language in languages)
    assert post(peer, "detect", data={"q": "Hej, det saknas en sak i mitt paket"}).json() == [
        {"confidence": 90.0, "language": "sv"}
    ]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"source": "sv", "target": "en"}, 400, "Invalid request: missing q parameter"),
        ({"q": "ja", "target": "en"}, 400, "Invalid request: missing source parameter"),
        ({"q": "ja", "source": "sv", "target": "tlh"}, 400, "tlh is not supported"),
    ],
)
def test_errors_look_like_libretranslates(peer: str, body: dict, status: int, error: str) -> None:
    response = post(peer, "translate", json=body)
    assert (response.status_code, response.json()) == (status, {"error": error})


def test_an_api_key_can_be_required() -> None:
    with running_peer(api_key="secret") as url:
        body = {"q": "ja", "source": "sv", "target": "en"}
        assert post(url, "translate", json=body).status_code == 403
        assert post(url, "translate", json=body | {"api_key": "wrong"}).json() == {"error": "Invalid API key"}
        assert post(url, "translate", json=body | {"api_key": "secret"}).json() == {"translatedText": "yes"}


def test_faults_counters_and_reset(peer: str) -> None:
    body = {"q": "ja", "source": "sv", "target": "en"}
    assert set_fault(peer, "429", times=2) == {"mode": "429", "times": 2, "delay": 0.0}
    statuses = [post(peer, "translate", json=body).status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    set_fault(peer, "500", times=1)
    response = post(peer, "translate", json=body)
    assert (response.status_code, response.json()) == (
        500,
        {"error": "Cannot translate text: internal error"},
    )
    set_fault(peer, "garbage", times=1)
    assert post(peer, "translate", json=body).json()["translatedText"].startswith("<!DOCTYPE html>")
    set_fault(peer, "html", times=1)
    assert post(peer, "translate", json=body).headers["Content-Type"] == "text/html"
    set_fault(peer, "drop_placeholders", times=1)
    assert post(peer, "translate", json=body | {"q": "Mitt ordernummer är ⟦0⟧"}).json() == {
        "translatedText": "My order number is "
    }
    set_fault(peer, "slow", times=1, delay=0.3)
    started = time.monotonic()
    assert post(peer, "translate", json=body).status_code == 200
    assert time.monotonic() - started >= 0.3

    stats = peer_stats(peer)
    assert (stats["translate"], stats["translated"], stats["faulted"]) == (8, 2, 6)
    assert stats["by_status"] == {"429": 2, "200": 5, "500": 1}
    assert stats["fault"] == {"mode": "ok", "times": None, "delay": 0.0}
    assert stats["requests"][-1] == {
        "q": "ja",
        "source": "sv",
        "target": "en",
        "format": None,
        "api_key": False,
    }
    reset_peer(peer)
    assert peer_stats(peer)["translate"] == 0
    assert post(peer, "_faults", json={"mode": "teapot"}).status_code == 400


def test_a_phrasebook_file_replaces_the_default(tmp_path: Path) -> None:
    book = tmp_path / "book.yml"
    book.write_text(
        '"god morgon":\n  source: sv\n  en: "good morning"\n  "no": "god morgen"\n', encoding="utf-8"
    )
    with running_peer(book) as url:
        body = {"q": "God morgon!", "source": "sv", "target": "en"}
        assert post(url, "translate", json=body).json() == {"translatedText": "good morning"}
        assert post(url, "translate", json={"q": "god morgen", "source": "nb", "target": "sv"}).json() == {
            "translatedText": "god morgon"
        }
        assert post(url, "translate", json={"q": "ja tack", "source": "sv", "target": "en"}).json() == {
            "translatedText": "[en] ja tack"
        }
    with running_peer({"hej": {"en": "hi"}}) as url:
        assert post(url, "translate", json={"q": "Hej", "source": "sv", "target": "en"}).json() == {
            "translatedText": "hi"
        }


def test_runs_as_a_program(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.translation.libretranslate_peer", "--port", str(port), "--quiet"],
        env=os.environ | {"PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == f"LibreTranslate peer on http://127.0.0.1:{port}/"
        url = f"http://127.0.0.1:{port}/"
        assert post(url, "translate", json={"q": "tack", "source": "sv", "target": "en"}).json() == {
            "translatedText": "thanks"
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
