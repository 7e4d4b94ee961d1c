"""The seller's policy: a claim about an order (plus its evidence) -> the offer to make.

Pure Python on purpose: no database, no Rasa, no clock (callers pass `today`), so the whole
decision table is tested with plain values.  Every number comes from policy.yml.

Reason codes (`Offer.reason`) are stable: the bot picks its reply by them.
    missing_items   missing_units, nothing_missing, units_on_the_way, photos_needed
    damaged_item    low_value_damage, high_value_damage, units_on_the_way, unknown_item, photos_needed
    delivery_delay  within_window, late, lost, already_delivered, units_on_the_way, not_shipped_cancel,
                    order_cancelled, already_refunded
    item_mismatch   wrong_item, units_on_the_way, unknown_item, photos_needed
    refund_request  return_window_open, outside_return_window, already_refunded, not_shipped_cancel,
                    not_delivered_yet, order_cancelled
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_origin, get_type_hints

import yaml

# ISO 4217 currencies without minor units (amounts are whole numbers).  A standard, not a
# seller's choice, so it lives here and not in policy.yml.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)
CLAIM_TYPES = ("missing_items", "damaged_item", "delivery_delay", "item_mismatch", "refund_request")
DEFAULT_TIER = "standard"  # coupon tables must name it; it also covers tiers they do not list


class PolicyError(ValueError):
    """policy.yml is missing, malformed, or lacks a value the assistant needs."""


# --- the policy file --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadPolicy:
    max_photo_mb: int
    max_pixels: int


@dataclass(frozen=True)
class VerificationPolicy:
    max_attempts: int


@dataclass(frozen=True)
class HandoffPolicy:
    offer_after_misunderstood: int  # messages in a row not understood before a colleague is offered
    after_misunderstood: int  # ... before the conversation goes to a colleague without asking
    anger_threshold: Decimal  # bot.handoff.escalation: the anger score that hands a customer over
    legal_always_hands_over: bool  # a mention of legal steps alone hands over (else only when angry too)


@dataclass(frozen=True)
class MissingItemsPolicy:
    min_photos: int
    reship_business_days: int
    refund_business_days: int


@dataclass(frozen=True)
class DamagedItemPolicy:
    min_photos: int
    low_value_eur: Decimal
    partial_refund_percent: Decimal
    reship_business_days: int
    refund_business_days: int


@dataclass(frozen=True)
class DeliveryDelayPolicy:
    grace_days: int
    lost_after_days_without_scan: int
    new_eta_days: int
    coupon_eur: Mapping[str, Decimal]
    coupon_valid_days: int
    reship_business_days: int
    refund_business_days: int


@dataclass(frozen=True)
class ItemMismatchPolicy:
    min_photos: int
    partial_refund_percent: Decimal
    reship_business_days: int
    refund_business_days: int


@dataclass(frozen=True)
class RefundRequestPolicy:
    return_window_days: int
    eu_withdrawal_days: int
    refund_business_days: int
    goodwill_coupon_eur: Mapping[str, Decimal]
    coupon_valid_days: int


@dataclass(frozen=True)
class FeedbackPolicy:
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class Policy:
    fx_to_eur: Mapping[str, Decimal]
    auto_approval_limit_eur: Decimal
    upload: UploadPolicy
    verification: VerificationPolicy
    handoff: HandoffPolicy
    missing_items: MissingItemsPolicy
    damaged_item: DamagedItemPolicy
    delivery_delay: DeliveryDelayPolicy
    item_mismatch: ItemMismatchPolicy
    refund_request: RefundRequestPolicy
    eu_countries: frozenset[str]
    feedback: FeedbackPolicy
    priority_tiers: tuple[str, ...]

    def to_eur(self, amount: Decimal, currency: str) -> Decimal:
        try:
            return amount * self.fx_to_eur[currency.upper()]
        except KeyError:
            raise PolicyError(f"policy.yml: fx_to_eur has no rate for {currency}") from None

    def from_eur(self, amount_eur: Decimal, currency: str) -> Decimal:
        return amount_eur / self.to_eur(Decimal(1), currency)

    def needs_approval(self, amount: Decimal, currency: str) -> bool:
        return self.to_eur(amount, currency) > self.auto_approval_limit_eur

    def is_eu(self, country: str) -> bool:
        return country.upper() in self.eu_countries

    def is_priority(self, tier: str) -> bool:
        return tier in self.priority_tiers

    def return_window_days(self, country: str) -> int:
        """The seller's window, but never shorter than the EU withdrawal period for EU addresses."""
        rules = self.refund_request
        if self.is_eu(country):
            return max(rules.return_window_days, rules.eu_withdrawal_days)
        return rules.return_window_days


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PolicyError(f"policy.yml: {where}: expected a whole number >= 0, got {value!r}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"policy.yml: {where}: expected true or false, got {value!r}")
    return value


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PolicyError(f"policy.yml: {where}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PolicyError(f"policy.yml: {where}: expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise PolicyError(f"policy.yml: {where}: expected a number >= 0, got {value!r}")
    return number


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PolicyError(f"policy.yml: {where}: expected a list of names, got {value!r}")
    return value


def _convert(kind: Any, value: Any, where: str) -> Any:
    if is_dataclass(kind):
        return _section(kind, value, where)
    if kind is bool:
        return _bool(value, where)
    if kind is int:
        return _int(value, where)
    if kind is Decimal:
        return _decimal(value, where)
    origin = get_origin(kind)
    if origin is Mapping:
        if not isinstance(value, dict) or not value:
            raise PolicyError(f"policy.yml: {where}: expected a table of name: number, got {value!r}")
        return MappingProxyType({str(k): _decimal(v, f"{where}.{k}") for k, v in value.items()})
    if origin is frozenset:
        return frozenset(s.upper() for s in _strings(value, where))
    if origin is tuple:
        return tuple(_strings(value, where))
    raise TypeError(f"unsupported policy field type {kind!r}")  # a programming error, not the file's


def _section(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise PolicyError(f"policy.yml: {where or 'top level'}: expected a table of keys, got {data!r}")
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    prefix = f"{where}." if where else ""
    unknown = sorted(set(data) - set(names))
    missing = [name for name in names if name not in data]
    if unknown:
        raise PolicyError(f"policy.yml: unknown key(s) {', '.join(prefix + str(k) for k in unknown)}")
    if missing:
        raise PolicyError(f"policy.yml: missing key(s) {', '.join(prefix + k for k in missing)}")
    return cls(**{name: _convert(hints[name], data[name], prefix + name) for name in names})


def _check(policy: Policy) -> None:
    if policy.fx_to_eur.get("EUR") != 1:
        raise PolicyError("policy.yml: fx_to_eur.EUR must be 1")
    if any(rate == 0 for rate in policy.fx_to_eur.values()):
        raise PolicyError("policy.yml: fx_to_eur: a rate cannot be 0")
    for where, table in (
        ("delivery_delay.coupon_eur", policy.delivery_delay.coupon_eur),
        ("refund_request.goodwill_coupon_eur", policy.refund_request.goodwill_coupon_eur),
    ):
        if DEFAULT_TIER not in table:
            raise PolicyError(f"policy.yml: {where} needs a value for '{DEFAULT_TIER}'")
    for where, percent in (
        ("damaged_item", policy.damaged_item.partial_refund_percent),
        ("item_mismatch", policy.item_mismatch.partial_refund_percent),
    ):
        if percent > 100:
            raise PolicyError(f"policy.yml: {where}.partial_refund_percent cannot exceed 100")
    if policy.handoff.anger_threshold <= 0:
        # 0 would hand every message over
        raise PolicyError("policy.yml: handoff.anger_threshold must be above 0")
    if policy.verification.max_attempts < 1:
        raise PolicyError("policy.yml: verification.max_attempts must be at least 1")
    if not 1 <= policy.handoff.offer_after_misunderstood <= policy.handoff.after_misunderstood:
        raise PolicyError(
            "policy.yml: handoff.offer_after_misunderstood must be at least 1 and at most"
            " handoff.after_misunderstood"
        )
    if not 0 <= policy.feedback.scale_min < policy.feedback.scale_max:
        raise PolicyError("policy.yml: feedback.scale_min must be below feedback.scale_max")


def load_policy(path: Path | None = None) -> Policy:
    """Reads and validates policy.yml (default: the settings' POLICY_FILE)."""
    if path is None:
        from bot.config import get_settings  # local: keeps this module free of environment look-ups

        path = get_settings().policy_path
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(f"cannot read the policy file {path}: {error}") from error
    except yaml.YAMLError as error:
        raise PolicyError(f"{path} is not valid YAML: {error}") from error
    policy = _section(Policy, data, "")
    _check(policy)
    return policy


# --- claims and offers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Claim:
    """What the customer reports, with the order facts the policy needs.

    `items` are the order lines with the quantities ordered; `shipped` gives the units shipped per
    SKU (None: everything shipped).  `received` are the counts the customer reported per SKU (a SKU
    left out counts as fully received).  `item_sku`/`affected_quantity` name the damaged or wrong
    item (None: the only line, or every shipped line; all its shipped units).
    """

    claim_type: str
    currency: str
    items: tuple[ItemLine, ...]
    tier: str
    shipping_country: str
    order_status: str
    placed_at: date
    delivered_at: date | None
    promised_delivery: date | None
    last_scan_at: date | None
    shipment_status: str | None
    received: dict[str, int] | None = None
    item_sku: str | None = None
    photos: int = 0
    already_refunded: Decimal = Decimal(0)
    shipped: dict[str, int] | None = None
    affected_quantity: int | None = None


@dataclass(frozen=True)
class Offer:
    """A remedy to propose.  `promised_date` is the ship-by date (reship, exchange), the refund-by
    date (refunds) or the last valid day (coupon); `eta` is a delivery estimate (delays)."""

    kind: str  # reship, refund, partial_refund, coupon, exchange, return_refund, status_update, none
    amount: Decimal
    currency: str
    items: tuple[ItemLine, ...]
    promised_date: date | None
    alternatives: tuple[str, ...]
    needs_approval: bool
    reason: str
    requires_return: bool = False
    eta: date | None = None


def add_business_days(start: date, days: int) -> date:
    """`start` plus `days` working days (Monday to Friday); public holidays are not modelled."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def money(amount: Decimal, currency: str) -> Decimal:
    """Rounded to the currency's minor unit: cents, or whole yen/won."""
    exponent = Decimal(1) if currency.upper() in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def round_coupon(amount: Decimal, currency: str) -> Decimal:
    """Up to a round figure with two significant digits, never below one unit: 4.27 -> 5, 10.87 -> 11,
    1612.90 JPY -> 1700, 22058 KRW -> 23000.  Customers get a clean number, never less than promised."""
    if amount <= 0:
        return money(Decimal(0), currency)
    digits = len(str(int(amount)))
    step = Decimal(10) ** max(0, digits - 2)
    return money((amount / step).to_integral_value(rounding=ROUND_CEILING) * step, currency)


def _value(lines: tuple[ItemLine, ...]) -> Decimal:
    return sum((line.unit_price * line.quantity for line in lines), Decimal(0))


def _with_quantities(items: tuple[ItemLine, ...], quantities: Mapping[str, int]) -> tuple[ItemLine, ...]:
    return tuple(
        replace(line, quantity=quantities[line.sku]) for line in items if quantities.get(line.sku, 0) > 0
    )


class _Deciding:
    """One decision: the claim, the policy and today, with the small helpers every rule uses."""

    def __init__(self, policy: Policy, claim: Claim, today: date) -> None:
        self.policy, self.claim, self.today = policy, claim, today
        self.shipped = {line.sku: line.quantity for line in claim.items}
        if claim.shipped is not None:
            self.shipped = {sku: min(claim.shipped.get(sku, 0), qty) for sku, qty in self.shipped.items()}
        self.pending = _with_quantities(
            claim.items, {line.sku: line.quantity - self.shipped[line.sku] for line in claim.items}
        )

    def offer(
        self,
        kind: str,
        reason: str,
        *,
        items: tuple[ItemLine, ...] = (),
        amount: Decimal = Decimal(0),
        business_days: int | None = None,
        days: int | None = None,
        eta: date | None = None,
        requires_return: bool = False,
    ) -> Offer:
        currency = self.claim.currency
        amount = money(amount, currency)
        if business_days is not None:
            promised: date | None = add_business_days(self.today, business_days)
        else:
            promised = self.today + timedelta(days=days) if days is not None else None
        # Goods sent out are worth their value; money is worth its amount.
        worth = _value(items) if kind in ("reship", "exchange") else amount
        return Offer(
            kind=kind,
            amount=amount,
            currency=currency,
            items=items,
            promised_date=promised,
            alternatives=(),
            needs_approval=self.policy.needs_approval(worth, currency),
            reason=reason,
            requires_return=requires_return,
            eta=eta,
        )

    def none(self, reason: str, *, items: tuple[ItemLine, ...] = (), eta: date | None = None) -> Offer:
        return Offer(
            kind="none",
            amount=money(Decimal(0), self.claim.currency),
            currency=self.claim.currency,
            items=items,
            promised_date=None,
            alternatives=(),
            needs_approval=False,
            reason=reason,
            eta=eta,
        )

    def shipped_lines(self) -> tuple[ItemLine, ...]:
        return _with_quantities(self.claim.items, self.shipped)

    def coupon(
        self, table: Mapping[str, Decimal], reason: str, valid_days: int, eta: date | None = None
    ) -> Offer | None:
        eur = table.get(self.claim.tier, table[DEFAULT_TIER])
        if eur <= 0:
            return None
        amount = round_coupon(self.policy.from_eur(eur, self.claim.currency), self.claim.currency)
        return self.offer("coupon", reason, amount=amount, days=valid_days, eta=eta)

    def affected(self) -> tuple[ItemLine, ...] | None:
        """Lines the damage or mix-up is about, limited to shipped units; None if the SKU is unknown."""
        claim = self.claim
        if claim.item_sku is not None:
            chosen = [line for line in claim.items if line.sku == claim.item_sku]
            if not chosen:
                return None
        else:
            chosen = list(claim.items)
        quantities = {}
        for line in chosen:
            units = self.shipped[line.sku]
            if claim.affected_quantity is not None and len(chosen) == 1:
                units = min(units, claim.affected_quantity)
            quantities[line.sku] = units
        return _with_quantities(tuple(chosen), quantities)

    def lacks_photos(self, minimum: int) -> bool:
        return self.claim.photos < minimum

    def cancel_unshipped(self) -> list[Offer]:
        """Nothing has left the warehouse: cancel and refund what has not been refunded yet."""
        remaining = _value(self.claim.items) - self.claim.already_refunded
        if remaining <= 0:
            return [self.none("already_refunded")]
        return [
            self.offer(
                "refund",
                "not_shipped_cancel",
                items=self.claim.items,
                amount=remaining,
                business_days=self.policy.refund_request.refund_business_days,
            )
        ]


def _missing_items(d: _Deciding) -> list[Offer]:
    rules = d.policy.missing_items
    received = d.claim.received or {}
    # Units that were never shipped are not missing: they are still on their way to the customer.
    missing = {
        sku: shipped - max(0, min(received.get(sku, shipped), shipped)) for sku, shipped in d.shipped.items()
    }
    lines = _with_quantities(d.claim.items, missing)
    if not lines:
        return [d.none("units_on_the_way", items=d.pending) if d.pending else d.none("nothing_missing")]
    if d.lacks_photos(rules.min_photos):
        return [d.none("photos_needed", items=lines)]
    value = _value(lines)
    return [
        d.offer("reship", "missing_units", items=lines, business_days=rules.reship_business_days),
        d.offer(
            "refund", "missing_units", items=lines, amount=value, business_days=rules.refund_business_days
        ),
    ]


def _affected_with_photos(d: _Deciding, min_photos: int) -> tuple[tuple[ItemLine, ...], list[Offer]]:
    """The damaged or wrong units, or the reason no offer can be made yet."""
    lines = d.affected()
    if lines is None:
        return (), [d.none("unknown_item")]
    if not lines:
        return (), [d.none("units_on_the_way", items=d.pending)]
    if d.lacks_photos(min_photos):
        return lines, [d.none("photos_needed", items=lines)]
    return lines, []


def _damaged_item(d: _Deciding) -> list[Offer]:
    rules = d.policy.damaged_item
    lines, refusal = _affected_with_photos(d, rules.min_photos)
    if refusal:
        return refusal
    value = _value(lines)
    if d.policy.to_eur(value, d.claim.currency) <= rules.low_value_eur:
        # Sending a cheap item back costs more than it is worth: the customer keeps it.
        return [
            d.offer(
                "refund",
                "low_value_damage",
                items=lines,
                amount=value,
                business_days=rules.refund_business_days,
            ),
            d.offer("reship", "low_value_damage", items=lines, business_days=rules.reship_business_days),
        ]
    partial = value * rules.partial_refund_percent / 100
    return [
        d.offer(
            "reship",
            "high_value_damage",
            items=lines,
            business_days=rules.reship_business_days,
            requires_return=True,
        ),
        d.offer(
            "partial_refund",
            "high_value_damage",
            items=lines,
            amount=partial,
            business_days=rules.refund_business_days,
        ),
    ]


def _delivery_delay(d: _Deciding) -> list[Offer]:
    rules, claim, today = d.policy.delivery_delay, d.claim, d.today
    if claim.order_status == "cancelled":
        return [d.none("order_cancelled")]
    if claim.promised_delivery is None or not any(d.shipped.values()):
        return d.cancel_unshipped()
    if claim.shipment_status == "delivered" or claim.delivered_at is not None:
        return [d.none("units_on_the_way", items=d.pending) if d.pending else d.none("already_delivered")]
    late_from = claim.promised_delivery + timedelta(days=rules.grace_days)
    if today <= late_from:
        eta = claim.promised_delivery if claim.promised_delivery >= today else late_from
        return [d.offer("status_update", "within_window", eta=eta)]
    silent = (today - claim.last_scan_at).days if claim.last_scan_at else None
    if silent is None or silent >= rules.lost_after_days_without_scan:
        lines = d.shipped_lines()
        return [
            d.offer("reship", "lost", items=lines, business_days=rules.reship_business_days),
            d.offer(
                "refund", "lost", items=lines, amount=_value(lines), business_days=rules.refund_business_days
            ),
        ]
    eta = today + timedelta(days=rules.new_eta_days)
    coupon = d.coupon(rules.coupon_eur, "late", rules.coupon_valid_days, eta=eta)
    return [coupon or d.offer("status_update", "late", eta=eta)]


def _item_mismatch(d: _Deciding) -> list[Offer]:
    rules = d.policy.item_mismatch
    lines, refusal = _affected_with_photos(d, rules.min_photos)
    if refusal:
        return refusal
    value = _value(lines)
    # The exchange does not ask for the wrong item back: collecting it usually costs more than it is
    # worth, and exchanges above the approval limit are reviewed by an agent anyway.
    return [
        d.offer("exchange", "wrong_item", items=lines, business_days=rules.reship_business_days),
        d.offer(
            "partial_refund",
            "wrong_item",
            items=lines,
            amount=value * rules.partial_refund_percent / 100,
            business_days=rules.refund_business_days,
        ),
        d.offer(
            "return_refund",
            "wrong_item",
            items=lines,
            amount=value,
            requires_return=True,
            business_days=rules.refund_business_days,
        ),
    ]


def _refund_request(d: _Deciding) -> list[Offer]:
    rules, claim = d.policy.refund_request, d.claim
    if claim.order_status == "cancelled":
        refunded = claim.already_refunded >= _value(claim.items)
        return [d.none("already_refunded" if refunded else "order_cancelled")]
    if not any(d.shipped.values()):
        return d.cancel_unshipped()
    if claim.delivered_at is None:
        return [d.none("not_delivered_yet", eta=claim.promised_delivery)]
    window_end = claim.delivered_at + timedelta(days=d.policy.return_window_days(claim.shipping_country))
    if d.today > window_end:
        coupon = d.coupon(rules.goodwill_coupon_eur, "outside_return_window", rules.coupon_valid_days)
        return [d.none("outside_return_window"), *([coupon] if coupon else [])]
    lines = d.shipped_lines()
    remaining = _value(lines) - claim.already_refunded
    if remaining <= 0:
        return [d.none("already_refunded")]
    return [
        d.offer(
            "return_refund",
            "return_window_open",
            items=lines,
            amount=remaining,
            requires_return=True,
            business_days=rules.refund_business_days,
        )
    ]


_RULES: dict[str, Callable[[_Deciding], list[Offer]]] = {
    "missing_items": _missing_items,
    "damaged_item": _damaged_item,
    "delivery_delay": _delivery_delay,
    "item_mismatch": _item_mismatch,
    "refund_request": _refund_request,
}


def _offers(policy: Policy, claim: Claim, today: date) -> list[Offer]:
    """Every offer the policy allows for the claim, the preferred one first."""
    rule = _RULES.get(claim.claim_type)
    if rule is None:
        raise ValueError(f"unknown claim type {claim.claim_type!r}; expected one of {', '.join(CLAIM_TYPES)}")
    return rule(_Deciding(policy, claim, today))


def propose(policy: Policy, claim: Claim, today: date) -> Offer:
    """The offer to make first; `alternatives` names the other kinds the customer may pick instead.
    When nothing can be offered (kind 'none'), a colleague ('human') is always among them."""
    offers = _offers(policy, claim, today)
    first = offers[0]
    alternatives = tuple(offer.kind for offer in offers[1:])
    if first.kind == "none":
        alternatives += ("human",)
    return replace(first, alternatives=alternatives)


def offer_for_kind(policy: Policy, claim: Claim, kind: str, today: date) -> Offer | None:
    """The offer of `kind` the customer picked among the alternatives; None if the policy does not
    allow that kind for this claim."""
    offers = [offer for offer in _offers(policy, claim, today) if offer.kind != "none"]
    for offer in offers:
        if offer.kind == kind:
            return replace(offer, alternatives=tuple(o.kind for o in offers if o.kind != kind))
    return None
