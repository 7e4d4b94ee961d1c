"""Alembic: a fresh database migrates to exactly the models' schema (`alembic check` in a test)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.db.migrate import alembic_config, migrate
from bot.db.models import Base
from bot.db.session import get_engine


def schema_differences(url: str) -> list:
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def head(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current(url: str) -> str | None:
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_fresh_sqlite_matches_the_models(db_url: str) -> None:
    assert schema_differences(db_url) == []
    assert current(db_url) == head(db_url) == "0005"
    assert set(inspect(get_engine(db_url)).get_table_names()) == set(Base.metadata.tables) | {
        "alembic_version"
    }


def test_migrate_is_repeatable(db_url: str) -> None:
    migrate(db_url)
    assert current(db_url) == "0005"


def test_migrate_creates_the_sqlite_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'var' / 'shop.db'}"
    migrate(url)
    assert (tmp_path / "deep" / "var" / "shop.db").is_file()
    assert schema_differences(url) == []


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    config = alembic_config(db_url)
    with get_engine(db_url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(get_engine(db_url)).get_table_names()) <= {"alembic_version"}
    migrate(db_url)
    assert schema_differences(db_url) == []


def test_sqlite_pragmas(db_url: str) -> None:
    with get_engine(db_url).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
