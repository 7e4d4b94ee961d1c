"""Brings a database to the newest schema (`alembic upgrade head`), without needing alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from bot.config import get_settings
from bot.db.session import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser interpolation
    return config


def _ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def migrate(url: str | None = None) -> None:
    """Upgrades the database at `url` (default: DATABASE_URL) to the latest revision."""
    url = url or get_settings().database_url
    _ensure_sqlite_dir(url)
    config = alembic_config(url)
    # Same engine (and SQLite pragmas) as the application; one transaction for the whole upgrade.
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
