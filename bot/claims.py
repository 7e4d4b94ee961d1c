"""After-sales claim services: what the actions call, each call one unit of work.

These functions take plain values (conversation id, order number, evidence) and return
`Reply` objects; they know nothing about Rasa.  They glue together order lookup
(bot.orders), the seller's policy (bot.policy) and the case record (bot.cases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import cases
from bot.db.models import Case
from bot.db.session import session_scope
from bot.evidence import evidence_for_conversation
from bot.orders import OrderLineView, OrderView, claim_from_order, get_order, verify_order
from bot.parsing import parse_ordinal
from bot.policy import Claim, ItemLine, Offer, Policy, load_policy, offer_for_kind, propose
from bot.replies import Reply, alternatives_replies, offer_replies, outcome_replies

# What a customer who names one remedy most likely accepts when the claim offers another form of it
# ("I want my money back" on a wrong item means returning it for a full refund).
SIMILAR_REMEDIES = {
    "refund": ("return_refund", "partial_refund"),
    "return_refund": ("refund",),
    "reship": ("exchange",),
    "exchange": ("reship",),
}
CLAIM_TYPES = ("missing_items", "damaged_item", "delivery_delay", "item_mismatch", "refund_request")


@lru_cache(maxsize=1)
def policy() -> Policy:
    """The seller's policy, read once per process (restart to apply an edited policy.yml)."""
    return load_policy()


@dataclass(frozen=True)
class Outcome:
    """Messages to send and what a bare yes/no answers next ("offer", "human_offer" or None)."""

    replies: list[Reply]
    awaiting: str | None = None
    handoff: str | None = None  # a person must take over, and why (bot.handoff.handover.REASONS)


def verify(order_number: str, contact: str) -> OrderView | None:
    """The order if `contact` is its e-mail or phone; None otherwise, whatever the reason."""
    with session_scope() as session:
        return verify_order(session, order_number, contact)


def find_order(order_number: str) -> OrderView | None:
    with session_scope() as session:
        return get_order(session, order_number)


def countable_lines(order: OrderView) -> list[OrderLineView]:
    """Lines whose arrival the customer can confirm: only shipped units can be missing."""
    return [line for line in order.items if line.quantity_shipped > 0]


def next_line_to_count(order: OrderView, received: dict[str, int]) -> OrderLineView | None:
    return next((line for line in countable_lines(order) if line.sku not in received), None)


def nothing_missing(order: OrderView, received: dict[str, int]) -> bool:
    return all(received.get(line.sku, 0) >= line.quantity_shipped for line in countable_lines(order))


def item_list(order: OrderView) -> str:
    """Numbered list of the order's items, for "which item?" questions."""
    return "\n".join(f"{i}. {line.name}" for i, line in enumerate(order.items, start=1))


def match_item(order: OrderView, text: str) -> str | None:
    """The SKU the customer means by "2", "the second one", "the mug" or "MUG-BLUE"; None if unclear."""
    answer = text.strip().lower().rstrip(".")
    digits = "".join(ch for ch in answer if ch.isdigit())
    position = int(digits) if digits and len(digits) <= 2 else parse_ordinal(answer)
    if position == -1:
        position = len(order.items)
    if position and 1 <= position <= len(order.items):
        return order.items[position - 1].sku
    words = {w.rstrip("s") for w in re.findall(r"\w{3,}", answer)}
    hits = [
        line.sku
        for line in order.items
        if line.sku.lower() == answer
        or answer in line.name.lower()
        or words & {w.rstrip("s") for w in re.findall(r"\w{3,}", line.name.lower())}
    ]
    return hits[0] if len(hits) == 1 else None


def claimed_line(order: OrderView, item_sku: str | None) -> OrderLineView | None:
    """The line a damaged or wrong-item claim is about: the named one, or the only one."""
    if item_sku:
        return next((line for line in order.items if line.sku == item_sku), None)
    return order.items[0] if len(order.items) == 1 else None


def photo_count(conversation_id: str) -> int:
    with session_scope() as session:
        return len(evidence_for_conversation(session, conversation_id))


def photos_required(claim_type: str) -> int:
    # policy.yml has one section per claim type; only some of them ask for photos.
    return int(getattr(getattr(policy(), claim_type, None), "min_photos", 0))


def open_claim(conversation_id: str, order_number: str, claim_type: str, language: str, channel: str) -> str:
    with session_scope() as session:
        return cases.open_case(
            session,
            conversation_id=conversation_id,
            order_number=order_number,
            claim_type=claim_type,
            language=language,
            channel=channel,
        ).number


def _claim(session: Session, case: Case, order: OrderView) -> Claim:
    details = case.details or {}
    return claim_from_order(
        order,
        case.claim_type,
        received=details.get("received"),
        item_sku=details.get("item_sku"),
        photos=details.get("photos", 0),
        affected_quantity=details.get("affected_quantity"),
    )


def _case(session: Session, case_number: str) -> Case:
    case = session.scalars(select(Case).where(Case.number == case_number)).one_or_none()
    if case is None:
        raise cases.CaseError(f"unknown case {case_number}")
    return case


