"""The services the actions call (bot.claims) on top of orders, policy and cases."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from bot import claims
from bot.config import Settings
from bot.db.seed import DemoOrder
from bot.db.session import session_scope
from bot.evidence import store_photo


@pytest.fixture
def shop(settings: Settings, session: Session, seeded: list[DemoOrder]) -> Settings:
    session.commit()  # the services open their own sessions on the same database
    return settings


def responses(outcome: claims.Outcome) -> list[str]:
    return [reply.response for reply in outcome.replies]


def test_missing_item_needs_a_photo_then_offers_reship_or_refund(shop: Settings, today: date) -> None:
    assert claims.verify("so100231", "Anna.Schmidt@example.de").number == "SO-100231"
    assert claims.verify("SO-100231", "nobody@example.de") is None
    case = claims.open_claim("conv-1", "SO-100231", "missing_items", "en", "rest")
    received = {"MUG-BLUE": 1, "TOWEL-LIN": 1}
    assert responses(claims.submit_claim(case, "conv-1", received=received, today=today)) == [
        "utter_photo_needed"
    ]

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    with session_scope() as session:
        store_photo(session, buffer.getvalue(), conversation_id="conv-1")
    assert claims.photo_count("conv-1") == 1
    offer = claims.submit_claim(case, "conv-1", received=received, today=today)
    assert responses(offer) == ["utter_offer_reship"] and offer.awaiting == "offer"
    assert offer.replies[0].values["items"] == "1 × Ceramic mug, blue"
    assert responses(claims.alternatives(case, today=today)) == ["utter_offer_alternatives"]
    refund = claims.choose_remedy(case, "refund", today=today)
    assert responses(refund) == ["utter_offer_refund"] and refund.replies[0].values["amount"] == "12.90"
    assert responses(claims.choose_remedy(case, "coupon", today=today))[0] == "utter_remedy_not_available"
    assert responses(claims.accept(case)) == ["utter_case_recorded", "utter_outcome_refund"]


def test_units_on_the_way_closes_the_case_politely(shop: Settings, today: date) -> None:
    case = claims.open_claim("conv-3", "SO-100237", "missing_items", "zh", "rest")
    outcome = claims.submit_claim(case, "conv-3", received={"MUG-BLUE": 2, "TOWEL-LIN": 1}, today=today)
    assert responses(outcome) == ["utter_units_on_the_way", "utter_anything_else"]
    assert outcome.replies[0].values["items"] == "1 × Cast-iron teapot"


def test_outside_window_names_the_window(shop: Settings, today: date) -> None:
    case = claims.open_claim("conv-4", "SO-100240", "refund_request", "en", "rest")
    outcome = claims.submit_claim(case, "conv-4", today=today)
    assert responses(outcome) == ["utter_refund_not_eligible_window", "utter_offer_colleague"]
    assert outcome.replies[0].values["window"] == "30"
    assert outcome.awaiting == "human_offer"


def test_refund_accept_twice_and_feedback_once_per_order(shop: Settings, today: date) -> None:
    case = claims.open_claim("conv-5", "SO-100242", "refund_request", "en", "rest")
    assert responses(claims.submit_claim(case, "conv-5", today=today)) == ["utter_offer_return_refund"]
    assert responses(claims.accept(case)) == ["utter_case_recorded", "utter_outcome_return_refund"]
    assert responses(claims.accept(case)) == ["utter_already_recorded"]
    assert claims.feedback_wanted(case) is True
    assert claims.feedback_wanted(case) is False  # the invitation goes out once per order
    assert claims.record_feedback(case, 5) is True
    assert claims.record_feedback(case, 4) is False


def test_late_parcel_coupon_and_human_request(shop: Settings, today: date) -> None:
    case = claims.open_claim("conv-6", "SO-100235", "delivery_delay", "en", "rest")
    outcome = claims.submit_claim(case, "conv-6", today=today)
    assert responses(outcome) == ["utter_offer_coupon"]
    assert (outcome.replies[0].values["amount"], outcome.replies[0].values["currency"]) == ("17.00", "USD")
