"""The words the parser understands, per language, read from `bot/language/words/<lang>.yml`.

Adding a language's number words, ordinals or "all of them" words is a data change: one file.
Every word is folded (lower case, no accents, NFKC) on load, as messages are before matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

WORDS_DIR = Path(__file__).resolve().parent / "words"
MATCH_MODES = ("word", "prefix", "substring")
_WORD = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """Lower case, NFKC, accents removed: how messages and lexicon words are compared."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    # Only Latin letters lose their marks: in Cyrillic, Arabic or Korean they are letters of their own.
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True)
class Lexicon:
    language: str
    match: str
    order_words: tuple[str, ...]
    numbers: dict[str, int]
    ambiguous: frozenset[str]
    ordinals: dict[str, int]
    every_unit: tuple[str, ...]

    def find(self, term: str, folded: str, words: list[str]) -> bool:
        """Whether `term` occurs in a folded message (`words` are its words, in order)."""
        if self.match == "substring":
            return term in folded
        if " " in term:
            return f" {term} " in f" {' '.join(words)} "
        if self.match == "prefix":
            return any(word.startswith(term) for word in words)
        return term in words


def _load(path: Path) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    match = data.get("match", "word")
    if match not in MATCH_MODES:
        raise ValueError(f"{path}: match must be one of {MATCH_MODES}, not {match!r}")
    return Lexicon(
        language=path.stem,
        match=match,
        order_words=tuple(fold(w) for w in data.get("order_words") or ()),
        numbers={fold(str(w)): int(n) for w, n in (data.get("numbers") or {}).items()},
        ambiguous=frozenset(fold(w) for w in data.get("ambiguous") or ()),
        ordinals={fold(str(w)): int(n) for w, n in (data.get("ordinals") or {}).items()},
        every_unit=tuple(fold(w) for w in data.get("every_unit") or ()),
    )


@lru_cache(maxsize=1)
def lexicons() -> tuple[Lexicon, ...]:
    """Every language's lexicon, English first."""
    paths = sorted(WORDS_DIR.glob("*.yml"), key=lambda p: (p.stem != "en", p.stem))
    return tuple(_load(p) for p in paths)


def words_of(folded: str) -> list[str]:
    return _WORD.findall(folded)
