"""`python -m bot migrate`, `python -m bot seed-demo` and `python -m bot detect-language`."""

from __future__ import annotations

import re
import select
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


def test_detect_language_prints_one_answer_per_line() -> None:
    messages = ["hola, ¿dónde está mi pedido?", "", "请说中文", "SO-100231 👍", "Das Paket ist nicht da"]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "detect-language"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin"},  # no locale: stdin and stdout are UTF-8 all the same
        input="\n".join(messages) + "\n",
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["es", "en", "zh", "en", "de"]
    assert lines[1] == "en\t0.00" and lines[3] == "en\t0.00"  # nothing to detect: default, 0
    assert all(re.fullmatch(r"[a-z]{2}\t[01]\.\d\d", line) for line in lines)
    assert float(lines[0].split("\t")[1]) >= 0.9


def test_detect_language_answers_each_line_before_the_next_arrives() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "detect-language"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin"},  # without PYTHONUNBUFFERED: flushing is the command's job
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        encoding="utf-8",
    )
    try:
        assert process.stdin and process.stdout
        process.stdin.write("спасибо большое\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "no answer while stdin is still open: output is not flushed per line"
        assert process.stdout.readline().startswith("ru\t")
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
