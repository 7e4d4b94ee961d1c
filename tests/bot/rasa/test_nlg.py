from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.nlg import ShopNLG

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
