"""Case lifecycle: open -> evidence -> offered -> accepted -> resolved -> feedback.

A case may also end `cancelled` (the customer stopped) or `escalated` (a person has to act, e.g. an
offer above the auto-approval limit).  Every function takes the caller's session and leaves
committing to it (`session_scope`), so one customer turn is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import (
    CLAIM_TYPES,
    COMMITTED_STATES,
    REFUND_KINDS,
    Case,
    Evidence,
    Feedback,
    HumanRequest,
    Order,
    Resolution,
    utcnow,
)
from bot.parsing import parse_order_number
from bot.policy import Offer, Policy, load_policy

# Which status may follow which.  Cases still being worked on by the assistant are "active".
# "accepted" straight from open or evidence: an agent decided the remedy (change_resolution).
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"evidence", "offered", "accepted", "resolved", "cancelled", "escalated"}),
    "evidence": frozenset({"evidence", "offered", "accepted", "resolved", "cancelled", "escalated"}),
    "offered": frozenset({"offered", "evidence", "accepted", "resolved", "cancelled", "escalated"}),
    "accepted": frozenset({"resolved", "feedback", "escalated"}),
    # An agent approves or changes the remedy of an escalated case (approve_resolution, change_resolution).
    "escalated": frozenset({"accepted", "resolved", "cancelled"}),
    "resolved": frozenset({"feedback"}),
    "feedback": frozenset(),
    "cancelled": frozenset(),
}
ACTIVE_STATUSES = ("open", "evidence", "offered")
DONE_STATUSES = ("accepted", "resolved", "feedback", "escalated")  # the customer's decision is recorded
# Remedies an agent may decide instead of the offer (the console's "change"); status_update is no remedy.
AGENT_KINDS = ("reship", "refund", "partial_refund", "return_refund", "exchange", "coupon")
MONEY_KINDS = ("refund", "partial_refund", "return_refund", "coupon")  # need an amount above zero
# Statuses in which an agent may still decide the remedy.
DECIDABLE_STATUSES = ("open", "evidence", "offered", "accepted", "escalated")


class CaseError(ValueError):
    """Unknown case number, or a step the case's current status does not allow."""


class InvalidRemedy(CaseError):
    """A remedy an agent typed that cannot be recorded (unknown kind, bad amount)."""


@dataclass(frozen=True)
class CaseView:
    number: str
    status: str
    claim_type: str
    order_number: str
    language: str
    channel: str


@dataclass(frozen=True)
class ResolutionView:
    kind: str
    amount: Decimal
    currency: str
    promised_date: date | None
    state: str
    created: bool  # False when an earlier accept had already recorded it
    items: tuple[dict, ...] = ()  # {"sku", "name", "quantity"}
    requires_return: bool = False
    needs_approval: bool = False
    eta: date | None = None
    reason: str = ""
    decided_by: str | None = None  # the agent who approved or changed it


def _case_view(case: Case) -> CaseView:
    return CaseView(
        number=case.number,
        status=case.status,
        claim_type=case.claim_type,
        order_number=case.order.number,
        language=case.language,
        channel=case.channel,
    )


def _resolution_view(resolution: Resolution, *, created: bool) -> ResolutionView:
    return ResolutionView(
        kind=resolution.kind,
        amount=Decimal(resolution.amount),
        currency=resolution.currency,
        promised_date=resolution.promised_date,
        state=resolution.state,
        created=created,
        items=tuple(dict(item) for item in resolution.items or ()),
        requires_return=resolution.requires_return,
        needs_approval=resolution.needs_approval,
        eta=resolution.eta,
        reason=resolution.reason,
        decided_by=resolution.decided_by,
    )


def _get(session: Session, case_number: str, *, lock: bool = False) -> Case:
    query = select(Case).where(Case.number == (case_number or "").strip().upper())
    if lock:
        query = query.with_for_update()  # serialises concurrent accepts on PostgreSQL
    case = session.scalars(query).one_or_none()
    if case is None:
        raise CaseError(f"unknown case {case_number!r}")
    return case


