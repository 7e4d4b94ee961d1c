import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.db.migrate import migrate
from bot.rasa.nlg import ShopNLG
from bot.translation.libretranslate_peer import running_peer, set_fault
from bot.translation.service import reset_translator

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[3] / "domain.yml"))


def tracker(language: str = "en") -> DialogueStateTracker:
    t = DialogueStateTracker.from_events("nlg-test", [], slots=DOMAIN.slots)
    t.update(SlotSet("language", language))
    return t


async def test_offer_values_are_formatted_and_options_become_translatable_buttons() -> None:
    message = await ShopNLG(domain=DOMAIN).generate(
        "utter_offer_refund",
        tracker(),
        "rest",
        amount="24.90",
        currency="EUR",
        items="1 × Ceramic mug",
        date="2026-12-01",
        options=["accept", "refund", "human"],
    )
    assert message["text"] == (
        "I can refund €24.90 for 1 × Ceramic mug. You'll see it on your payment method by Dec 1, 2026. "
        "Shall I go ahead?"
    )
    assert message["buttons"] == [
        {"title": "Yes, go ahead", "payload": "/affirm"},
        {"title": "Refund", "payload": '/choose_remedy{"remedy": "refund"}'},
        {"title": "Talk to a person", "payload": "/human_handoff"},
    ]


async def test_static_buttons_of_a_response_are_kept() -> None:
    message = await ShopNLG(domain=DOMAIN).generate("utter_ask_feedback_score", tracker(), "rest")
    assert [b["payload"] for b in message["buttons"]] == ["1", "2", "3", "4", "5"]


async def test_unknown_response_gives_nothing() -> None:
    assert await ShopNLG(domain=DOMAIN).generate("utter_does_not_exist", tracker(), "rest") is None


async def test_a_curated_translation_is_used_with_local_formats() -> None:
    message = await ShopNLG(domain=DOMAIN).generate(
        "utter_outcome_refund", tracker("ru"), "rest", amount="24.90", currency="EUR", date="2026-12-01"
    )
    assert "24,90" in message["text"] and "€" in message["text"]
    assert "дек" in message["text"]  # the date in Russian
    assert "refund" not in message["text"].lower()


async def test_option_buttons_and_static_buttons_are_translated() -> None:
    nlg = ShopNLG(domain=DOMAIN)
    offer = await nlg.generate("utter_offer_colleague", tracker("ru"), "rest", options=["refund"])
    titles = [b["title"] for b in offer["buttons"]]
    assert not any(t in ("Yes, a person please", "No, thanks", "Refund") for t in titles)
    assert [b["payload"] for b in offer["buttons"]][-1] == '/choose_remedy{"remedy": "refund"}'


@pytest.fixture
def peer_translator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """The process's translator pointed at a LibreTranslate peer on loopback."""
    with running_peer() as url:
        monkeypatch.setenv("TRANSLATOR", "libretranslate")
        monkeypatch.setenv("TRANSLATOR_URL", url)
        monkeypatch.setenv("TRANSLATOR_TIMEOUT", "0.5")
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
        migrate(f"sqlite:///{tmp_path / 'shop.db'}")
        reset_translator()
        yield url
        reset_translator()


async def test_a_language_without_curated_replies_is_machine_translated(peer_translator: str) -> None:
    message = await ShopNLG(domain=DOMAIN).generate(
        "utter_case_recorded", tracker("sv"), "rest", case_number="C-000042"
    )
    # The peer marks what it translated; the case number was protected from the translator.
    assert message["text"].startswith("[sv]") and "C-000042" in message["text"]


async def test_a_translator_that_fails_costs_the_customer_nothing_but_english(peer_translator: str) -> None:
    set_fault(peer_translator, "slow", delay=5)
    started = time.monotonic()
    message = await ShopNLG(domain=DOMAIN).generate(
        "utter_case_recorded", tracker("sv"), "rest", case_number="C-000042"
    )
    assert message["text"] == "Done! Your case number is C-000042."
    assert time.monotonic() - started < 3.5  # the translator's budget, not the peer's five seconds


STATUS = {
    "carrier": "DHL",
    "tracking_number": "JD0142",
    "status_text": "Arrived at sorting centre",
    "last_location": "Leipzig",
    "last_scan": "2026-11-20",
    "eta": "2026-11-25",
}


async def test_a_carriers_status_text_is_translated_with_the_reply(peer_translator: str) -> None:
    message = await ShopNLG(domain=DOMAIN).generate("utter_delivery_status", tracker("sv"), "rest", **STATUS)
    assert "[sv] Arrived at sorting centre" in message["text"]
    assert "JD0142" in message["text"] and "Leipzig" in message["text"]


async def test_a_status_text_stays_in_english_when_the_translator_is_down(peer_translator: str) -> None:
    set_fault(peer_translator, "500")
    message = await ShopNLG(domain=DOMAIN).generate("utter_delivery_status", tracker("de"), "rest", **STATUS)
    assert "Arrived at sorting centre" in message["text"] and "Sendungsnummer" in message["text"]


@pytest.mark.parametrize(
    ("language", "expected"), [("zh", "2026年11月24日周二 09:00"), ("ar", "الثلاثاء، 24 نوفمبر 2026")]
)
async def test_the_customer_is_told_when_a_person_continues_in_their_language(
    language: str, expected: str
) -> None:
    message = await ShopNLG(domain=DOMAIN).generate(
        "utter_handoff_later",
        tracker(language),
        "rest",
        ticket="H-7",
        opens_at="2026-11-24T08:00:00+00:00",
        timezone="Europe/Berlin",
    )
    assert expected in message["text"] and "H-7" in message["text"]
    assert "colleague" not in message["text"]  # the curated wording, not the English
