"""Migration 0002 creates the translation cache, on a fresh SQLite database and after 0001."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db.migrate import alembic_config, migrate
from bot.db.models import Base
from bot.db.session import dispose_engines, get_engine


def revision(url: str) -> str | None:
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_0002_applies_on_a_fresh_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    try:
        migrate(url)
        assert revision(url) == "0005"  # the head; 0002 is applied on the way
        inspector = inspect(get_engine(url))
        assert "translation_cache" in inspector.get_table_names()
        assert [
            (u["name"], u["column_names"]) for u in inspector.get_unique_constraints("translation_cache")
        ] == [("uq_translation_cache_provider", ["provider", "source_lang", "target_lang", "source_hash"])]
        with get_engine(url).connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        dispose_engines()


def test_0002_upgrades_a_0001_database_and_downgrades_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    try:
        with get_engine(url).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        assert "translation_cache" not in inspect(get_engine(url)).get_table_names()
        migrate(url)
        assert revision(url) == "0005"  # the head; 0002 is applied on the way
        assert "translation_cache" in inspect(get_engine(url)).get_table_names()
        with get_engine(url).begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert revision(url) == "0001"
        assert "translation_cache" not in inspect(get_engine(url)).get_table_names()
    finally:
        dispose_engines()