def _move(case: Case, status: str) -> None:
    if status not in TRANSITIONS[case.status]:
        raise CaseError(f"case {case.number} is {case.status}; it cannot become {status}")
    case.status = status
    case.updated_at = utcnow()


def _resolutions(session: Session, case: Case, states: tuple[str, ...]) -> list[Resolution]:
    query = select(Resolution).where(Resolution.case_id == case.id, Resolution.state.in_(states))
    return list(session.scalars(query.order_by(Resolution.id)))


def _withdraw_proposed(session: Session, case: Case) -> None:
    for resolution in _resolutions(session, case, ("proposed",)):
        resolution.state = "withdrawn"


def open_case(
    session: Session,
    *,
    conversation_id: str,
    order_number: str,
    claim_type: str,
    language: str = "en",
    channel: str = "rest",
    details: dict | None = None,
) -> CaseView:
    """A new case, or the active one of the same conversation, order and claim type (no duplicates
    when the customer repeats themselves)."""
    if claim_type not in CLAIM_TYPES:
        raise CaseError(f"unknown claim type {claim_type!r}")
    number = parse_order_number(order_number) or order_number
    order = session.scalars(select(Order).where(Order.number == number)).one_or_none()
    if order is None:
        raise CaseError(f"unknown order {order_number!r}")
    existing = session.scalars(
        select(Case)
        .where(
            Case.conversation_id == conversation_id,
            Case.order_id == order.id,
            Case.claim_type == claim_type,
            Case.status.in_(ACTIVE_STATUSES),
        )
        .order_by(Case.id.desc())
    ).first()
    if existing is not None:
        if details:
            existing.details = {**(existing.details or {}), **details}
        return _case_view(existing)
    case = Case(
        order=order,
        claim_type=claim_type,
        status="open",
        language=language,
        channel=channel,
        conversation_id=conversation_id,
        details=dict(details or {}),
    )
    session.add(case)
    session.flush()  # the id numbers the case: unique on every database, no separate sequence needed
    case.number = f"C-{case.id:06d}"
    session.flush()
    return _case_view(case)


def case_status(session: Session, case_number: str) -> CaseView | None:
    case = session.scalars(
        select(Case).where(Case.number == (case_number or "").strip().upper())
    ).one_or_none()
    return _case_view(case) if case else None


def attach_evidence(session: Session, case_number: str, evidence_ids: list[str]) -> int:
    """Links photos of the case's conversation to the case (photos of other conversations are ignored;
    photos left on a cancelled case move over).  Returns how many of `evidence_ids` belong to it now."""
    case = _get(session, case_number)
    if not evidence_ids:
        return 0
    photos = session.scalars(
        select(Evidence).where(
            Evidence.id.in_(list(evidence_ids)), Evidence.conversation_id == case.conversation_id
        )
    ).all()
    attached = 0
    for photo in photos:
        if photo.case_id in (None, case.id) or photo.case.status == "cancelled":
            photo.case = case
            attached += 1
    if attached and case.status == "open":
        _move(case, "evidence")
    session.flush()
    return attached


def record_offer(session: Session, case_number: str, offer: Offer) -> None:
    """Records the offer made to the customer; an earlier offer they did not accept is withdrawn."""
    case = _get(session, case_number, lock=True)
    if offer.kind == "none":
        raise CaseError(f"case {case.number}: an offer of kind 'none' cannot be recorded")
    _move(case, "offered")
    _withdraw_proposed(session, case)
    session.add(
        Resolution(
            case=case,
            kind=offer.kind,
            currency=offer.currency,
            amount=offer.amount,
            reason=offer.reason,
            items=[{"sku": line.sku, "name": line.name, "quantity": line.quantity} for line in offer.items],
            promised_date=offer.promised_date,
            eta=offer.eta,
            requires_return=offer.requires_return,
            needs_approval=offer.needs_approval,
            state="proposed",
        )
    )
    session.flush()


