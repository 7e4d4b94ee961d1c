"""Fixtures for the bot/ tests: a fresh, migrated SQLite database per test, the real policy.yml."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT, Settings, get_settings
from bot.db.migrate import migrate
from bot.db.seed import DemoOrder, seed_demo
from bot.db.session import dispose_engines, session_scope
from bot.policy import Policy, load_policy

TODAY = date(2026, 11, 25)  # a Wednesday: business-day arithmetic crosses a weekend


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'var' / 'shop.db'}"
    migrate(url)
    yield url
    dispose_engines()


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as session:
        yield session


@pytest.fixture
def seeded(session: Session, today: date) -> list[DemoOrder]:
    return seed_demo(session, today=today)


@pytest.fixture
def policy() -> Policy:
    return load_policy(PROJECT_ROOT / "policy.yml")


@pytest.fixture
def settings(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("POLICY_FILE", str(PROJECT_ROOT / "policy.yml"))
    return get_settings()
