from rasa_sdk.executor import CollectingDispatcher

from actions.claim_form import ValidateClaimForm
from tests.actions.conftest import DOMAIN, responses, slots, tracker


async def run_form(t):
    dispatcher = CollectingDispatcher()
    events = await ValidateClaimForm().run(dispatcher, t, DOMAIN)
    return dispatcher, slots(events)


async def test_order_number_and_email_in_one_message_verify_the_order() -> None:
    dispatcher, filled = await run_form(tracker("claim_form_order_number"))
    assert filled["verified"] is True and filled["order_number"] == "SO-100231"
    assert filled["case_number"].startswith("C-")
    assert responses(dispatcher) == ["utter_order_found"]
    # next question: how many of the first shipped line arrived
    assert filled["requested_slot"] == "received_count"
    assert filled["current_item"] == "Ceramic mug, blue" and filled["current_ordered"] == 2


async def test_wrong_contact_reveals_nothing_and_counts_the_attempt() -> None:
    dispatcher, filled = await run_form(tracker("claim_form_order_number", text="SO-100231 bob@example.com"))
    assert responses(dispatcher) == ["utter_verification_failed"]
    assert dispatcher.messages[0]["attempts_left"] == "2"
    assert filled["order_number"] is None and filled["verify_attempts"] == 1
    assert "case_number" not in filled and "current_item" not in filled


async def test_third_failure_ends_the_form_for_a_colleague() -> None:
    t = tracker("claim_form_order_number", text="SO-100231 bob@example.com", slots={"verify_attempts": 2})
    dispatcher, filled = await run_form(t)
    assert filled["verify_failed"] is True and filled["requested_slot"] is None
    assert responses(dispatcher) == []


async def test_text_without_an_order_number_is_explained() -> None:
    dispatcher, filled = await run_form(tracker("claim_form_order_number", text="I don't know it"))
    assert responses(dispatcher) == ["utter_invalid_order_number"] and filled["order_number"] is None


async def count(answer: str):
    t = tracker(
        "claim_form_order_number",
        text=answer,
        slots={
            "verified": True,
            "order_number": "SO-100231",
            "order_contact": "anna.schmidt@example.de",
            "case_number": "C-000001",
            "requested_slot": "received_count",
            "received_counts": None,
        },
    )
    return await run_form(t)


async def test_counts_that_make_no_sense_are_refused() -> None:
    for answer in ("-1", "lots", "2.5"):
        dispatcher, filled = await count(answer)
        assert responses(dispatcher) == ["utter_invalid_count"], answer
        assert filled["received_count"] is None and "received_counts" not in filled
    dispatcher, filled = await count("99")
    assert responses(dispatcher) == ["utter_count_too_high"] and "received_counts" not in filled


async def test_a_valid_count_moves_to_the_next_line() -> None:
    dispatcher, filled = await count("one")
    assert filled["received_counts"] == {next(iter(filled["received_counts"])): 1}
    assert filled["requested_slot"] == "received_count" and filled["current_item"] == "Linen tea towel"