def _present(session: Session, case_number: str, offer: Offer, order: OrderView) -> Outcome:
    """Records the offer (when there is one) and says it; returns what a bare yes/no answers next."""
    if offer.reason in ("nothing_missing", "units_on_the_way"):
        cases.resolve_case(session, case_number)
        return Outcome(offer_replies(offer, order) + [Reply("utter_anything_else")])
    if offer.kind == "none":
        window = policy().return_window_days(order.shipping_country)
        replies = offer_replies(offer, order, window=window)
        return Outcome(replies, "offer" if replies[-1].options else "human_offer")
    cases.record_offer(session, case_number, offer)
    if offer.kind == "status_update":
        cases.accept_offer(session, case_number)
        return Outcome(offer_replies(offer, order) + [Reply("utter_anything_else")])
    percent = _partial_percent(offer) if offer.kind == "partial_refund" else None
    return Outcome(offer_replies(offer, order, percent=percent), "offer")


def _partial_percent(offer: Offer) -> int | None:
    full = sum((line.unit_price * line.quantity for line in offer.items), start=offer.amount * 0)
    return round(offer.amount * 100 / full) if full else None


def submit_claim(
    case_number: str,
    conversation_id: str,
    *,
    received: dict[str, int] | None = None,
    item_sku: str | None = None,
    detail: str | None = None,
    affected: int | None = None,
    today: date | None = None,
) -> Outcome:
    """Evidence is complete: attach it, let the policy propose a remedy, present it."""
    today = today or date.today()
    with session_scope() as session:
        case = _case(session, case_number)
        order = get_order(session, case.order.number)
        photo_ids = [e.id for e in evidence_for_conversation(session, conversation_id)]
        photos = cases.attach_evidence(session, case_number, photo_ids) if photo_ids else 0
        case.details = {
            **(case.details or {}),
            "received": received,
            "item_sku": item_sku,
            "detail": detail,
            "photos": photos,
            "affected_quantity": affected,
        }
        session.flush()
        offer = propose(policy(), _claim(session, case, order), today)
        return _present(session, case_number, offer, order)


def choose_remedy(case_number: str, kind: str, today: date | None = None) -> Outcome:
    """The customer picked another remedy: offer it if the policy allows it."""
    today = today or date.today()
    with session_scope() as session:
        case = _case(session, case_number)
        order = get_order(session, case.order.number)
        claim = _claim(session, case, order)
        offer = next(
            (
                o
                for k in (kind, *SIMILAR_REMEDIES.get(kind, ()))
                if (o := offer_for_kind(policy(), claim, k, today))
            ),
            None,
        )
        if offer is None:
            current = propose(policy(), claim, today)
            return Outcome([Reply("utter_remedy_not_available"), *alternatives_replies(current)], "offer")
        return _present(session, case_number, offer, order)


def alternatives(case_number: str, today: date | None = None) -> Outcome:
    with session_scope() as session:
        case = _case(session, case_number)
        order = get_order(session, case.order.number)
        offer = propose(policy(), _claim(session, case, order), today or date.today())
        cases.withdraw_offer(session, case_number)
        replies = alternatives_replies(offer)
        return Outcome(replies, "offer" if replies[-1].options else "human_offer")


def accept(case_number: str) -> Outcome:
    """Records the accepted remedy once; a repeated yes only repeats the confirmation."""
    with session_scope() as session:
        case = _case(session, case_number)
        already = case.status in ("accepted", "resolved", "feedback", "escalated")
        if case.status not in ("offered",) and not already:
            # "yes" after "not eligible, but you could pick...": ask which option, record nothing.
            return Outcome(
                alternatives_replies(
                    propose(
                        policy(), _claim(session, case, get_order(session, case.order.number)), date.today()
                    )
                ),
                "offer",
            )
        resolution = cases.accept_offer(session, case_number)
        order = get_order(session, case.order.number)
        if already:
            return Outcome([Reply("utter_already_recorded", {"case_number": case_number})])
        offer = _offer_from_resolution(resolution, order)
        handoff = "above_limit" if resolution.state == "pending_approval" else None
        return Outcome(outcome_replies(case_number, offer, order, resolution.state), handoff=handoff)


def _offer_from_resolution(resolution: cases.ResolutionView, order: OrderView) -> Offer:
    items = tuple(
        ItemLine(
            sku=i["sku"],
            name=i["name"],
            quantity=int(i["quantity"]),
            unit_price=next(
                (ln.unit_price for ln in order.items if ln.sku == i["sku"]), resolution.amount * 0
            ),
        )
        for i in (resolution.items or [])
    )
    return Offer(
        kind=resolution.kind,
        amount=resolution.amount,
        currency=resolution.currency,
        items=items,
        promised_date=resolution.promised_date,
        alternatives=(),
        needs_approval=False,
        reason="",
        requires_return=resolution.requires_return,
        eta=None,
    )


def feedback_wanted(case_number: str | None) -> bool:
    """A feedback (review) invitation goes out at most once per order."""
    if not case_number:
        return False
    with session_scope() as session:
        return cases.mark_feedback_requested(session, case_number)


def record_feedback(case_number: str, score: int) -> bool:
    with session_scope() as session:
        return cases.record_feedback(session, case_number, score)


def cancel(case_number: str | None) -> None:
    if not case_number:
        return
    with session_scope() as session:
        view = cases.case_status(session, case_number)
        if view and view.status in ("open", "evidence", "offered"):
            cases.cancel_case(session, case_number)
