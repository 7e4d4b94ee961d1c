"""validate_claim_form: identifies the order, then asks for the evidence the claim needs."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.claim_start import EVIDENCE_SLOTS
from actions.common import channel, language
from bot import claims
from bot.orders import OrderView
from bot.parsing import means_every_unit, parse_count, parse_email, parse_order_number, parse_phone

MAX_DETAIL_CHARS = 1000


# When an answer cannot be parsed, a message that was not meant as an answer gets the reply
# for what it was instead of "that is not an order number".
_NOT_AN_ANSWER = {
    "out_of_scope": "utter_out_of_scope",
    "greet": "utter_lets_continue",
    "thank": "utter_lets_continue",
    "goodbye": "utter_lets_continue",
}


def _readings(value: Any, tracker: Tracker) -> list[str]:
    """The answer as written, then its English translation when the customer's language was
    translated for understanding ("Jag fick ingen" -> "I got none")."""
    texts = [str(value or "")]
    latest = tracker.latest_message or {}
    if latest.get("translated_from") and latest.get("text"):
        texts.append(str(latest["text"]))
    return texts


def _first(parse: Any, texts: list[str]) -> Any:
    return next((found for found in map(parse, texts) if found is not None), None)


def _reject(dispatcher: CollectingDispatcher, tracker: Tracker, response: str, slot: str) -> dict[str, Any]:
    """An answer that does not parse: explain, or follow the customer to another claim."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    words = len((tracker.latest_message.get("text") or "").split())
    # A word or two at a question is an attempt to answer it ("lots"), whatever the classifier says.
    sentence = words >= 3 or not (tracker.latest_message.get("text") or "").isascii()
    if sentence and intent in claims.CLAIM_TYPES and intent != tracker.get_slot("claim_type"):
        return {**_switch_claim(intent, dispatcher, tracker), slot: None}
    dispatcher.utter_message(response=_NOT_AN_ANSWER.get(intent, response) if sentence else response)
    return {slot: None}


