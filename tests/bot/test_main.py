"""`python -m bot migrate` and `python -m bot seed-demo`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import PROJECT_ROOT


def test_seed_demo_prints_orders_to_try(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'shop.db'}"
    assert main(["seed-demo", "--database-url", url, "--today", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    assert "SO-100231  anna.schmidt@example.de" in out
    assert "SO-100240" in out and "45 days ago" in out
    assert main(["seed-demo", "--database-url", url]) == 0  # idempotent: same list again
    assert capsys.readouterr().out.count("SO-1002") == 14


def test_module_entry_point_migrates(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "shop.db").is_file()


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([])
    assert "seed-demo" in capsys.readouterr().err
