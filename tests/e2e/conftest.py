"""End-to-end fixtures: the real Rasa server and action server, on a throw-away demo database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.translation.libretranslate_peer import running_peer
from scripts.harness import MODEL, Servers, running_servers

PHOTOS = Path(__file__).resolve().parents[1] / "scenarios" / "photos"


@pytest.fixture(scope="session")
def translation_peer() -> Iterator[str]:
    """A LibreTranslate-compatible server on loopback: the servers' machine translator."""
    with running_peer() as url:
        yield url


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory, translation_peer: str) -> Iterator[Servers]:
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    # No internet here: the servers translate through the local peer, over its real HTTP API.
    env = {"TRANSLATOR": "libretranslate", "TRANSLATOR_URL": translation_peer, "TRANSLATOR_TIMEOUT": "1"}
    with running_servers(tmp_path_factory.mktemp("e2e"), env=env) as running:
        yield running


@pytest.fixture
def sender() -> str:
    """A fresh conversation id per test."""
    return f"e2e-{uuid.uuid4().hex[:12]}"


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text", "") for m in messages]


def joined(messages: list[dict]) -> str:
    return "\n".join(texts(messages))
