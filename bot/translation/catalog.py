"""Curated reply translations: `data/translations/<lang>.yml`, keyed by the response name in domain.yml.

An entry is the translated text, or `{text: ..., buttons: [...]}` when the response has buttons with
words on them (same number and order as in domain.yml).  English lives in domain.yml itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT

CATALOG_DIR = PROJECT_ROOT / "data" / "translations"
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class Entry:
    text: str
    buttons: tuple[str, ...] = ()


def placeholders(text: str) -> list[str]:
    """The `{fields}` of a response text, sorted (a translation must keep exactly these)."""
    return sorted(_PLACEHOLDER.findall(text or ""))


def _entry(name: str, value: object, path: Path) -> Entry:
    if isinstance(value, str):
        return Entry(value)
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return Entry(value["text"], tuple(str(b) for b in value.get("buttons") or ()))
    raise ValueError(f"{path}: {name} must be a text or a mapping with 'text'")


@cache
def load(language: str, directory: Path = CATALOG_DIR) -> dict[str, Entry]:
    """Every curated reply of `language` ({} when it has none); read once per process."""
    path = directory / f"{language}.yml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {name: _entry(name, value, path) for name, value in data.items()}


def curated(response: str, language: str) -> Entry | None:
    """The curated translation of a response, or None."""
    return load(language).get(response)


def languages(directory: Path = CATALOG_DIR) -> list[str]:
    """Languages with a catalog file."""
    return sorted(p.stem for p in directory.glob("*.yml"))
