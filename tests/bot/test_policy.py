"""The seller's decision table, claim by claim, with the real policy.yml numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.policy import (
    Claim,
    ItemLine,
    Policy,
    PolicyError,
    add_business_days,
    load_policy,
    money,
    offer_for_kind,
    propose,
    round_coupon,
)

TODAY = date(2026, 11, 25)  # Wednesday
IN_5_BUSINESS_DAYS = date(2026, 12, 2)
D = Decimal

MUG = ItemLine("MUG", "Ceramic mug", 2, D("12.90"))
TOWEL = ItemLine("TOWEL", "Linen tea towel", 1, D("9.50"))
TEAPOT = ItemLine("TEAPOT", "Cast-iron teapot", 1, D("64.00"))
LAMP = ItemLine("LAMP", "Brass desk lamp", 1, D("189.00"))


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def claim(claim_type: str, **changes: Any) -> Claim:
    """A delivered two-line EUR order to Germany, three days ago, with one photo."""
    base = Claim(
        claim_type=claim_type,
        currency="EUR",
        items=(MUG, TOWEL),
        tier="standard",
        shipping_country="DE",
        order_status="delivered",
        placed_at=days(-10),
        delivered_at=days(-3),
        promised_delivery=days(-4),
        last_scan_at=days(-3),
        shipment_status="delivered",
        photos=1,
    )
    return replace(base, **changes)


IN_TRANSIT = {"order_status": "shipped", "delivered_at": None, "shipment_status": "in_transit"}
NOT_SHIPPED = {
    "order_status": "paid",
    "delivered_at": None,
    "promised_delivery": None,
    "last_scan_at": None,
    "shipment_status": None,
    "shipped": {"MUG": 0, "TOWEL": 0},
}

# id, claim, expected offer fields ("lines" = (sku, quantity) pairs of offer.items)
TABLE = [
    # missing items
    (
        "missing-one-mug",
        claim("missing_items", received={"MUG": 1, "TOWEL": 1}),
        dict(
            kind="reship",
            reason="missing_units",
            lines=[("MUG", 1)],
            alternatives=("refund",),
            promised_date=IN_5_BUSINESS_DAYS,
            amount=D("0.00"),
            needs_approval=False,
        ),
    ),
    (
        "missing-unreported-lines-count-as-received",
        claim("missing_items", received={"TOWEL": 0}),
        dict(kind="reship", reason="missing_units", lines=[("TOWEL", 1)]),
    ),
    (
        "missing-nothing",
        claim("missing_items", received={"MUG": 2, "TOWEL": 1}),
        dict(kind="none", reason="nothing_missing", alternatives=("human",), amount=D("0.00")),
    ),
    (
        "missing-more-than-shipped-is-not-negative",
        claim("missing_items", received={"MUG": 5, "TOWEL": 1}),
        dict(kind="none", reason="nothing_missing"),
    ),
    (
        "missing-unshipped-units-are-on-the-way",
        claim(
            "missing_items",
            order_status="partially_shipped",
            shipped={"MUG": 2, "TOWEL": 0},
            received={"MUG": 2},
        ),
        dict(kind="none", reason="units_on_the_way", lines=[("TOWEL", 1)]),
    ),
    (
        "missing-shipped-unit-on-partial-order",
        claim(
            "missing_items",
            order_status="partially_shipped",
            shipped={"MUG": 2, "TOWEL": 0},
            received={"MUG": 1},
        ),
        dict(kind="reship", reason="missing_units", lines=[("MUG", 1)]),
    ),
    (
        "missing-without-photo",
        claim("missing_items", received={"MUG": 0}, photos=0),
        dict(kind="none", reason="photos_needed", alternatives=("human",)),
    ),
    # damaged item
    (
        "damaged-low-value-line",
        claim("damaged_item", item_sku="MUG"),
        dict(
            kind="refund",
            reason="low_value_damage",
            amount=D("25.80"),
            lines=[("MUG", 2)],
            alternatives=("reship",),
            requires_return=False,
            promised_date=IN_5_BUSINESS_DAYS,
        ),
    ),
    (
        "damaged-one-unit-of-a-line",
        claim("damaged_item", item_sku="MUG", affected_quantity=1),
        dict(kind="refund", reason="low_value_damage", amount=D("12.90"), lines=[("MUG", 1)]),
    ),
    (
        "damaged-high-value-reship-on-return",
        claim("damaged_item", items=(TEAPOT, TOWEL), item_sku="TEAPOT"),
        dict(
            kind="reship",
            reason="high_value_damage",
            requires_return=True,
            lines=[("TEAPOT", 1)],
            alternatives=("partial_refund",),
            needs_approval=False,
        ),
    ),
    (
        "damaged-limit-compared-in-eur",  # 35 USD = 32.20 EUR > 30 EUR
        claim("damaged_item", currency="USD", items=(ItemLine("CUP", "Cup", 1, D("35.00")),)),
        dict(kind="reship", reason="high_value_damage", requires_return=True),
    ),
    (
        "damaged-just-under-limit-in-usd",  # 32 USD = 29.44 EUR
        claim("damaged_item", currency="USD", items=(ItemLine("CUP", "Cup", 1, D("32.00")),)),
        dict(kind="refund", reason="low_value_damage", amount=D("32.00")),
    ),
    (
        "damaged-above-approval-limit",
        claim("damaged_item", items=(LAMP,)),
        dict(kind="reship", reason="high_value_damage", needs_approval=True),
    ),
    (
        "damaged-unknown-item",
        claim("damaged_item", item_sku="NOPE"),
        dict(kind="none", reason="unknown_item", alternatives=("human",)),
    ),
    (
        "damaged-item-not-shipped-yet",
        claim("damaged_item", item_sku="TOWEL", shipped={"MUG": 2, "TOWEL": 0}),
        dict(kind="none", reason="units_on_the_way"),
    ),
    (
        "damaged-without-photo",
        claim("damaged_item", item_sku="MUG", photos=0),
        dict(kind="none", reason="photos_needed"),
    ),
    # delivery delay
    (
        "delay-before-promised-date",
        claim("delivery_delay", **IN_TRANSIT, promised_delivery=days(2), last_scan_at=days(-1)),
        dict(
            kind="status_update",
            reason="within_window",
            amount=D("0.00"),
            eta=days(2),
            alternatives=(),
            needs_approval=False,
        ),
    ),
    (
        "delay-within-grace-days",
        claim("delivery_delay", **IN_TRANSIT, promised_delivery=days(-2), last_scan_at=days(-1)),
        dict(kind="status_update", reason="within_window", eta=days(0)),
    ),
    (
        "delay-late-member-coupon",
        claim(
            "delivery_delay", **IN_TRANSIT, tier="member", promised_delivery=days(-5), last_scan_at=days(-1)
        ),
        dict(
            kind="coupon",
            reason="late",
            amount=D("10.00"),
            eta=days(5),
            promised_date=days(90),
            alternatives=(),
        ),
    ),
    (
        "delay-late-vip-coupon-in-usd",  # 15 EUR / 0.92 = 16.30 -> 17
        claim(
            "delivery_delay",
            **IN_TRANSIT,
            tier="vip",
            currency="USD",
            promised_delivery=days(-5),
            last_scan_at=days(-1),
        ),
        dict(kind="coupon", reason="late", amount=D("17.00"), currency="USD"),
    ),
    (
        "delay-late-coupon-in-yen-has-no-decimals",  # 5 EUR / 0.0062 = 806.45 -> 810
        claim(
            "delivery_delay", **IN_TRANSIT, currency="JPY", promised_delivery=days(-6), last_scan_at=days(-2)
        ),
        dict(kind="coupon", reason="late", amount=D("810"), currency="JPY"),
    ),
    (
        "delay-late-coupon-in-won",  # 5 EUR / 0.00068 = 7352.9 -> 7400
        claim(
            "delivery_delay", **IN_TRANSIT, currency="KRW", promised_delivery=days(-6), last_scan_at=days(-2)
        ),
        dict(kind="coupon", reason="late", amount=D("7400")),
    ),
    (
        "delay-lost-no-scan-for-20-days",
        claim("delivery_delay", **IN_TRANSIT, promised_delivery=days(-15), last_scan_at=days(-20)),
        dict(
            kind="reship",
            reason="lost",
            lines=[("MUG", 2), ("TOWEL", 1)],
            alternatives=("refund",),
            promised_date=IN_5_BUSINESS_DAYS,
        ),
    ),
    (
        "delay-lost-never-scanned",
        claim("delivery_delay", **IN_TRANSIT, promised_delivery=days(-15), last_scan_at=None),
        dict(kind="reship", reason="lost"),
    ),
    (
        "delay-lost-only-shipped-units",
        claim(
            "delivery_delay",
            **IN_TRANSIT,
            shipped={"MUG": 2, "TOWEL": 0},
            promised_delivery=days(-15),
            last_scan_at=days(-12),
        ),
        dict(kind="reship", reason="lost", lines=[("MUG", 2)]),
    ),
    (
        "delay-not-shipped-offers-cancellation",
        claim("delivery_delay", **NOT_SHIPPED),
        dict(kind="refund", reason="not_shipped_cancel", amount=D("35.30"), alternatives=()),
    ),
    (
        "delay-already-delivered",
        claim("delivery_delay"),
        dict(kind="none", reason="already_delivered", alternatives=("human",)),
    ),
    (
        "delay-rest-of-partial-order-on-the-way",
        claim("delivery_delay", order_status="partially_shipped", shipped={"MUG": 2, "TOWEL": 0}),
        dict(kind="none", reason="units_on_the_way", lines=[("TOWEL", 1)]),
    ),
    (
        "delay-cancelled-order",
        claim("delivery_delay", order_status="cancelled"),
        dict(kind="none", reason="order_cancelled"),
    ),
    # wrong item
    (
        "mismatch-exchange",
        claim("item_mismatch", items=(TEAPOT,)),
        dict(
            kind="exchange",
            reason="wrong_item",
            requires_return=False,
            lines=[("TEAPOT", 1)],
            alternatives=("partial_refund", "return_refund"),
            promised_date=IN_5_BUSINESS_DAYS,
        ),
    ),
    (
        "mismatch-above-approval-limit",
        claim("item_mismatch", items=(LAMP,)),
        dict(kind="exchange", reason="wrong_item", needs_approval=True),
    ),
    (
        "mismatch-without-photo",
        claim("item_mismatch", items=(TEAPOT,), photos=0),
        dict(kind="none", reason="photos_needed"),
    ),
    # refund request
    (
        "refund-within-window",
        claim("refund_request", delivered_at=days(-10)),
        dict(
            kind="return_refund",
            reason="return_window_open",
            amount=D("35.30"),
            requires_return=True,
            lines=[("MUG", 2), ("TOWEL", 1)],
            promised_date=IN_5_BUSINESS_DAYS,
        ),
    ),
    (
        "refund-last-day-of-window",
        claim("refund_request", delivered_at=days(-30)),
        dict(kind="return_refund", reason="return_window_open"),
    ),
    (
        "refund-outside-window-standard",
        claim("refund_request", delivered_at=days(-45)),
        dict(kind="none", reason="outside_return_window", alternatives=("human",)),
    ),
    (
        "refund-outside-window-vip-goodwill-coupon",
        claim("refund_request", delivered_at=days(-45), tier="vip"),
        dict(kind="none", reason="outside_return_window", alternatives=("coupon", "human")),
    ),
    (
        "refund-minus-earlier-refunds",
        claim("refund_request", already_refunded=D("12.90")),
        dict(kind="return_refund", reason="return_window_open", amount=D("22.40")),
    ),
    (
        "refund-already-refunded",
        claim("refund_request", already_refunded=D("35.30")),
        dict(kind="none", reason="already_refunded", alternatives=("human",)),
    ),
    (
        "refund-not-shipped-cancel",
        claim("refund_request", **NOT_SHIPPED),
        dict(kind="refund", reason="not_shipped_cancel", amount=D("35.30"), requires_return=False),
    ),
    (
        "refund-not-shipped-after-partial-refund",
        claim("refund_request", **NOT_SHIPPED, already_refunded=D("35.30")),
        dict(kind="none", reason="already_refunded"),
    ),
    (
        "refund-in-transit",
        claim("refund_request", **IN_TRANSIT, promised_delivery=days(3)),
        dict(kind="none", reason="not_delivered_yet", eta=days(3), alternatives=("human",)),
    ),
    (
        "refund-cancelled-and-refunded-order",
        claim("refund_request", order_status="cancelled", already_refunded=D("35.30")),
        dict(kind="none", reason="already_refunded"),
    ),
    (
        "refund-above-approval-limit",
        claim("refund_request", items=(LAMP,)),
        dict(kind="return_refund", amount=D("189.00"), needs_approval=True),
    ),
    (
        "refund-at-approval-limit",
        claim("refund_request", items=(ItemLine("SET", "Knife set", 1, D("150.00")),)),
        dict(kind="return_refund", needs_approval=False),
    ),
]


@pytest.mark.parametrize(("claim_", "expected"), [(c, e) for _, c, e in TABLE], ids=[t[0] for t in TABLE])
def test_decision_table(policy: Policy, claim_: Claim, expected: dict) -> None:
    offer = propose(policy, claim_, TODAY)
    for key, value in expected.items():
        if key == "lines":
            assert [(line.sku, line.quantity) for line in offer.items] == value
        else:
            assert getattr(offer, key) == value, key
    assert offer.currency == claim_.currency


def test_every_claim_type_and_reason_is_covered() -> None:
    claim_types = {c.claim_type for _, c, _ in TABLE}
    reasons = {e["reason"] for _, _, e in TABLE if "reason" in e}
    assert claim_types == {
        "missing_items",
        "damaged_item",
        "delivery_delay",
        "item_mismatch",
        "refund_request",
    }
    assert {
        "missing_units",
        "nothing_missing",
        "units_on_the_way",
        "low_value_damage",
        "high_value_damage",
        "within_window",
        "late",
        "lost",
        "wrong_item",
        "return_window_open",
        "outside_return_window",
        "already_refunded",
        "not_shipped_cancel",
        "not_delivered_yet",
    } <= reasons


def write_policy(tmp_path: Path, **changes: Any) -> Path:
    """A copy of policy.yml with `section__key=value` (or top-level `key=value`) changed."""
    data = yaml.safe_load((PROJECT_ROOT / "policy.yml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *sections, key = dotted.split("__")
        target = data
        for section in sections:
            target = target[section]
        target[key] = value
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("country", "delivered_days_ago", "reason"),
    [
        ("DE", 10, "return_window_open"),  # EU: 14-day withdrawal beats the seller's 7 days
        ("DE", 14, "return_window_open"),
        ("DE", 15, "outside_return_window"),
        ("US", 7, "return_window_open"),
        ("US", 10, "outside_return_window"),  # outside the EU only the seller's window applies
        ("GB", 10, "outside_return_window"),
    ],
)
def test_eu_withdrawal_period_when_the_seller_window_is_shorter(
    tmp_path: Path, country: str, delivered_days_ago: int, reason: str
) -> None:
    short = load_policy(write_policy(tmp_path, refund_request__return_window_days=7))
    offer = propose(
        short,
        claim("refund_request", shipping_country=country, delivered_at=days(-delivered_days_ago)),
        TODAY,
    )
    assert offer.reason == reason


def test_approval_limit_comes_from_the_policy(tmp_path: Path) -> None:
    strict = load_policy(write_policy(tmp_path, auto_approval_limit_eur=20))
    assert propose(strict, claim("refund_request"), TODAY).needs_approval  # 35.30 EUR
    assert propose(strict, claim("missing_items", received={"MUG": 1}), TODAY).needs_approval is False


def test_yen_amounts_are_whole(policy: Policy) -> None:
    yen = claim("damaged_item", currency="JPY", items=(ItemLine("POT", "Teapot", 1, D("9800")),))
    keep = offer_for_kind(policy, yen, "partial_refund", TODAY)  # 30 % of 9800 = 2940
    assert keep is not None and keep.amount == D("2940") and keep.amount.as_tuple().exponent == 0
    odd = claim("item_mismatch", currency="JPY", items=(ItemLine("POT", "Teapot", 1, D("9999")),))
    assert offer_for_kind(policy, odd, "partial_refund", TODAY).amount == D("2000")  # 1999.8 -> 2000


def test_offer_for_kind_picks_an_allowed_alternative(policy: Policy) -> None:
    missing = claim("missing_items", received={"MUG": 1, "TOWEL": 1})
    refund = offer_for_kind(policy, missing, "refund", TODAY)
    assert refund is not None
    assert (refund.kind, refund.amount, refund.alternatives) == ("refund", D("12.90"), ("reship",))
    assert offer_for_kind(policy, missing, "coupon", TODAY) is None
    assert offer_for_kind(policy, missing, "human", TODAY) is None
    assert offer_for_kind(policy, missing, "none", TODAY) is None


def test_offer_for_kind_partial_refund_keeps_the_item(policy: Policy) -> None:
    teapot = claim("damaged_item", items=(TEAPOT,))
    keep = offer_for_kind(policy, teapot, "partial_refund", TODAY)
    assert keep is not None
    assert (keep.amount, keep.requires_return, keep.alternatives) == (D("19.20"), False, ("reship",))
    assert offer_for_kind(policy, teapot, "refund", TODAY) is None  # full refund only for low value


def test_goodwill_coupon_outside_the_window(policy: Policy) -> None:
    late_vip = claim("refund_request", delivered_at=days(-45), tier="vip")
    coupon = offer_for_kind(policy, late_vip, "coupon", TODAY)
    assert coupon is not None
    assert (coupon.amount, coupon.promised_date, coupon.reason) == (
        D("10.00"),
        days(90),
        "outside_return_window",
    )
    assert offer_for_kind(policy, late_vip, "return_refund", TODAY) is None


def test_mismatch_alternatives(policy: Policy) -> None:
    wrong = claim("item_mismatch", items=(TEAPOT,))
    keep = offer_for_kind(policy, wrong, "partial_refund", TODAY)
    back = offer_for_kind(policy, wrong, "return_refund", TODAY)
    assert keep is not None and back is not None
    assert (keep.amount, keep.requires_return) == (D("12.80"), False)
    assert (back.amount, back.requires_return) == (D("64.00"), True)


def test_unknown_claim_type(policy: Policy) -> None:
    with pytest.raises(ValueError, match="unknown claim type"):
        propose(policy, claim("complaint"), TODAY)


@pytest.mark.parametrize(
    ("start", "business_days", "expected"),
    [
        (date(2026, 11, 25), 5, date(2026, 12, 2)),  # Wednesday -> Wednesday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday -> Monday
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_add_business_days(start: date, business_days: int, expected: date) -> None:
    assert add_business_days(start, business_days) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("4.27", "GBP", "5.00"),
        ("10.87", "USD", "11.00"),
        ("10", "EUR", "10.00"),
        ("1612.90", "JPY", "1700"),
        ("22058.8", "KRW", "23000"),
        ("0", "EUR", "0.00"),
    ],
)
def test_round_coupon(amount: str, currency: str, expected: str) -> None:
    result = round_coupon(D(amount), currency)
    assert result == D(expected) and str(result) == expected


def test_money_rounds_half_up_to_minor_units() -> None:
    assert str(money(D("12.345"), "EUR")) == "12.35"
    assert str(money(D("2940.5"), "JPY")) == "2941"


def test_policy_file_loads(policy: Policy) -> None:
    assert policy.auto_approval_limit_eur == D("150")
    assert policy.upload.max_photo_mb == 10
    assert policy.delivery_delay.coupon_eur["vip"] == D("15")
    assert policy.is_eu("de") and not policy.is_eu("GB")
    assert policy.is_priority("vip") and not policy.is_priority("standard")
    assert policy.to_eur(D("100"), "USD") == D("92.00")
    assert policy.handoff.anger_threshold == D("1") and policy.handoff.legal_always_hands_over is True


def test_default_policy_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_FILE", str(write_policy(tmp_path, auto_approval_limit_eur=99)))
    assert load_policy().auto_approval_limit_eur == D("99")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"damaged_item__low_value": 30}, "unknown key.*damaged_item.low_value"),
        ({"upload__max_photo_mb": "ten"}, "upload.max_photo_mb: expected a whole number"),
        ({"auto_approval_limit_eur": "lots"}, "auto_approval_limit_eur: expected a number"),
        ({"auto_approval_limit_eur": -1}, "auto_approval_limit_eur: expected a number >= 0"),
        ({"eu_countries": "DE"}, "eu_countries: expected a list"),
        ({"delivery_delay__coupon_eur": {"vip": 15}}, "coupon_eur needs a value for 'standard'"),
        ({"item_mismatch__partial_refund_percent": 120}, "cannot exceed 100"),
        ({"fx_to_eur": {"USD": 0.9}}, "fx_to_eur.EUR must be 1"),
        ({"feedback": {"scale_min": 5, "scale_max": 1}}, "scale_min must be below"),
        ({"handoff__anger_threshold": "high"}, "handoff.anger_threshold: expected a number"),
        ({"handoff__anger_threshold": 0}, "handoff.anger_threshold must be above 0"),
        ({"handoff__legal_always_hands_over": "yes"}, "legal_always_hands_over: expected true or false"),
        ({"handoff__angry_threshold": 1}, "unknown key.*handoff.angry_threshold"),
    ],
)
def test_bad_policy_files_say_what_is_wrong(tmp_path: Path, changes: dict, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_policy(write_policy(tmp_path, **changes))


def test_missing_key_and_broken_files(tmp_path: Path) -> None:
    data = yaml.safe_load((PROJECT_ROOT / "policy.yml").read_text(encoding="utf-8"))
    del data["verification"]
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PolicyError, match="missing key.*verification"):
        load_policy(path)
    path.write_text("upload: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "absent.yml")


def test_missing_exchange_rate_is_a_policy_error(policy: Policy) -> None:
    with pytest.raises(PolicyError, match="no rate for XYZ"):
        propose(policy, claim("refund_request", currency="XYZ"), TODAY)
