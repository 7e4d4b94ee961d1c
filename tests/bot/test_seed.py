"""The demo shop: idempotent, and every state a claim needs is present relative to today."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Customer, Order, Shipment
from bot.db.seed import DemoOrder, seed_demo
from bot.orders import claim_from_order, get_order
from bot.policy import Policy, propose


def test_seed_is_idempotent(session: Session, today: date) -> None:
    first = seed_demo(session, today=today)
    second = seed_demo(session, today=today + timedelta(days=3))
    assert first == second
    assert len(first) == 14
    assert session.scalar(select(func.count()).select_from(Order)) == 14
    assert first[0] == DemoOrder(
        number="SO-100231", email="anna.schmidt@example.de", summary=first[0].summary
    )
    assert all(o.number.startswith("SO-1002") and "@example." in o.email and o.summary for o in first)


def test_demo_covers_countries_currencies_carriers_and_tiers(
    session: Session, seeded: list[DemoOrder], policy: Policy
) -> None:
    countries = set(session.scalars(select(Order.shipping_country)))
    currencies = set(session.scalars(select(Order.currency)))
    carriers = set(session.scalars(select(Shipment.carrier)))
    tiers = set(session.scalars(select(Customer.tier)))
    phones = list(session.scalars(select(Customer.phone)))
    assert countries == {"DE", "FR", "ES", "MX", "US", "GB", "CN", "JP", "BR", "IT", "NL", "PL", "KR", "SA"}
    assert {"EUR", "USD", "GBP", "CNY", "JPY", "MXN", "BRL", "KRW"} <= currencies
    assert currencies <= set(policy.fx_to_eur)  # every demo currency can be compared with the limits
    assert {
        "DHL",
        "UPS",
        "Cainiao",
        "YunExpress",
        "La Poste",
        "Correos",
        "Royal Mail",
        "Japan Post",
    } <= carriers
    assert tiers == {"standard", "member", "vip"}
    assert all(p.startswith("+") and p[1:].isdigit() and 8 <= len(p) <= 16 for p in phones)


def test_demo_states_relative_to_today(
    session: Session, seeded: list[DemoOrder], today: date, policy: Policy
) -> None:
    statuses = set(session.scalars(select(Order.status)))
    assert {"paid", "shipped", "partially_shipped", "delivered"} <= statuses
    delivered_days = sorted(
        (today - s.delivered_at.date()).days
        for s in session.scalars(select(Shipment).where(Shipment.delivered_at.is_not(None)))
    )
    assert 3 in delivered_days and 45 in delivered_days
    values = []
    for number in [o.number for o in seeded]:
        order = get_order(session, number)
        total = sum((line.unit_price * line.quantity for line in order.items), Decimal(0))
        values.append(policy.to_eur(total, order.currency))
        assert 1 <= len(order.items) <= 3
    assert any(v < 30 for v in values) and any(v > policy.auto_approval_limit_eur for v in values)


# What the policy says about each demo order (the demo's promise to whoever tries it).
EXPECTED = [
    (
        "SO-100231",
        "missing_items",
        {"received": {"MUG-BLUE": 1, "TOWEL-LIN": 1}, "photos": 1},
        "reship",
        "missing_units",
        False,
    ),
    (
        "SO-100232",
        "damaged_item",
        {"item_sku": "TEAPOT-CAST", "photos": 1},
        "reship",
        "high_value_damage",
        False,
    ),
    ("SO-100233", "item_mismatch", {"photos": 1}, "exchange", "wrong_item", True),
    ("SO-100234", "delivery_delay", {}, "status_update", "within_window", False),
    ("SO-100235", "delivery_delay", {}, "coupon", "late", False),
    ("SO-100236", "delivery_delay", {}, "reship", "lost", True),
    (
        "SO-100237",
        "missing_items",
        {"received": {"MUG-BLUE": 2, "TOWEL-LIN": 1}, "photos": 1},
        "none",
        "units_on_the_way",
        False,
    ),
    ("SO-100238", "damaged_item", {"item_sku": "MUG-BLUE", "photos": 1}, "refund", "low_value_damage", False),
    ("SO-100239", "delivery_delay", {}, "status_update", "within_window", False),
    ("SO-100240", "refund_request", {}, "none", "outside_return_window", False),
    ("SO-100241", "refund_request", {}, "refund", "not_shipped_cancel", False),
    ("SO-100242", "refund_request", {}, "return_refund", "return_window_open", False),
    ("SO-100243", "delivery_delay", {}, "coupon", "late", False),
    ("SO-100244", "refund_request", {}, "return_refund", "return_window_open", True),
]


@pytest.mark.parametrize(
    ("number", "claim_type", "evidence", "kind", "reason", "approval"), EXPECTED, ids=[e[0] for e in EXPECTED]
)
def test_each_demo_order_shows_its_case(
    session: Session,
    seeded: list[DemoOrder],
    today: date,
    policy: Policy,
    number: str,
    claim_type: str,
    evidence: dict,
    kind: str,
    reason: str,
    approval: bool,
) -> None:
    offer = propose(policy, claim_from_order(get_order(session, number), claim_type, **evidence), today)
    assert (offer.kind, offer.reason, offer.needs_approval) == (kind, reason, approval)


def test_demo_coupons_in_local_currency(
    session: Session, seeded: list[DemoOrder], today: date, policy: Policy
) -> None:
    usd = propose(policy, claim_from_order(get_order(session, "SO-100235"), "delivery_delay"), today)
    krw = propose(policy, claim_from_order(get_order(session, "SO-100243"), "delivery_delay"), today)
    assert (usd.amount, usd.currency) == (Decimal("17.00"), "USD")  # VIP: 15 EUR
    assert (krw.amount, krw.currency) == (Decimal("7400"), "KRW")  # standard: 5 EUR
