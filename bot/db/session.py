"""Engines (one per database URL, reused) and sessions (one per unit of work)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings

SQLITE_BUSY_TIMEOUT_MS = 10_000

_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets the action server read while another process writes; foreign keys are off by
    # default in SQLite; the busy timeout turns "database is locked" into a short wait.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _build_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the settings' DATABASE_URL), created once per URL."""
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _build_engine(url)
        return engine


def _factory(url: str | None) -> sessionmaker:
    key = url or get_settings().database_url
    engine = get_engine(key)
    with _lock:
        factory = _factories.get(key)
        if factory is None:
            # Objects stay readable after commit: callers turn them into views afterwards.
            factory = _factories[key] = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        return factory


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commits when the block succeeds, rolls back when it raises."""
    session = _factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose_engines() -> None:
    """Closes every pooled connection (tests use throw-away databases)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        _factories.clear()
    for engine in engines:
        engine.dispose()
