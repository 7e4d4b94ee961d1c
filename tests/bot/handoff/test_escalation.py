"""The escalation trigger: legal threats and angry customers in every language, calm ones left alone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.handoff.escalation import ANGRY, LEGAL, detect, languages
from bot.policy import Policy

CASES = yaml.safe_load((Path(__file__).parent / "escalation_cases.yml").read_text(encoding="utf-8"))
SUPPORTED = ("en", "zh", "es", "fr", "de", "pt", "it", "ru", "ja", "ko", "ar", "tr", "nl", "pl")


@dataclass(frozen=True)
class Rules:
    anger_threshold: Decimal = Decimal(1)
    legal_always_hands_over: bool = True


def cases(kind: str) -> list[tuple[str, str]]:
    return [(lang, text) for lang in SUPPORTED for text in CASES[lang][kind]]


def test_every_language_has_cues_and_enough_cases() -> None:
    assert set(SUPPORTED) <= set(languages())
    for lang in SUPPORTED:
        assert len(CASES[lang]["legal"]) >= 3 and len(CASES[lang]["angry"]) >= 3, lang
        assert len(CASES[lang]["ordinary"]) >= 5, lang


@pytest.mark.parametrize(("language", "text"), cases("legal"))
def test_legal_threats_hand_over(language: str, text: str, policy: Policy) -> None:
    found = detect(text, language, policy.handoff)
    assert found is not None and found.reason == LEGAL, found


@pytest.mark.parametrize(("language", "text"), cases("angry"))
def test_angry_customers_hand_over(language: str, text: str, policy: Policy) -> None:
    found = detect(text, language, policy.handoff)
    assert found is not None and found.reason == ANGRY, found
    assert found.score >= 1


@pytest.mark.parametrize(("language", "text"), cases("ordinary"))
def test_ordinary_complaints_stay_with_the_assistant(language: str, text: str, policy: Policy) -> None:
    assert detect(text, language, policy.handoff) is None


def test_legal_wins_over_angry() -> None:
    found = detect("You SCAMMERS, my lawyer will hear about this!!!", "en", Rules())
    assert found is not None and found.reason == LEGAL
    assert "legal:lawyer" in found.cues and "strong:scamm" in found.cues


def test_a_calm_legal_mention_can_be_left_to_anger() -> None:
    calm = Rules(legal_always_hands_over=False)
    assert detect("my lawyer says I can return it within 14 days", "en", calm) is None
    found = detect("thieves! my lawyer will hear about this", "en", calm)
    assert found is not None and found.reason == LEGAL


def test_the_threshold_is_the_sellers() -> None:
    text = "this is ridiculous"  # one mild word: 0.5
    assert detect(text, "en", Rules()) is None
    assert detect(text, "en", Rules(anger_threshold=Decimal("0.5"))).reason == ANGRY
    assert detect("you scammers", "en", Rules(anger_threshold=Decimal(2))) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sizi DOLANDIRICILAR", "tr"),  # upper-case dotless I folds to the plain letters typed
        ("dolandiricisiniz", "tr"),  # no Turkish keyboard
        ("zlodzieje", "pl"),  # no Polish keyboard
        ("Scheisse, das ist Abzocke", "de"),
        ("Betrueger", "de"),
        ("ЖУЛИКИ", "ru"),
        ("أنتم نصّابين", "ar"),  # with a short-vowel mark
        ("ｓｃａｍ", "en"),  # full-width letters
        ("you’re a joke", "en"),  # typographic apostrophe
    ],
)
def test_the_forms_customers_really_type(text: str, language: str) -> None:
    found = detect(text, language, Rules())
    assert found is not None and found.reason == ANGRY, found


def test_shouting_and_exclamations_add_up_but_not_alone() -> None:
    assert detect("WHERE IS MY PARCEL", "en", Rules()) is None
    assert detect("where is my parcel!!!", "en", Rules()) is None
    found = detect("WHERE IS MY PARCEL!!!", "en", Rules())
    assert found is not None and set(found.cues) == {"shouting", "exclamations"}
    # order numbers and carrier names in capitals are not shouting
    assert detect("Order SO-100231 with DHL UPS, where is it?!", "en", Rules()) is None


def test_scripts_without_case_are_never_shouting() -> None:
    assert detect("包裹到哪里了？！", "zh", Rules()) is None  # "?!" alone is 0.5


def test_a_language_without_a_list_is_read_in_english() -> None:
    # What TranslateIn hands on for, say, Swedish: the English translation.
    found = detect("I will contact my lawyer", "sv", Rules())
    assert found is not None and found.reason == LEGAL
    assert detect("I will contact my lawyer", None, Rules()).reason == LEGAL


def test_words_of_other_languages_do_not_leak() -> None:
    # "court" is English for a law court but French for "short"; "sue" means nothing in Spanish.
    assert detect("le délai est court, merci", "fr", Rules()) is None
    assert detect("tell me a joke", "en", Rules()) is None


def test_empty_messages() -> None:
    assert detect("", "en", Rules()) is None
    assert detect("   ", None, Rules()) is None
