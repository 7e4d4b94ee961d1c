from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.claim_submit import ActionSubmitClaim
from actions.offer import ActionAcceptOffer, ActionChooseRemedy, ActionCustomRemedy, ActionOfferAlternatives
from bot import claims
from bot.db.models import HandoffTicket, Resolution
from bot.db.session import session_scope
from bot.evidence import store_photo
from tests.actions.conftest import DOMAIN, responses, slots, tracker
from tests.e2e.conftest import PHOTOS

DAMAGED = {
    "claim_type": "damaged_item",
    "verified": True,
    "order_number": "SO-100231",
    "claim_item": "MUG-BLUE",
    "order_contact": "anna.schmidt@example.de",
    "requested_slot": None,
    "awaiting": "offer",
}


def open_damaged_case(shop: str) -> dict:
    """A verified damaged-item claim whose photo has been uploaded."""
    with session_scope(shop) as session:
        store_photo(session, (PHOTOS / "broken_mug.jpg").read_bytes(), conversation_id="fixture-conversation")
    case = claims.open_claim("fixture-conversation", "SO-100231", "damaged_item", "en", "rest")
    return {**DAMAGED, "case_number": case}


async def run(action, t):
    dispatcher = CollectingDispatcher()
    return dispatcher, slots(await action.run(dispatcher, t, DOMAIN))


async def test_offer_is_presented_with_buttons_and_awaits_an_answer(shop: str) -> None:
    values = open_damaged_case(shop)
    dispatcher, filled = await run(ActionSubmitClaim(), tracker("claim_form_order_number", slots=values))
    assert responses(dispatcher) == ["utter_offer_refund"]
    assert dispatcher.messages[0]["options"] == ["accept", "other", "human"]
    assert filled == {"awaiting": "offer"}


async def test_accepting_twice_records_one_refund(shop: str) -> None:
    values = open_damaged_case(shop)
    await run(ActionSubmitClaim(), tracker("claim_form_order_number", slots=values))
    first, filled = await run(
        ActionAcceptOffer(), tracker("claim_form_order_number", slots=values, intent="affirm")
    )
    assert responses(first) == ["utter_case_recorded", "utter_outcome_refund"]
    assert filled["feedback_wanted"] is True
    second, filled = await run(
        ActionAcceptOffer(), tracker("claim_form_order_number", slots=values, intent="affirm")
    )
    assert responses(second) == ["utter_already_recorded"] and filled["feedback_wanted"] is False
    with session_scope(shop) as session:
        states = session.scalars(select(Resolution.state)).all()
    assert states == ["accepted"]


async def test_no_then_an_alternative_by_name(shop: str) -> None:
    values = open_damaged_case(shop)
    await run(ActionSubmitClaim(), tracker("claim_form_order_number", slots=values))
    dispatcher, _ = await run(
        ActionOfferAlternatives(), tracker("claim_form_order_number", slots=values, intent="deny")
    )
    assert responses(dispatcher) == ["utter_offer_alternatives"]
    assert dispatcher.messages[0]["options"] == ["reship", "human"]
    chosen = tracker(
        "claim_form_order_number",
        slots=values,
        intent="choose_remedy",
        entities=[{"entity": "remedy", "value": "reship"}],
    )
    dispatcher, filled = await run(ActionChooseRemedy(), chosen)
    assert responses(dispatcher) == ["utter_offer_reship"] and filled["awaiting"] == "offer"


async def test_a_remedy_the_policy_does_not_allow_is_declined_politely(shop: str) -> None:
    values = open_damaged_case(shop)
    await run(ActionSubmitClaim(), tracker("claim_form_order_number", slots=values))
    chosen = tracker(
        "claim_form_order_number",
        slots=values,
        intent="choose_remedy",
        entities=[{"entity": "remedy", "value": "coupon"}],
    )
    dispatcher, _ = await run(ActionChooseRemedy(), chosen)
    assert responses(dispatcher)[0] == "utter_remedy_not_available"


async def test_an_offer_above_the_approval_limit_goes_to_a_person(shop: str, monkeypatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "Mon-Sun 00:00-24:00")
    monkeypatch.setenv("TRANSLATOR", "none")
    with session_scope(shop) as session:
        store_photo(session, (PHOTOS / "broken_mug.jpg").read_bytes(), conversation_id="fixture-conversation")
    case = claims.open_claim("fixture-conversation", "SO-100233", "damaged_item", "es", "rest")
    values = {
        **DAMAGED,
        "order_number": "SO-100233",
        "claim_item": "LAMP-BRASS",
        "order_contact": "lucia.garcia@example.es",
        "case_number": case,
    }
    await run(ActionSubmitClaim(), tracker("claim_form_order_number", slots=values))
    dispatcher = CollectingDispatcher()
    events = await ActionAcceptOffer().run(
        dispatcher, tracker("claim_form_order_number", slots=values, intent="affirm"), DOMAIN
    )
    assert responses(dispatcher) == ["utter_needs_approval", "utter_handoff_now"]
    assert events[-1]["event"] == "pause"
    with session_scope(shop) as session:
        ticket = session.scalars(select(HandoffTicket)).one()
        state = session.scalars(select(Resolution.state)).one()
        assert (ticket.reason, ticket.order_number, ticket.offer["state"]) == (
            "above_limit",
            "SO-100233",
            "pending_approval",
        )
    assert state == "pending_approval"  # nothing promised until an agent approves


async def test_the_customers_own_remedy_goes_to_a_person_with_their_words(shop: str, monkeypatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "Mon-Sun 00:00-24:00")
    monkeypatch.setenv("TRANSLATOR", "none")
    values = open_damaged_case(shop)
    words = "could you send me two mugs and keep the money?"
    dispatcher = CollectingDispatcher()
    events = await ActionCustomRemedy().run(
        dispatcher,
        tracker("claim_form_order_number", slots=values, text=words, intent="propose_remedy"),
        DOMAIN,
    )
    assert responses(dispatcher) == ["utter_custom_remedy", "utter_handoff_now"]
    assert events[-1]["event"] == "pause"
    with session_scope(shop) as session:
        ticket = session.scalars(select(HandoffTicket)).one()
        assert (ticket.reason, ticket.note, ticket.claim_type) == ("custom_remedy", words, "damaged_item")


async def test_an_identity_that_cannot_be_verified_goes_to_a_person(shop: str, monkeypatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "Mon-Sun 00:00-24:00")
    monkeypatch.setenv("TRANSLATOR", "none")
    state = tracker("claim_form_order_number", slots={"verify_failed": True, "verify_attempts": 3})
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitClaim().run(dispatcher, state, DOMAIN)
    assert responses(dispatcher) == ["utter_verification_locked", "utter_handoff_now"]
    assert events[-1]["event"] == "pause"
    with session_scope(shop) as session:
        assert session.scalars(select(HandoffTicket.reason)).one() == "verification_failed"
