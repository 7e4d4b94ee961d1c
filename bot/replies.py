"""What the assistant says about an offer: a response name plus the values it needs.

Responses live in domain.yml (and their translations beside it); here we only decide
which one fits and hand over raw values (ISO dates, decimal amounts), which the NLG
formats for the customer's locale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.orders import OrderView
from bot.policy import ItemLine, Offer


@dataclass(frozen=True)
class Reply:
    """One bot message: a response of the domain, its values and optional option buttons."""

    response: str
    values: dict[str, str] = field(default_factory=dict)
    options: tuple[str, ...] = ()


ACCEPT_OPTIONS = ("accept", "other", "human")


def describe_items(items: tuple[ItemLine, ...] | list[ItemLine]) -> str:
    """ "2 × Ceramic mug, 1 × Tea towel": item names are shop data, shown as they are."""
    return ", ".join(f"{line.quantity} × {line.name}" for line in items)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _money(amount: Decimal) -> str:
    return format(amount, "f")


def offer_values(offer: Offer, order: OrderView) -> dict[str, str]:
    shipment = order.shipments[-1] if order.shipments else None
    return {
        "order_number": order.number,
        "items": describe_items(offer.items),
        "amount": _money(offer.amount),
        "currency": offer.currency,
        "date": _iso(offer.promised_date),
        "eta": _iso(offer.eta),
        "carrier": shipment.carrier if shipment else "",
        "tracking_number": shipment.tracking_number if shipment else "",
        "last_scan": _iso(shipment.last_event_at.date() if shipment and shipment.last_event_at else None),
    }


def offer_replies(
    offer: Offer, order: OrderView, *, percent: int | None = None, window: int | None = None
) -> list[Reply]:
    """The messages that present `offer`; the last one asks for a decision when one is needed."""
    values = offer_values(offer, order)
    if percent is not None:
        values["percent"] = str(percent)
    if offer.kind == "status_update":
        shipment = order.shipments[-1] if order.shipments else None
        values["status_text"] = (shipment.last_event_description or shipment.status) if shipment else ""
        values["last_location"] = (shipment.last_event_location or "") if shipment else ""
        return [Reply("utter_delivery_status", values)]
    if offer.reason == "units_on_the_way":
        return [Reply("utter_units_on_the_way", values)]
    if offer.reason == "photos_needed":
        return [Reply("utter_photo_needed", values)]
    if offer.kind == "none":
        if not [kind for kind in offer.alternatives if kind != "human"]:
            return [_not_eligible(offer, order, values, window), Reply("utter_offer_colleague")]
        return [_not_eligible(offer, order, values, window), *alternatives_replies(offer)]
    if offer.reason == "nothing_missing":
        return [Reply("utter_nothing_missing", values)]
    response = {
        "reship": "utter_offer_reship",
        "refund": "utter_offer_refund",
        "partial_refund": "utter_offer_partial_refund",
        "return_refund": "utter_offer_return_refund",
        "exchange": "utter_offer_exchange",
        "coupon": "utter_offer_coupon",
    }[offer.kind]
    if offer.reason == "lost":
        response = "utter_offer_lost" if offer.kind == "reship" else response
    elif offer.reason == "not_shipped_cancel":
        response = "utter_offer_cancel_refund"
    elif offer.kind == "reship" and offer.requires_return:
        response = "utter_offer_reship_on_return"
    return [Reply(response, values, ACCEPT_OPTIONS)]


def _not_eligible(offer: Offer, order: OrderView, values: dict[str, str], window: int | None) -> Reply:
    if offer.reason == "already_refunded":
        return Reply("utter_refund_not_eligible_refunded", values)
    if offer.reason == "order_cancelled":
        return Reply("utter_order_cancelled", values)
    if offer.reason == "unknown_item":
        return Reply("utter_unknown_item", values)
    if offer.reason == "already_delivered":
        delivered = next((s.delivered_at for s in order.shipments if s.delivered_at), None)
        values["delivered_at"] = _iso(delivered.date() if hasattr(delivered, "date") else delivered)
        return Reply("utter_already_delivered", values)
    if offer.reason == "not_delivered_yet":
        shipment = order.shipments[-1] if order.shipments else None
        values["eta"] = _iso(offer.eta or (shipment.promised_delivery if shipment else None))
        return Reply("utter_not_delivered_yet", values)
    delivered = next((s.delivered_at for s in order.shipments if s.delivered_at), None)
    values["delivered_at"] = _iso(delivered.date() if hasattr(delivered, "date") else delivered)
    values["window"] = str(window) if window is not None else ""
    return Reply("utter_refund_not_eligible_window", values)


def alternatives_replies(offer: Offer) -> list[Reply]:
    """Other remedies the customer may pick, as buttons; a colleague is always an option."""
    options = tuple(kind for kind in offer.alternatives if kind != "human")
    if not options:
        return [Reply("utter_no_alternatives", {}, ("accept", "human"))]
    return [Reply("utter_offer_alternatives", {}, (*options, "human"))]


def outcome_replies(case_number: str, offer: Offer, order: OrderView, state: str) -> list[Reply]:
    """Confirmation after the customer accepted: the case number, then what happens when."""
    values = offer_values(offer, order) | {"case_number": case_number}
    if state == "pending_approval":
        return [Reply("utter_needs_approval", values)]
    outcome = {
        "reship": "utter_outcome_reship_on_return" if offer.requires_return else "utter_outcome_reship",
        "refund": "utter_outcome_refund",
        "partial_refund": "utter_outcome_refund",
        "return_refund": "utter_outcome_return_refund",
        "exchange": "utter_outcome_exchange",
        "coupon": "utter_outcome_coupon",
        "status_update": "utter_outcome_status_update",
    }[offer.kind]
    return [Reply("utter_case_recorded", values), Reply(outcome, values)]
