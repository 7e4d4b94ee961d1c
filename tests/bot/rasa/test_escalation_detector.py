"""EscalationDetector in the real NLU components: the entity it adds, the intent it leaves alone,
and messages in other languages read through the English translation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.config import PROJECT_ROOT
from bot.policy import PolicyError, load_policy
from bot.rasa.escalation_detector import ESCALATION, EscalationDetector
from bot.rasa.language_detector import LanguageDetector, TranslateIn
from bot.translation.libretranslate_peer import running_peer
from bot.translation.service import reset_translator

SWEDISH = "Ni är bedragare, jag kontaktar min advokat"
PHRASEBOOK = {SWEDISH: {"source": "sv", "en": "You are frauds, I will contact my lawyer"}}


@pytest.fixture
def detector() -> EscalationDetector:
    return EscalationDetector(load_policy(PROJECT_ROOT / "policy.yml").handoff)


def understood(text: str, *components: object, intent: str = "delivery_delay") -> Message:
    """A message as the classifier left it, run through `components` in order."""
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.8}})
    for component in components:
        component.process([message])  # type: ignore[attr-defined]
    return message


def escalation(message: Message) -> dict | None:
    return next((e for e in message.get("entities") or [] if e["entity"] == ESCALATION), None)


@pytest.fixture(scope="module")
def language_detector() -> LanguageDetector:
    return LanguageDetector(LanguageDetector.get_default_config())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Where is my parcel? You thieves took my money", "angry"),
        ("Dónde está mi pedido? Voy a hablar con mi abogado", "legal"),
        ("我的包裹呢？你们就是骗子", "angry"),
        ("Посылки нет уже месяц, подам на вас в суд", "legal"),
    ],
)
def test_marks_the_message_and_keeps_its_intent(
    text: str, reason: str, detector: EscalationDetector, language_detector: LanguageDetector
) -> None:
    message = understood(text, language_detector, detector)
    found = escalation(message)
    assert found is not None and found["value"] == reason
    assert found["cues"] and found["extractor"] == "EscalationDetector"
    assert message.get("intent") == {"name": "delivery_delay", "confidence": 0.8}
    assert message.as_dict(only_output_properties=True)["entities"]  # /model/parse shows it


def test_ordinary_complaints_get_no_entity(
    detector: EscalationDetector, language_detector: LanguageDetector
) -> None:
    for text in ("my parcel is a week late", "el jarrón llegó roto", "包裹晚了一个星期"):
        assert escalation(understood(text, language_detector, detector)) is None


def test_running_twice_keeps_one_entity(detector: EscalationDetector) -> None:
    message = understood("scammers", detector, detector)
    assert [e["entity"] for e in message.get("entities")] == [ESCALATION]


@pytest.fixture
def translator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    from bot.db.migrate import migrate

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    migrate(url)
    with running_peer(PHRASEBOOK) as peer:
        for name, value in {
            "TRANSLATOR": "libretranslate",
            "TRANSLATOR_URL": peer,
            "TRANSLATOR_TIMEOUT": "1",
            "TRANSLATOR_RETRIES": "0",
            "DATABASE_URL": url,
        }.items():
            monkeypatch.setenv(name, value)
        reset_translator()
        yield peer
        reset_translator()


def test_other_languages_are_read_in_their_english_translation(
    translator: str, detector: EscalationDetector, language_detector: LanguageDetector
) -> None:
    translate_in = TranslateIn(TranslateIn.get_default_config())
    message = understood(SWEDISH, language_detector, translate_in, detector)
    assert message.get("translated_from") == "sv"
    found = escalation(message)
    assert found is not None and found["value"] == "legal" and "legal:lawyer" in found["cues"]


def test_a_wrong_threshold_stops_the_model_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "policy.yml"
    text = (PROJECT_ROOT / "policy.yml").read_text(encoding="utf-8")
    bad.write_text(text.replace("anger_threshold: 1", "anger_threshold: loud"), encoding="utf-8")
    monkeypatch.setenv("POLICY_FILE", str(bad))
    with pytest.raises(PolicyError, match="handoff.anger_threshold"):
        EscalationDetector.create({}, None, None, None)  # type: ignore[arg-type]
