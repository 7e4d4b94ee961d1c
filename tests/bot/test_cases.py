"""Case lifecycle: opening, evidence, offers, idempotent acceptance, feedback, human requests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import cases
from bot.cases import CaseError
from bot.db.models import Case, Evidence, HumanRequest, Resolution
from bot.db.seed import DemoOrder
from bot.policy import ItemLine, Offer, Policy

MUG = ItemLine("MUG-BLUE", "Ceramic mug, blue", 1, Decimal("12.90"))


def offer(kind: str = "reship", amount: str = "0", *, needs_approval: bool = False) -> Offer:
    return Offer(
        kind=kind,
        amount=Decimal(amount),
        currency="EUR",
        items=(MUG,),
        promised_date=date(2026, 12, 2),
        alternatives=("refund",),
        needs_approval=needs_approval,
        reason="missing_units",
    )


def open_(
    session: Session,
    conversation: str = "conv-1",
    claim_type: str = "missing_items",
    order: str = "SO-100231",
) -> str:
    return cases.open_case(
        session,
        conversation_id=conversation,
        order_number=order,
        claim_type=claim_type,
        language="es",
        channel="rest",
    ).number


def add_photo(session: Session, conversation: str) -> str:
    photo = Evidence(
        conversation_id=conversation,
        path="/tmp/x.jpg",
        content_type="image/jpeg",
        size_bytes=1,
        width=1,
        height=1,
        sha256="0" * 64,
    )
    session.add(photo)
    session.flush()
    return photo.id


def test_open_case_numbers_and_reuses_the_active_case(session: Session, seeded: list[DemoOrder]) -> None:
    first = cases.open_case(
        session,
        conversation_id="conv-1",
        order_number="so100231",
        claim_type="missing_items",
        language="es",
        channel="telegram",
        details={"received": {"MUG-BLUE": 1}},
    )
    assert first.number == "C-000001"
    assert (first.status, first.order_number, first.language, first.channel) == (
        "open",
        "SO-100231",
        "es",
        "telegram",
    )
    assert open_(session) == first.number  # same conversation, order and claim: no duplicate
    assert open_(session, claim_type="damaged_item") == "C-000002"
    assert open_(session, conversation="conv-2") == "C-000003"
    cases.cancel_case(session, first.number)
    assert open_(session) == "C-000004"  # a closed case is not reopened
    assert session.scalar(select(Case.details).where(Case.number == first.number)) == {
        "received": {"MUG-BLUE": 1}
    }


def test_open_case_rejects_unknown_orders_and_claims(session: Session, seeded: list[DemoOrder]) -> None:
    with pytest.raises(CaseError, match="unknown order"):
        open_(session, order="SO-999999")
    with pytest.raises(CaseError, match="unknown claim type"):
        open_(session, claim_type="complaint")


def test_attach_evidence_only_from_the_same_conversation(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    mine, other = add_photo(session, "conv-1"), add_photo(session, "someone-else")
    assert cases.attach_evidence(session, number, [mine, other]) == 1
    assert cases.case_status(session, number).status == "evidence"
    assert session.get(Evidence, other).case_id is None
    assert cases.attach_evidence(session, number, [mine]) == 1  # already attached: still counted
    assert cases.attach_evidence(session, number, []) == 0


def test_photos_move_from_a_cancelled_case(session: Session, seeded: list[DemoOrder]) -> None:
    first = open_(session)
    photo = add_photo(session, "conv-1")
    cases.attach_evidence(session, first, [photo])
    second = open_(session, claim_type="damaged_item")
    assert cases.attach_evidence(session, second, [photo]) == 0  # still belongs to an active case
    cases.cancel_case(session, first)
    assert cases.attach_evidence(session, second, [photo]) == 1


def test_accept_is_idempotent(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    cases.record_offer(session, number, offer("refund", "12.90"))
    assert cases.case_status(session, number).status == "offered"
    first = cases.accept_offer(session, number)
    second = cases.accept_offer(session, number)
    assert (first.kind, first.amount, first.state, first.created) == (
        "refund",
        Decimal("12.90"),
        "accepted",
        True,
    )
    assert (second.kind, second.amount, second.state, second.created) == (
        "refund",
        Decimal("12.90"),
        "accepted",
        False,
    )
    assert first.items == ({"sku": "MUG-BLUE", "name": "Ceramic mug, blue", "quantity": 1},)
    refunds = session.scalar(
        select(func.count()).select_from(Resolution).where(Resolution.state == "accepted")
    )
    assert refunds == 1
    assert cases.case_status(session, number).status == "accepted"
    cases.resolve_case(session, number)
    assert cases.accept_offer(session, number).created is False  # still the same resolution


def test_a_new_offer_withdraws_the_previous_one(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    cases.record_offer(session, number, offer("reship"))
    cases.record_offer(session, number, offer("refund", "12.90"))
    states = session.execute(select(Resolution.kind, Resolution.state).order_by(Resolution.id)).all()
    assert [tuple(row) for row in states] == [("reship", "withdrawn"), ("refund", "proposed")]
    assert cases.accept_offer(session, number).kind == "refund"
    assert cases.current_resolution(session, number).state == "accepted"


def test_offers_above_the_limit_wait_for_approval(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session, conversation="conv-9", order="SO-100233")
    cases.record_offer(session, number, offer("refund", "189.00", needs_approval=True))
    resolution = cases.accept_offer(session, number)
    assert (resolution.state, resolution.needs_approval) == ("pending_approval", True)
    assert cases.case_status(session, number).status == "escalated"
    request = session.scalars(select(HumanRequest).where(HumanRequest.conversation_id == "conv-9")).one()
    assert (request.reason, request.case.number) == ("above_limit", number)
    again = cases.accept_offer(session, number)
    assert (again.state, again.created) == ("pending_approval", False)
    assert session.scalar(select(func.count()).select_from(HumanRequest)) == 1


@pytest.mark.parametrize(
    "steps",
    [
        ["accept"],  # nothing offered yet
        ["cancel", "offer"],  # cancelled cases take no offers
        ["offer", "accept", "cancel"],  # an accepted remedy cannot be cancelled here
        ["offer", "accept", "offer"],
        ["resolve", "resolve"],
        ["cancel", "resolve"],
    ],
)
def test_illegal_transitions(session: Session, seeded: list[DemoOrder], steps: list[str]) -> None:
    number = open_(session)
    actions = {
        "offer": lambda: cases.record_offer(session, number, offer()),
        "accept": lambda: cases.accept_offer(session, number),
        "cancel": lambda: cases.cancel_case(session, number),
        "resolve": lambda: cases.resolve_case(session, number),
    }
    for step in steps[:-1]:
        actions[step]()
    with pytest.raises(CaseError):
        actions[steps[-1]]()


def test_none_offers_are_not_recorded(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    with pytest.raises(CaseError, match="none"):
        cases.record_offer(
            session,
            number,
            Offer(
                kind="none",
                amount=Decimal(0),
                currency="EUR",
                items=(),
                promised_date=None,
                alternatives=("human",),
                needs_approval=False,
                reason="nothing_missing",
            ),
        )


def test_unknown_case_numbers(session: Session, seeded: list[DemoOrder], policy: Policy) -> None:
    assert cases.case_status(session, "C-999999") is None
    for call in (
        lambda: cases.accept_offer(session, "C-999999"),
        lambda: cases.cancel_case(session, "C-999999"),
        lambda: cases.record_offer(session, "C-999999", offer()),
        lambda: cases.attach_evidence(session, "C-999999", []),
        lambda: cases.record_feedback(session, "C-999999", 5, policy=policy),
    ):
        with pytest.raises(CaseError, match="unknown case"):
            call()


def test_feedback_once_per_case(session: Session, seeded: list[DemoOrder], policy: Policy) -> None:
    number = open_(session)
    cases.record_offer(session, number, offer())
    cases.accept_offer(session, number)
    assert cases.record_feedback(session, number, 5, "quick and kind", policy=policy) is True
    assert cases.case_status(session, number).status == "feedback"
    assert cases.record_feedback(session, number, 1, policy=policy) is False
    assert session.get(Case, 1).feedback.score == 5


@pytest.mark.parametrize("score", [0, 6, -1, True])
def test_feedback_range_comes_from_the_policy(
    session: Session, seeded: list[DemoOrder], policy: Policy, score: int
) -> None:
    number = open_(session)
    with pytest.raises(CaseError, match="from 1 to 5"):
        cases.record_feedback(session, number, score, policy=policy)


def test_feedback_invitation_at_most_once_per_order(session: Session, seeded: list[DemoOrder]) -> None:
    assert cases.feedback_already_requested_for_order(session, "SO-100231") is False
    first = open_(session)
    assert cases.mark_feedback_requested(session, first) is True
    assert cases.feedback_already_requested_for_order(session, "SO-100231") is True
    second = open_(session, conversation="conv-2", claim_type="damaged_item")
    assert cases.mark_feedback_requested(session, second) is False  # same order: not asked again
    assert cases.feedback_already_requested_for_order(session, "SO-100232") is False


def test_a_rating_counts_as_an_invitation(session: Session, seeded: list[DemoOrder], policy: Policy) -> None:
    number = open_(session, order="SO-100232")
    cases.record_feedback(session, number, 4, policy=policy)
    assert cases.feedback_already_requested_for_order(session, "SO-100232") is True


def test_record_human_request(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    first = cases.record_human_request(
        session,
        conversation_id="conv-1",
        reason="customer_asked",
        language="zh",
        channel="rest",
        case_number=number,
        note="请转人工",
    )
    second = cases.record_human_request(
        session, conversation_id="conv-7", reason="verification_failed", language="en", channel="rest"
    )
    assert second == first + 1
    request = session.get(HumanRequest, first)
    assert (request.reason, request.language, request.note, request.case.number) == (
        "customer_asked",
        "zh",
        "请转人工",
        number,
    )
    assert session.get(HumanRequest, second).case is None
    with pytest.raises(CaseError):
        cases.record_human_request(
            session,
            conversation_id="c",
            reason="customer_asked",
            language="en",
            channel="rest",
            case_number="C-424242",
        )


# -- an agent decides (the console's approve / change) ---------------------------------------------


def test_an_agent_approves_an_offer_above_the_limit(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session, conversation="conv-a", order="SO-100233")
    cases.record_offer(session, number, offer("refund", "189.00", needs_approval=True))
    cases.accept_offer(session, number)
    approved = cases.approve_resolution(session, number, "alice")
    assert (approved.kind, approved.amount, approved.state, approved.decided_by) == (
        "refund",
        Decimal("189.00"),
        "accepted",
        "alice",
    )
    assert cases.case_status(session, number).status == "accepted"
    assert cases.current_resolution(session, number).state == "accepted"
    with pytest.raises(CaseError, match="no remedy waiting"):
        cases.approve_resolution(session, number, "alice")  # nothing left to approve


def test_an_agent_approves_an_offer_the_customer_has_not_accepted(
    session: Session, seeded: list[DemoOrder]
) -> None:
    number = open_(session)
    cases.record_offer(session, number, offer("reship"))
    assert cases.approve_resolution(session, number, "bob").state == "accepted"
    assert cases.case_status(session, number).status == "accepted"


def test_nothing_to_approve_without_an_offer(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    with pytest.raises(CaseError, match="no remedy waiting"):
        cases.approve_resolution(session, number, "alice")


def test_an_agent_changes_the_remedy(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session, conversation="conv-c", order="SO-100233")
    cases.record_offer(session, number, offer("refund", "189.00", needs_approval=True))
    cases.accept_offer(session, number)
    changed = cases.change_resolution(session, number, kind="partial_refund", amount="40,5", agent="alice")
    assert (changed.kind, changed.amount, changed.state, changed.decided_by, changed.reason) == (
        "partial_refund",
        Decimal("40.50"),
        "accepted",
        "alice",
        "agent_decision",
    )
    order_currency = session.scalars(select(Case).where(Case.number == number)).one().order.currency
    assert changed.currency == order_currency
    states = session.execute(select(Resolution.kind, Resolution.state).order_by(Resolution.id)).all()
    assert [tuple(row) for row in states] == [("refund", "withdrawn"), ("partial_refund", "accepted")]
    assert cases.case_status(session, number).status == "accepted"
    # Changed again (the agent corrected themselves): still exactly one accepted remedy.
    cases.change_resolution(session, number, kind="reship", amount=None, agent="bob")
    accepted = session.scalars(select(Resolution).where(Resolution.state == "accepted")).all()
    assert [(r.kind, r.amount, r.decided_by) for r in accepted] == [("reship", Decimal("0.00"), "bob")]


def test_an_agent_decides_a_remedy_where_none_was_offered(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    assert cases.change_resolution(session, number, kind="coupon", amount="5", agent="alice").kind == "coupon"
    assert cases.case_status(session, number).status == "accepted"


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("voucher", "5", "unknown remedy"),
        ("status_update", "0", "unknown remedy"),
        ("refund", "abc", "a number like 12.50"),
        ("refund", "-3", "a number like 12.50"),
        ("refund", "1.005", "a number like 12.50"),
        ("refund", "NaN", "a number like 12.50"),
        ("refund", "0", "above zero"),
        ("coupon", None, "above zero"),
        ("refund", "100000", "more than the order's value"),
    ],
)
def test_changes_an_agent_cannot_make(
    session: Session, seeded: list[DemoOrder], kind: str, amount: str | None, message: str
) -> None:
    number = open_(session)
    with pytest.raises(cases.InvalidRemedy, match=message):
        cases.change_resolution(session, number, kind=kind, amount=amount, agent="alice")
    assert session.scalar(select(func.count()).select_from(Resolution)) == 0


def test_a_resolved_case_keeps_its_remedy(session: Session, seeded: list[DemoOrder]) -> None:
    number = open_(session)
    cases.record_offer(session, number, offer("reship"))
    cases.accept_offer(session, number)
    cases.resolve_case(session, number)
    with pytest.raises(CaseError, match="can no longer change"):
        cases.change_resolution(session, number, kind="refund", amount="5", agent="alice")
    with pytest.raises(CaseError, match="no remedy waiting"):
        cases.approve_resolution(session, number, "alice")
