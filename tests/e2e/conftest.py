"""End-to-end fixtures: the real Rasa server and action server, on a throw-away demo database."""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from bot.translation.libretranslate_peer import running_peer
from scripts.harness import MODEL, Servers, running_servers

PHOTOS = Path(__file__).resolve().parents[1] / "scenarios" / "photos"
RESULTS = Path(__file__).resolve().parents[2] / "results"
SCREENSHOTS = RESULTS / "screenshots"
# The browser tests drive Debian's Chromium through Playwright (no browser download): no sandbox
# as root, and no background connections to Google.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDGET_TIMINGS_FILE = RESULTS / "widget_timings.json"
_WIDGET_TIMINGS = pytest.StashKey[dict[str, list[float]]]()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium for one test module; screenshots go to results/screenshots/."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def translation_peer() -> Iterator[str]:
    """A LibreTranslate-compatible server on loopback: the servers' machine translator."""
    with running_peer() as url:
        yield url


@contextmanager
def e2e_servers(workdir: Path, translation_peer: str) -> Iterator[Servers]:
    """Both servers on a freshly seeded shop in `workdir`."""
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    # No internet here: the servers translate through the local peer, over its real HTTP API.
    env = {"TRANSLATOR": "libretranslate", "TRANSLATOR_URL": translation_peer, "TRANSLATOR_TIMEOUT": "1"}
    # Agents always at work, so that a handoff says "now" whatever the hour CI runs at (the
    # "from <opening time>" wording is tested in tests/actions/test_human.py).
    env |= {"HANDOFF_HOURS": "Mon-Sun 00:00-24:00", "HANDOFF_TIMEZONE": "UTC"}
    with running_servers(workdir, env=env) as running:
        yield running


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory, translation_peer: str) -> Iterator[Servers]:
    with e2e_servers(tmp_path_factory.mktemp("e2e"), translation_peer) as running:
        yield running


@pytest.fixture
def sender() -> str:
    """A fresh conversation id per test."""
    return f"e2e-{uuid.uuid4().hex[:12]}"


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text", "") for m in messages]


def joined(messages: list[dict]) -> str:
    return "\n".join(texts(messages))


@pytest.fixture(scope="session")
def widget_timings(request: pytest.FixtureRequest) -> dict[str, list[float]]:
    """Milliseconds measured in the browser by tests/e2e/test_widget.py, by what was measured;
    summarised at the end of the run and saved to results/widget_timings.json."""
    return request.config.stash.setdefault(_WIDGET_TIMINGS, {})


def summarise(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
        "max": round(ordered[-1], 1),
    }


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    timings = config.stash.get(_WIDGET_TIMINGS, None)
    if not timings:
        return
    summary = {name: summarise(values) for name, values in sorted(timings.items()) if values}
    RESULTS.mkdir(exist_ok=True)
    WIDGET_TIMINGS_FILE.write_text(
        json.dumps({"measured_at": time.strftime("%Y-%m-%d %H:%M:%S"), "ms": summary}, indent=2) + "\n"
    )
    terminalreporter.section("web widget timings in the browser (ms)")
    for name, f in summary.items():
        line = f"{name:<36} n={f['n']:<3} p50={f['p50']:>7} p95={f['p95']:>7} max={f['max']:>7}"
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"saved to {WIDGET_TIMINGS_FILE.relative_to(RESULTS.parent)}")
