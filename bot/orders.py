"""Order lookup and identity verification.

An order is shown only to someone who knows its number and its e-mail or phone.  A wrong pair
gets the same answer (None) whether the order exists or not, so the assistant cannot be used to
find out which order numbers exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.db.models import COMMITTED_STATES, REFUND_KINDS, Case, Order, Resolution, Shipment
from bot.parsing import parse_order_number
from bot.policy import Claim, ItemLine

# A phone matches when this many trailing digits (or more) agree, so that "0151 2345678" and
# "+49 151 2345678" are the same number.
PHONE_MIN_MATCHING_DIGITS = 8


@dataclass(frozen=True)
class OrderLineView:
    sku: str
    name: str
    quantity: int
    quantity_shipped: int
    unit_price: Decimal


@dataclass(frozen=True)
class ShipmentView:
    carrier: str
    tracking_number: str
    status: str
    promised_delivery: date
    delivered_at: datetime | None
    last_event_at: datetime | None
    last_event_description: str | None
    last_event_location: str | None
    shipped_at: datetime | None = None


@dataclass(frozen=True)
class OrderView:
    number: str
    customer_name: str
    email: str
    tier: str
    currency: str
    status: str
    shipping_country: str
    placed_at: date
    items: tuple[OrderLineView, ...]
    shipments: tuple[ShipmentView, ...]
    already_refunded: Decimal


def _canonical_number(number: str) -> str:
    return parse_order_number(number) or (number or "").strip().upper()


def _digits(text: str) -> str:
    # Leading zeros are international ("00") or trunk ("0") prefixes, not part of the number.
    return re.sub(r"\D", "", text or "").lstrip("0")


def _contact_matches(order: Order, contact: str) -> bool:
    contact = (contact or "").strip()
    if not contact:
        return False
    customer = order.customer
    if "@" in contact:
        return contact.lower() == (customer.email or "").strip().lower()
    given, known = _digits(contact), _digits(customer.phone or "")
    common = min(len(given), len(known))
    return common >= PHONE_MIN_MATCHING_DIGITS and given[-common:] == known[-common:]


def _load(session: Session, number: str) -> Order | None:
    query = (
        select(Order)
        .where(Order.number == _canonical_number(number))
        .options(
            selectinload(Order.customer),
            selectinload(Order.items),
            selectinload(Order.shipments).selectinload(Shipment.events),
        )
    )
    return session.scalars(query).one_or_none()


def _refunded(session: Session, order: Order) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Resolution.amount), 0))
        .join(Case, Resolution.case_id == Case.id)
        .where(
            Case.order_id == order.id,
            Resolution.kind.in_(REFUND_KINDS),
            Resolution.state.in_(COMMITTED_STATES),
        )
    )
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def _shipment_view(shipment: Shipment) -> ShipmentView:
    last = shipment.events[-1] if shipment.events else None
    return ShipmentView(
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        status=shipment.status,
        promised_delivery=shipment.promised_delivery,
        delivered_at=shipment.delivered_at,
        last_event_at=last.at if last else None,
        last_event_description=last.description if last else None,
        last_event_location=last.location if last else None,
        shipped_at=shipment.shipped_at,
    )


def _view(session: Session, order: Order) -> OrderView:
    return OrderView(
        number=order.number,
        customer_name=order.customer.name,
        email=order.customer.email,
        tier=order.customer.tier,
        currency=order.currency,
        status=order.status,
        shipping_country=order.shipping_country,
        placed_at=order.placed_at.date(),
        items=tuple(
            OrderLineView(
                sku=i.sku,
                name=i.name,
                quantity=i.quantity,
                quantity_shipped=i.quantity_shipped,
                unit_price=Decimal(i.unit_price),
            )
            for i in order.items
        ),
        shipments=tuple(_shipment_view(s) for s in order.shipments),
        already_refunded=_refunded(session, order),
    )


def get_order(session: Session, number: str) -> OrderView | None:
    """The order, without any identity check: only for code that has verified the customer already."""
    order = _load(session, number)
    return _view(session, order) if order else None


def verify_order(session: Session, order_number: str, contact: str) -> OrderView | None:
    """The order if `contact` is its e-mail (any case) or its phone (with or without country code);
    None otherwise, whether or not the order exists."""
    order = _load(session, order_number)
    if order is None or not _contact_matches(order, contact):
        return None
    return _view(session, order)


def _relevant_shipment(order: OrderView) -> ShipmentView | None:
    """The parcel a claim is about: the newest one still travelling, else the newest one."""
    travelling = [s for s in order.shipments if s.delivered_at is None]
    return (travelling or list(order.shipments) or [None])[-1]


def claim_from_order(order: OrderView, claim_type: str, **evidence) -> Claim:
    """A policy claim for `order`.  `evidence` are the Claim fields the customer supplies: received,
    item_sku, photos, affected_quantity."""
    allowed = {"received", "item_sku", "photos", "affected_quantity"}
    unknown = set(evidence) - allowed
    if unknown:
        raise TypeError(f"claim_from_order() got unexpected evidence {', '.join(sorted(unknown))}")
    shipment = _relevant_shipment(order)
    all_delivered = bool(order.shipments) and all(s.delivered_at for s in order.shipments)
    delivered_at = max(s.delivered_at for s in order.shipments).date() if all_delivered else None
    last_scan = None
    if shipment is not None:
        moment = shipment.last_event_at or shipment.shipped_at
        last_scan = moment.date() if moment else None
    received = evidence.get("received")
    return Claim(
        claim_type=claim_type,
        currency=order.currency,
        items=tuple(
            ItemLine(sku=i.sku, name=i.name, quantity=i.quantity, unit_price=i.unit_price)
            for i in order.items
        ),
        tier=order.tier,
        shipping_country=order.shipping_country,
        order_status=order.status,
        placed_at=order.placed_at,
        delivered_at=delivered_at,
        promised_delivery=shipment.promised_delivery if shipment else None,
        last_scan_at=last_scan,
        shipment_status=shipment.status if shipment else None,
        received={str(k): int(v) for k, v in received.items()} if received else None,
        item_sku=evidence.get("item_sku"),
        photos=int(evidence.get("photos") or 0),
        already_refunded=order.already_refunded,
        shipped={i.sku: i.quantity_shipped for i in order.items},
        affected_quantity=evidence.get("affected_quantity"),
    )