def _switch_claim(claim_type: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """ "Actually it's just late": the same verified order, a new claim, fresh evidence."""
    dispatcher.utter_message(response="utter_switch_claim")
    changes: dict[str, Any] = {slot: None for slot in EVIDENCE_SLOTS}
    changes["claim_type"] = claim_type
    claims.cancel(tracker.get_slot("case_number"))
    if tracker.get_slot("verified"):
        changes["case_number"] = claims.open_claim(
            tracker.sender_id,
            tracker.get_slot("order_number"),
            claim_type,
            language(tracker),
            channel(tracker),
        )
    return changes


def _order(tracker: Tracker) -> OrderView | None:
    number = tracker.get_slot("order_number")
    return claims.find_order(number) if number and tracker.get_slot("verified") else None


class ValidateClaimForm(FormValidationAction):
    def name(self) -> str:
        return "validate_claim_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("verify_failed"):
            return []  # ends the form; action_submit_claim offers a colleague
        slots = ["order_number", "order_contact"]
        order = _order(tracker)
        if order is None:
            return slots
        claim_type = tracker.get_slot("claim_type")
        if claim_type == "missing_items":
            received = tracker.get_slot("received_counts") or {}
            if claims.next_line_to_count(order, received):
                slots.append("received_count")
            elif claims.nothing_missing(order, received):
                return slots  # nothing to prove: the policy will say so
        if claim_type in ("damaged_item", "item_mismatch"):
            if len(order.items) > 1:
                slots.append("claim_item")
            line = claims.claimed_line(order, tracker.get_slot("claim_item"))
            if line is not None and line.quantity_shipped > 1:
                slots.append("affected_count")  # compensate the broken units, not the whole line
        if claim_type == "item_mismatch":
            slots.append("mismatch_detail")
        if claims.photos_required(claim_type):
            slots.append("photo")
        return slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # The question for the next slot needs the item it is about.
        requested = next(
            (
                e["value"]
                for e in reversed(events)
                if e.get("event") == "slot" and e.get("name") == "requested_slot"
            ),
            None,
        )
        slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        verified = slots.get("verified", tracker.get_slot("verified"))
        number = slots.get("order_number", tracker.get_slot("order_number"))
        if requested in ("received_count", "claim_item", "affected_count") and verified and number:
            order = claims.find_order(number)
            received = slots.get("received_counts", tracker.get_slot("received_counts")) or {}
            line = claims.next_line_to_count(order, received)
            if requested == "received_count" and line:
                events += [
                    SlotSet("current_item", line.name),
                    SlotSet("current_ordered", line.quantity_shipped),
                ]
            if requested == "claim_item":
                events.append(SlotSet("item_list", claims.item_list(order)))
            if requested == "affected_count":
                claimed = claims.claimed_line(order, slots.get("claim_item", tracker.get_slot("claim_item")))
                events += [
                    SlotSet("current_item", claimed.name),
                    SlotSet("current_ordered", claimed.quantity_shipped),
                ]
        return events

    # --- identification -------------------------------------------------------------------
    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("verified"):
            return {"order_number": tracker.get_slot("order_number")}
        text = str(value or "")
        number = parse_order_number(text)
        if number is None:
            return _reject(dispatcher, tracker, "utter_invalid_order_number", "order_number")
        contact = parse_email(text) or parse_phone(text) or tracker.get_slot("order_contact")
        if contact:
            return self._verify(number, contact, dispatcher, tracker)
        return {"order_number": number}

    def validate_order_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("verified"):
            return {"order_contact": tracker.get_slot("order_contact")}
        text = str(value or "")
        contact = parse_email(text) or parse_phone(text)
        number = parse_order_number(text) or parse_order_number(str(tracker.get_slot("order_number") or ""))
        if contact is None:
            return _reject(dispatcher, tracker, "utter_invalid_contact", "order_contact")
        if number is None:
            return {"order_contact": contact}
        return self._verify(number, contact, dispatcher, tracker)

    def _verify(
        self, number: str, contact: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        order = claims.verify(number, contact)
        if order is not None:
            case = claims.open_claim(
                tracker.sender_id,
                order.number,
                tracker.get_slot("claim_type"),
                language(tracker),
                channel(tracker),
            )
            dispatcher.utter_message(
                response="utter_order_found", order_number=order.number, placed_at=order.placed_at.isoformat()
            )
            return {
                "order_number": order.number,
                "order_contact": contact,
                "verified": True,
                "case_number": case,
            }
        attempts = int(tracker.get_slot("verify_attempts") or 0) + 1
        allowed = claims.policy().verification.max_attempts
        if attempts >= allowed:
            return {
                "order_number": None,
                "order_contact": None,
                "verify_attempts": attempts,
                "verify_failed": True,
            }
        dispatcher.utter_message(response="utter_verification_failed", attempts_left=str(allowed - attempts))
        return {"order_number": None, "order_contact": None, "verify_attempts": attempts}

    # --- evidence -------------------------------------------------------------------------
    def validate_received_count(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order = _order(tracker)
        received = dict(tracker.get_slot("received_counts") or {})
        line = claims.next_line_to_count(order, received) if order else None
        if line is None:
            return {"received_count": None}
        count = _first(parse_count, _readings(value, tracker))
        if count is None or count < 0:
            return _reject(dispatcher, tracker, "utter_invalid_count", "received_count")
        if count > line.quantity_shipped:
            dispatcher.utter_message(
                response="utter_count_too_high",
                current_item=line.name,
                current_ordered=str(line.quantity_shipped),
            )
            return {"received_count": None}
        received[line.sku] = count
        return {"received_count": None, "received_counts": received}

    def validate_claim_item(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order = _order(tracker)
        sku = None
        if order is not None:
            sku = _first(lambda text: claims.match_item(order, text), _readings(value, tracker))
        if sku is None:
            return _reject(dispatcher, tracker, "utter_invalid_claim_item", "claim_item")
        return {"claim_item": sku}

    def validate_affected_count(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order = _order(tracker)
        line = claims.claimed_line(order, tracker.get_slot("claim_item")) if order else None
        readings = _readings(value, tracker)
        count = _first(parse_count, readings)
        if line is None:
            return {"affected_count": None}
        if count is None and any(means_every_unit(text) for text in readings):
            count = line.quantity_shipped
        if count is None or count < 1:
            return _reject(dispatcher, tracker, "utter_invalid_count", "affected_count")
        if count > line.quantity_shipped:
            dispatcher.utter_message(
                response="utter_count_too_high", current_ordered=str(line.quantity_shipped)
            )
            return {"affected_count": None}
        answer = {"affected_count": str(count)}
        if tracker.get_slot("claim_type") == "item_mismatch" and len(str(value).split()) >= 4:
            answer["mismatch_detail"] = str(value)[:MAX_DETAIL_CHARS]  # "both are green, not blue"
        return answer

    def validate_mismatch_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        detail = str(value or "").strip()
        if not detail:
            return {"mismatch_detail": None}
        return {"mismatch_detail": detail[:MAX_DETAIL_CHARS]}

    def validate_photo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        uploaded = claims.photo_count(tracker.sender_id)
        is_upload = (tracker.latest_message.get("intent") or {}).get("name") == "upload_photo"
        if is_upload:
            dispatcher.utter_message(response="utter_photo_received", photo_id=str(value))
        elif uploaded:
            # Text after an earlier upload ("that's all"): the photos we have are enough if counted.
            pass
        else:
            return _reject(dispatcher, tracker, "utter_photo_needed", "photo")
        if uploaded < claims.photos_required(tracker.get_slot("claim_type")):
            return {"photo": None}
        return {"photo": str(value) if is_upload else "uploaded"}
