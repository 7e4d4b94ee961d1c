"""Fixtures for the channel tests: the platforms' stub on loopback and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.channels.stub_platforms import StubPlatforms, running_stub
from bot.config import Settings, get_settings

SECRETS = {
    "TELEGRAM_SECRET_TOKEN": "telegram-secret",
    "WHATSAPP_APP_SECRET": "whatsapp-app-secret",
    "WHATSAPP_VERIFY_TOKEN": "verify-me",
    "MESSENGER_APP_SECRET": "messenger-app-secret",
    "MESSENGER_VERIFY_TOKEN": "verify-me",
}


@pytest.fixture(scope="module")
def stub() -> Iterator[StubPlatforms]:
    with running_stub() as running:
        yield running


@pytest.fixture
def platforms(stub: StubPlatforms, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with every channel configured against the stub, on the test's fresh database."""
    stub.reset()
    for name, value in (stub.settings() | SECRETS).items():
        monkeypatch.setenv(name, value)
    return get_settings()
