"""Settings from the environment, in one place.

Built on every call (it is cheap) so that tests and tools that change the environment
always see the current values; nothing here is cached.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

TRANSLATORS = ("google", "libretranslate", "deepl", "microsoft", "none")
# What the translator is built from: bot.translation rebuilds its translator when one changes.
TRANSLATION_VARIABLES = (
    "DATABASE_URL",
    "TRANSLATOR",
    "TRANSLATOR_URL",
    "TRANSLATOR_API_KEY",
    "TRANSLATOR_REGION",
    "TRANSLATOR_TIMEOUT",
    "TRANSLATOR_BUDGET",
    "TRANSLATOR_RETRIES",
    "TRANSLATOR_BREAKER_THRESHOLD",
    "TRANSLATOR_BREAKER_COOLDOWN",
)


@dataclass(frozen=True)
class Settings:
    project_root: Path
    database_url: str
    evidence_dir: Path
    policy_path: Path
    # Machine translation (bot.translation): provider, where and how long to wait.
    translator: str = "google"
    translator_url: str | None = None  # LibreTranslate's base URL (self-hosted or the local peer)
    translator_api_key: str | None = None
    translator_region: str | None = None  # Microsoft only, e.g. "westeurope"
    translator_timeout: float = 2.0  # seconds one provider call may take
    translator_budget: float = 3.0  # seconds one translation may take, retries and backoff included
    translator_retries: int = 2  # further attempts after a 429, 5xx, timeout or connection error
    translator_breaker_threshold: int = 5  # consecutive failed calls that open the circuit (0: never)
    translator_breaker_cooldown: float = 30.0  # seconds without calls once it is open


def _number(name: str, default: float, kind: type = float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number; got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative; got {raw!r}")
    return value


def get_settings() -> Settings:
    """Current settings: `DATABASE_URL`, `EVIDENCE_DIR`, `POLICY_FILE` and the `TRANSLATOR*`
    variables, with local defaults.  A misspelt translator setting raises `ValueError`."""
    root = PROJECT_ROOT
    translator = (os.environ.get("TRANSLATOR") or "google").strip().lower()
    if translator not in TRANSLATORS:
        raise ValueError(f"TRANSLATOR must be one of {', '.join(TRANSLATORS)}; got {translator!r}")
    timeout = _number("TRANSLATOR_TIMEOUT", 2.0)
    return Settings(
        project_root=root,
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{root / 'var' / 'shop.db'}",
        evidence_dir=Path(os.environ.get("EVIDENCE_DIR") or root / "var" / "evidence"),
        policy_path=Path(os.environ.get("POLICY_FILE") or root / "policy.yml"),
        translator=translator,
        translator_url=os.environ.get("TRANSLATOR_URL") or None,
        translator_api_key=os.environ.get("TRANSLATOR_API_KEY") or None,
        translator_region=os.environ.get("TRANSLATOR_REGION") or None,
        translator_timeout=timeout,
        # Unset: half as long again as one call, so a quick retry still fits.
        translator_budget=_number("TRANSLATOR_BUDGET", timeout * 1.5),
        translator_retries=int(_number("TRANSLATOR_RETRIES", 2, int)),
        translator_breaker_threshold=int(_number("TRANSLATOR_BREAKER_THRESHOLD", 5, int)),
        translator_breaker_cooldown=_number("TRANSLATOR_BREAKER_COOLDOWN", 30.0),
    )
