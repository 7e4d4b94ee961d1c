"""Angry customers and legal threats: when a message should go to a person at once.

`detect(text, language, rules)` reads one message and returns an `Escalation` (why, how strongly,
which cues) or None.  A mention of legal steps (a lawyer, suing, the police, a consumer authority,
a chargeback or PayPal/bank dispute, "report you to ...") is `legal`; otherwise an anger score is
summed from cues and compared with `rules.anger_threshold` (policy.yml, `handoff:`):

    strong words  1.0  insults, swearing, "scam", "thieves", "fed up", "is this a joke"
    mild words    0.5  "worst", "ridiculous", "unacceptable", "disgusting"
    repeated      0.5  "third time", "how many times", "still nothing"
    shouting      0.5  mostly capitals, in scripts that have them
    exclamations  0.5  "!!!", "?!"
    emoji         0.5  😡 🤬 🖕 ...

So one strong word, or two milder signals together ("WORST SHOP EVER!!!"), reach the default
threshold of 1; a single "this is annoying" or "terrible packaging" does not.

The words live in `bot/handoff/words/<lang>.yml`, one file per language (format: en.yml); the
language-independent cues (emoji) in `_any.yml`.  A message in a language without a file (one the
pipeline translated to English first) is read with the English words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from bot.language.lexicon import fold as _fold_accents

WORDS_DIR = Path(__file__).resolve().parent / "words"
LEGAL, ANGRY = "legal", "angry"
PIVOT = "en"  # the words a translated message is read with

WEIGHTS = {"strong": 1.0, "mild": 0.5, "repeated": 0.5}
SHOUTING = EXCLAMATIONS = EMOJI = 0.5
MATCH_MODES = ("word", "substring")

# Letters customers type instead of the proper ones (no Turkish/Polish keyboard, no ß, no ё).
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "ß": "ss", "ё": "е", "’": "'", "‘": "'", "`": "'", "ـ": ""})
_ARABIC_PLAIN = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_ARABIC_MARKS = re.compile(r"[\u064b-\u0652\u0670]")  # harakat: optional, rarely typed
_EXCLAMATIONS = re.compile(r"!{3,}|\?+!+|!+\?+")
_CASED_WORD = re.compile(r"[^\W\d_]{2,}")


class EscalationRules(Protocol):
    """What `detect` needs from the seller's policy (bot.policy.HandoffPolicy has it)."""

    anger_threshold: Decimal
    legal_always_hands_over: bool


@dataclass(frozen=True)
class Escalation:
    reason: str  # "legal" or "angry"
    score: float  # the anger score (legal mentions hand over whatever it is)
    cues: tuple[str, ...]  # what was found, e.g. ("legal:lawyer", "mild:worst", "shouting")


def fold(text: str) -> str:
    """How messages and cue words are compared: lower case, no accents, plain letters."""
    text = _fold_accents((text or "").translate(_PLAIN)).translate(_PLAIN)
    return _ARABIC_MARKS.sub("", text.translate(_ARABIC_PLAIN))


@dataclass(frozen=True)
class _Cue:
    category: str
    term: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class CueList:
    language: str
    cues: tuple[_Cue, ...]


def _pattern(term: str, match: str) -> re.Pattern[str]:
    """`word` files: whole words, `stem*` for any ending; `substring` files: anywhere."""
    prefix = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    if match == "substring":
        return re.compile(body)
    return re.compile(rf"(?<!\w){body}" + ("" if prefix else r"(?!\w)"))


def _load(path: Path) -> CueList:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    match = data.get("match", "word")
    if match not in MATCH_MODES:
        raise ValueError(f"{path}: match must be one of {MATCH_MODES}, not {match!r}")
    unknown = set(data) - {"match", "legal", *WEIGHTS, "emoji"}
    if unknown:
        raise ValueError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
    cues = []
    for category in ("legal", *WEIGHTS, "emoji"):
        for raw in data.get(category) or ():
            term = fold(str(raw)).strip()
            if not term.rstrip("*"):
                raise ValueError(f"{path}: an empty cue in {category}")
            mode = "substring" if category == "emoji" else match
            cues.append(_Cue(category, term.rstrip("*"), _pattern(term, mode)))
    return CueList(path.stem, tuple(cues))


@lru_cache(maxsize=1)
def cue_lists() -> dict[str, CueList]:
    """Every language's cues by code, plus `_any` (language-independent)."""
    return {path.stem: _load(path) for path in sorted(WORDS_DIR.glob("*.yml"))}


def languages() -> tuple[str, ...]:
    return tuple(code for code in cue_lists() if not code.startswith("_"))


def _found(cues: tuple[_Cue, ...], folded: str) -> list[_Cue]:
    """Cues present in the text; where two overlap ("rip off", "ripped off me") the longer counts."""
    hits = []
    for cue in cues:
        match = cue.pattern.search(folded)
        if match:
            hits.append((match.start(), match.end(), cue))
    hits.sort(key=lambda h: (h[0] - h[1], h[0]))
    taken: list[tuple[int, int]] = []
    found = []
    for start, end, cue in hits:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        found.append(cue)
    return found


def _shouting(text: str) -> bool:
    """Mostly capitals over several words; order numbers and short acronyms ("DHL") do not count."""
    words = [w for w in _CASED_WORD.findall(text) if w.lower() != w.upper()]
    letters = sum(len(w) for w in words)
    upper_words = [w for w in words if w.isupper() and len(w) >= 3]
    if letters < 12 or len(upper_words) < 2:
        return False
    upper_letters = sum(len(w) for w in words if w.isupper())
    return upper_letters / letters >= 0.7


def detect(text: str, language: str | None, rules: EscalationRules) -> Escalation | None:
    """Whether this message should go to a person: legal steps mentioned, or anger at the threshold.

    `language` picks the word list (None or a language without one: English, the pivot the
    pipeline translates to)."""
    if not text or not text.strip():
        return None
    lists = cue_lists()
    own = lists.get(language or PIVOT) or lists[PIVOT]
    folded = fold(text)
    found = _found(own.cues, folded) + _found(lists["_any"].cues, folded)
    legal = [c for c in found if c.category == "legal"]
    score = sum(WEIGHTS.get(c.category, EMOJI if c.category == "emoji" else 0.0) for c in found)
    cues = [f"{c.category}:{c.term}" for c in found]
    if _shouting(text):
        score, cues = score + SHOUTING, [*cues, "shouting"]
    if _EXCLAMATIONS.search(unicodedata.normalize("NFKC", text)):
        score, cues = score + EXCLAMATIONS, [*cues, "exclamations"]
    angry = score >= float(rules.anger_threshold)
    if legal and (rules.legal_always_hands_over or angry):
        return Escalation(LEGAL, score, tuple(cues))
    if angry:
        return Escalation(ANGRY, score, tuple(cues))
    return None
