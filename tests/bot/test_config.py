"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, get_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "EVIDENCE_DIR", "POLICY_FILE"):
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert settings.project_root == PROJECT_ROOT == Path(__file__).resolve().parents[2]
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'shop.db'}"
    assert settings.evidence_dir == PROJECT_ROOT / "var" / "evidence"
    assert settings.policy_path == PROJECT_ROOT / "policy.yml"


def test_environment_wins_and_is_read_every_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@db/shop")
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "photos"))
    monkeypatch.setenv("POLICY_FILE", str(tmp_path / "policy.yml"))
    settings = get_settings()
    assert (settings.database_url, settings.evidence_dir, settings.policy_path) == (
        "postgresql://shop@db/shop",
        tmp_path / "photos",
        tmp_path / "policy.yml",
    )
    monkeypatch.setenv("DATABASE_URL", "sqlite:///other.db")
    assert get_settings().database_url == "sqlite:///other.db"
