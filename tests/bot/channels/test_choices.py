"""Numbered choices: buttons shown as "1. ..." lines, and a typed number mapped back."""

from __future__ import annotations

from bot.channels import choices


def test_buttons_become_numbered_lines_under_the_text() -> None:
    text = choices.numbered("Shall I go ahead?", ["Yes, go ahead", "Other options", "Talk to a person"])
    assert text == "Shall I go ahead?\n\n1. Yes, go ahead\n2. Other options\n3. Talk to a person"


def test_a_rating_whose_titles_are_its_numbers_is_not_listed_again() -> None:
    text = "From 1 (poor) to 5 (excellent), how was it?"
    assert choices.numbered(text, ["1", "2", "3", "4", "5"]) == text


def test_the_ways_customers_type_a_number() -> None:
    for reply in ("2", " 2 ", "2.", "2)", "#2", "２"):
        assert choices.number_of(reply) == 2, reply
    for reply in ("two", "2 mugs", "", "12345", "-2"):
        assert choices.number_of(reply) is None, reply


def test_pick_maps_a_number_to_its_payload_and_nothing_else() -> None:
    payloads = ["/affirm", "/deny", "/human_handoff"]
    assert choices.pick(payloads, "3") == "/human_handoff"
    assert choices.pick(payloads, "4") is None
    assert choices.pick(payloads, "0") is None
    assert choices.pick([], "1") is None
    assert choices.pick(payloads, "yes") is None


def test_layout_keeps_titles_whole() -> None:
    assert choices.layout(["Yes", "No"], max_buttons=3, max_title=20) == choices.BUTTONS
    german = ["Ja, bitte veranlassen", "Andere Möglichkeiten", "Mit einem Menschen sprechen"]
    assert choices.layout(german, max_buttons=3, max_title=20) == choices.NUMBERED_BUTTONS
    assert choices.layout(["a", "b", "c", "d"], max_buttons=3, max_title=20) == choices.NUMBERED_TEXT


def test_offered_choices_are_consumed_by_the_next_message(db_url: str) -> None:
    choices.remember("twilio_whatsapp", "+4917", ["/affirm", "/deny"], db_url)
    assert choices.take("twilio_whatsapp", "+4917", db_url) == ["/affirm", "/deny"]
    assert choices.take("twilio_whatsapp", "+4917", db_url) == []  # a later "2" is a plain answer
    choices.remember("twilio_whatsapp", "+4917", ["/affirm"], db_url)
    choices.remember("twilio_whatsapp", "+4917", ["1", "2", "3", "4", "5"], db_url)  # the latest wins
    assert choices.take("twilio_whatsapp", "+4917", db_url) == ["1", "2", "3", "4", "5"]
    assert choices.take("telegram", "+4917", db_url) == []
