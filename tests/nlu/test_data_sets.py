"""The evaluation sets stay apart from the training data, so `make eval` measures messages the
model has never seen, and every language is trained on every intent."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.rasa.tokenizer import _TOKEN

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")

ROOT = Path(__file__).resolve().parents[2]
TRAINING = sorted((ROOT / "data" / "nlu").glob("*.yml"))
EVALUATION = sorted((ROOT / "tests" / "nlu").glob("*_*.yml"))


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _words(text: str) -> int:
    """Words, counting a run of Chinese or Japanese characters as one word per two characters."""
    tokens = _TOKEN.findall(text)
    cjk = sum(1 for t in tokens if _CJK.fullmatch(t))
    return len(tokens) - cjk + (cjk + 1) // 2


@cache
def _examples(path: Path) -> list[tuple[str, str]]:
    return [(m.get("text"), m.get("intent")) for m in load_data(str(path)).intent_examples]


@cache
def _training_keys() -> frozenset[str]:
    return frozenset(_key(text) for path in TRAINING for text, _ in _examples(path))


@pytest.mark.parametrize("path", EVALUATION, ids=lambda p: p.stem)
def test_no_evaluation_message_is_in_the_training_data(path: Path) -> None:
    # Set phrases of one or two words ("yes", "good morning") are the same in any data set;
    # anything longer found in both was copied, or written twice, and measures nothing.
    leaked = [t for t, _ in _examples(path) if _words(t) > 2 and _key(t) in _training_keys()]
    assert leaked == []


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_every_language_is_trained_on_every_intent_and_no_text_has_two(path: Path) -> None:
    english = {intent for _, intent in _examples(ROOT / "data" / "nlu" / "en.yml")}
    intents: dict[str, set[str]] = {}
    for text, intent in _examples(path):
        intents.setdefault(text.strip().lower(), set()).add(intent)
    assert {intent for _, intent in _examples(path)} == english
    assert [t for t, found in intents.items() if len(found) > 1] == []


def test_every_training_language_has_both_evaluation_sets() -> None:
    languages = {p.stem for p in TRAINING}
    assert {p.stem.split("_", 1)[1] for p in EVALUATION if p.stem.startswith("heldout_")} == languages