def withdraw_offer(session: Session, case_number: str) -> None:
    """The customer declined the offer: a later "yes" must not accept it."""
    case = _get(session, case_number, lock=True)
    if case.status == "offered":
        _withdraw_proposed(session, case)
        _move(case, "evidence")


def accept_offer(session: Session, case_number: str) -> ResolutionView:
    """The customer accepts the offer on the table.  Idempotent: a repeated accept returns the same
    resolution (`created` False) and never records a second refund.  Offers above the approval limit
    become `pending_approval`, the case `escalated`, and a person is asked to approve."""
    case = _get(session, case_number, lock=True)
    if case.status in DONE_STATUSES:
        committed = _resolutions(session, case, COMMITTED_STATES)
        if committed:
            return _resolution_view(committed[-1], created=False)
    proposed = _resolutions(session, case, ("proposed",))
    if case.status != "offered" or not proposed:
        raise CaseError(f"case {case.number} is {case.status}: there is no offer to accept")
    resolution = proposed[-1]
    resolution.accepted_at = utcnow()
    if resolution.needs_approval:
        resolution.state = "pending_approval"
        _move(case, "escalated")
        session.add(
            HumanRequest(
                conversation_id=case.conversation_id,
                case=case,
                reason="above_limit",
                language=case.language,
                channel=case.channel,
                note=f"{resolution.kind} {resolution.amount} {resolution.currency} needs approval",
            )
        )
    else:
        resolution.state = "accepted"
        _move(case, "accepted")
    session.flush()
    return _resolution_view(resolution, created=True)


def approve_resolution(session: Session, case_number: str, agent: str) -> ResolutionView:
    """An agent approves the remedy waiting for a person: the pending (above the approval limit)
    or proposed resolution becomes accepted, the case accepted, the agent recorded.  Raises
    CaseError when there is nothing to approve."""
    case = _get(session, case_number, lock=True)
    waiting = _resolutions(session, case, ("pending_approval",)) or _resolutions(session, case, ("proposed",))
    if not waiting or case.status not in DECIDABLE_STATUSES:
        raise CaseError(f"case {case.number} is {case.status}: there is no remedy waiting for approval")
    resolution = waiting[-1]
    resolution.state, resolution.decided_by = "accepted", agent
    resolution.accepted_at = resolution.accepted_at or utcnow()
    if case.status != "accepted":
        _move(case, "accepted")
    session.flush()
    return _resolution_view(resolution, created=True)


def parse_amount(raw: object) -> Decimal:
    """An amount typed by an agent ("12.50"): at most two decimals, not negative."""
    try:
        amount = Decimal(str(raw).strip().replace(",", "."))
    except ArithmeticError:
        raise InvalidRemedy(f"the amount must be a number like 12.50; got {raw!r}") from None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount >= 10**8:
        raise InvalidRemedy(
            f"the amount must be a number like 12.50, not negative, at most two decimals; got {raw!r}"
        )
    return amount.quantize(Decimal("0.01"))


def change_resolution(
    session: Session, case_number: str, *, kind: str, amount: object, agent: str
) -> ResolutionView:
    """An agent decides another remedy: whatever was offered, pending or accepted is withdrawn and
    `kind` with `amount` (in the order's currency) is recorded as accepted, decided by `agent`.
    Refunds and coupons need an amount above zero; a refund cannot exceed the order's value."""
    if kind not in AGENT_KINDS:
        raise InvalidRemedy(f"unknown remedy {kind!r}; one of {', '.join(AGENT_KINDS)}")
    value = parse_amount(amount if amount not in (None, "") else "0")
    if kind in MONEY_KINDS and value <= 0:
        raise InvalidRemedy(f"a {kind} needs an amount above zero")
    case = _get(session, case_number, lock=True)
    if case.status not in DECIDABLE_STATUSES:
        raise CaseError(f"case {case.number} is {case.status}: its remedy can no longer change")
    order = case.order
    total = sum((Decimal(line.unit_price) * line.quantity for line in order.items), Decimal("0"))
    if kind in REFUND_KINDS and value > total:
        raise InvalidRemedy(
            f"a refund of {value} is more than the order's value of {total:.2f} {order.currency}"
        )
    for resolution in _resolutions(session, case, ("proposed", "pending_approval", "accepted")):
        resolution.state = "withdrawn"
    resolution = Resolution(
        case=case,
        kind=kind,
        currency=order.currency,
        amount=value,
        reason="agent_decision",
        items=[],
        state="accepted",
        accepted_at=utcnow(),
        decided_by=agent,
    )
    session.add(resolution)
    if case.status != "accepted":
        _move(case, "accepted")
    session.flush()
    return _resolution_view(resolution, created=True)


