"""Fixtures for the bot/ tests: a fresh, migrated SQLite database per test, the real policy.yml."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
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


# A throw-away database on the local PostgreSQL server, dropped afterwards.
PG_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
