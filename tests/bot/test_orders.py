"""Order lookup and the identity check: number plus e-mail or phone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from bot import cases
from bot.db.seed import DemoOrder
from bot.orders import claim_from_order, get_order, verify_order
from bot.policy import Offer, Policy, propose


@pytest.mark.parametrize(
    ("number", "contact"),
    [
        ("SO-100231", "anna.schmidt@example.de"),
        ("SO-100231", "  Anna.Schmidt@EXAMPLE.de "),
        ("so100231", "anna.schmidt@example.de"),
        ("SO-100231", "+4915123456789"),
        ("SO-100231", "+49 151 2345 6789"),
        ("SO-100231", "0049 151 23456789"),
        ("SO-100231", "0151 23456789"),  # national format, no country code
        ("SO-100231", "15123456789"),
        ("SO-100235", "(202) 555-0143"),
    ],
)
def test_verify_accepts_the_orders_email_or_phone(
    session: Session, seeded: list[DemoOrder], number: str, contact: str
) -> None:
    order = verify_order(session, number, contact)
    assert order is not None
    assert order.number == number.upper().replace("SO1", "SO-1")


@pytest.mark.parametrize(
    ("number", "contact"),
    [
        ("SO-100231", "camille.dubois@example.fr"),  # another customer's e-mail
        ("SO-100231", "anna.schmidt@example.com"),
        ("SO-100231", "+33612345678"),  # another customer's phone
        ("SO-100231", "456789"),  # too few digits to identify anyone
        ("SO-100231", ""),
        ("SO-999999", "anna.schmidt@example.de"),  # unknown order: same answer
        ("nonsense", "anna.schmidt@example.de"),
    ],
)
def test_verify_refuses_without_revealing_why(
    session: Session, seeded: list[DemoOrder], number: str, contact: str
) -> None:
    assert verify_order(session, number, contact) is None


def test_order_view(session: Session, seeded: list[DemoOrder], today: date) -> None:
    order = get_order(session, "SO-100237")
    assert order is not None
    assert (order.customer_name, order.tier, order.currency, order.status) == (
        "Wang Fang",
        "member",
        "CNY",
        "partially_shipped",
    )
    assert [(line.sku, line.quantity, line.quantity_shipped) for line in order.items] == [
        ("MUG-BLUE", 2, 2),
        ("TOWEL-LIN", 1, 1),
        ("TEAPOT-CAST", 1, 0),
    ]
    assert order.items[2].unit_price == Decimal("468.00")
    shipment = order.shipments[0]
    assert (shipment.carrier, shipment.status, shipment.last_event_description) == (
        "Cainiao",
        "delivered",
        "Delivered",
    )
    assert shipment.delivered_at is not None and shipment.delivered_at.tzinfo is not None
    assert shipment.last_event_at.date() == shipment.delivered_at.date()
    assert order.already_refunded == Decimal("0")
    assert get_order(session, "SO-999999") is None


def test_claim_from_order_partially_shipped(
    session: Session, seeded: list[DemoOrder], policy: Policy, today: date
) -> None:
    order = get_order(session, "SO-100237")
    claim = claim_from_order(order, "missing_items", received={"MUG-BLUE": "2", "TOWEL-LIN": 1}, photos=1)
    assert claim.shipped == {"MUG-BLUE": 2, "TOWEL-LIN": 1, "TEAPOT-CAST": 0}
    assert claim.received == {"MUG-BLUE": 2, "TOWEL-LIN": 1}
    assert claim.delivered_at is not None and claim.shipment_status == "delivered"
    offer = propose(policy, claim, today)
    assert (offer.reason, [line.sku for line in offer.items]) == ("units_on_the_way", ["TEAPOT-CAST"])


def test_claim_from_order_in_transit(session: Session, seeded: list[DemoOrder], today: date) -> None:
    claim = claim_from_order(get_order(session, "SO-100236"), "delivery_delay")
    assert claim.delivered_at is None
    assert claim.shipment_status == "in_transit"
    assert (today - claim.last_scan_at).days == 20
    assert claim.promised_delivery < today


def test_claim_from_order_not_shipped(session: Session, seeded: list[DemoOrder]) -> None:
    claim = claim_from_order(get_order(session, "SO-100241"), "refund_request")
    assert (claim.promised_delivery, claim.shipment_status, claim.delivered_at) == (None, None, None)
    assert set(claim.shipped.values()) == {0}


def test_claim_from_order_rejects_unknown_evidence(session: Session, seeded: list[DemoOrder]) -> None:
    with pytest.raises(TypeError, match="colour"):
        claim_from_order(get_order(session, "SO-100231"), "item_mismatch", colour="red")


def test_accepted_refunds_count_as_already_refunded(
    session: Session, seeded: list[DemoOrder], policy: Policy, today: date
) -> None:
    case = cases.open_case(session, conversation_id="c1", order_number="SO-100231", claim_type="damaged_item")
    refund = Offer(
        kind="refund",
        amount=Decimal("12.90"),
        currency="EUR",
        items=(),
        promised_date=today,
        alternatives=(),
        needs_approval=False,
        reason="low_value_damage",
    )
    cases.record_offer(session, case.number, refund)
    assert get_order(session, "SO-100231").already_refunded == Decimal("0")  # only proposed so far
    cases.accept_offer(session, case.number)
    order = get_order(session, "SO-100231")
    assert order.already_refunded == Decimal("12.90")
    offer = propose(policy, claim_from_order(order, "refund_request"), today)
    assert offer.amount == Decimal("22.40")