def current_resolution(session: Session, case_number: str) -> ResolutionView | None:
    """The accepted (or pending) resolution of the case, else the offer on the table, else None."""
    case = _get(session, case_number)
    found = _resolutions(session, case, COMMITTED_STATES) or _resolutions(session, case, ("proposed",))
    return _resolution_view(found[-1], created=False) if found else None


def resolve_case(session: Session, case_number: str) -> CaseView:
    case = _get(session, case_number)
    _move(case, "resolved")
    return _case_view(case)


def cancel_case(session: Session, case_number: str) -> CaseView:
    case = _get(session, case_number)
    _move(case, "cancelled")
    _withdraw_proposed(session, case)
    return _case_view(case)


def record_feedback(
    session: Session,
    case_number: str,
    score: int,
    comment: str | None = None,
    *,
    policy: Policy | None = None,
) -> bool:
    """Stores the customer's rating once per case; False if the case already has one."""
    scale = (policy or load_policy()).feedback
    if (
        isinstance(score, bool)
        or not isinstance(score, int)
        or not scale.scale_min <= score <= scale.scale_max
    ):
        raise CaseError(
            f"a rating is a whole number from {scale.scale_min} to {scale.scale_max}; got {score!r}"
        )
    case = _get(session, case_number)
    if session.scalars(select(Feedback.id).where(Feedback.case_id == case.id)).first() is not None:
        return False
    session.add(Feedback(case=case, score=score, comment=comment))
    if case.status in ("accepted", "resolved"):
        _move(case, "feedback")
    session.flush()
    return True


def feedback_already_requested_for_order(session: Session, order_number: str) -> bool:
    """True once any case of the order has asked for (or received) feedback: a review invitation goes
    out at most once per order, and is never tied to compensation."""
    number = parse_order_number(order_number) or order_number
    asked = (
        select(Case.id)
        .join(Order, Case.order_id == Order.id)
        .where(Order.number == number, Case.feedback_requested_at.is_not(None))
    )
    rated = (
        select(Feedback.id)
        .join(Case, Feedback.case_id == Case.id)
        .join(Order, Case.order_id == Order.id)
        .where(Order.number == number)
    )
    return bool(session.scalar(select(or_(asked.exists(), rated.exists()))))


def mark_feedback_requested(session: Session, case_number: str) -> bool:
    """Notes that feedback is being asked for on this case; False (and nothing noted) if the order
    was already asked."""
    case = _get(session, case_number)
    if feedback_already_requested_for_order(session, case.order.number):
        return False
    case.feedback_requested_at = utcnow()
    session.flush()
    return True


def record_human_request(
    session: Session,
    *,
    conversation_id: str,
    reason: str,
    language: str,
    channel: str,
    case_number: str | None = None,
    note: str | None = None,
) -> int:
    """Records that the customer needs a person; returns the request's reference number."""
    case = _get(session, case_number) if case_number else None
    request = HumanRequest(
        conversation_id=conversation_id,
        case=case,
        reason=reason,
        language=language,
        channel=channel,
        note=note,
    )
    session.add(request)
    session.flush()
    return request.id
