"""What the assistant is told for a platform message: text, a pressed button, a typed number that
picks an offered choice, or the stored photo."""

from __future__ import annotations

import json
from pathlib import Path

from bot.channels import choices
from bot.channels.inbound import Inbound, Media
from bot.channels.turns import turns_for
from bot.config import Settings

PHOTO = (Path(__file__).resolve().parents[2] / "scenarios" / "photos" / "broken_mug.jpg").read_bytes()


def never(_: Media, limit: int) -> bytes:
    raise AssertionError("nothing to download")


def test_text_goes_as_it_is_with_the_locale_in_the_metadata(platforms: Settings) -> None:
    inbound = Inbound("telegram", "77", "42", text="Здравствуйте", locale="ru")
    [turn] = turns_for(inbound, never)
    assert turn.text == "Здравствуйте"
    assert turn.metadata == {"channel": "telegram", "platform_message_id": "77", "locale": "ru"}


def test_a_typed_number_picks_the_offered_choice_once(platforms: Settings) -> None:
    choices.remember("twilio_whatsapp", "+4917", ["/affirm", "/deny", "/human_handoff"])
    [turn] = turns_for(Inbound("twilio_whatsapp", "SM1", "+4917", text="3"), never)
    assert turn.text == "/human_handoff"
    [turn] = turns_for(Inbound("twilio_whatsapp", "SM2", "+4917", text="3"), never)
    assert turn.text == "3"  # the choices were answered: a later number is just a number


def test_a_button_press_and_a_numbered_button(platforms: Settings) -> None:
    [turn] = turns_for(Inbound("messenger", "m1", "6754", text="Yes, go ahead", payload="/affirm"), never)
    assert turn.text == "/affirm"
    long_payload = '/choose_remedy{"remedy": "return_refund"}'
    choices.remember("telegram", "42", ["/affirm", long_payload])
    [turn] = turns_for(Inbound("telegram", "78", "42", payload="#2"), never)
    assert turn.text == long_payload


def test_a_photo_with_a_caption_and_a_sticker(platforms: Settings) -> None:
    photo = Inbound("whatsapp_cloud", "wamid.1", "4915", text="the mug", media=(Media("m1", "image/jpeg"),))
    [turn] = turns_for(photo, lambda m, limit: PHOTO)
    assert (
        turn.text.startswith("/upload_photo")
        and json.loads(turn.text.removeprefix("/upload_photo"))["photo_id"]
    )
    assert turn.metadata["caption"] == "the mug"  # kept, not read as a new request
    [turn] = turns_for(Inbound("telegram", "79", "42", unsupported="sticker"), never)
    assert (turn.text, turn.metadata["unsupported"]) == ("", "sticker")  # the assistant asks what is wrong


def test_several_files_are_several_turns_in_order(platforms: Settings) -> None:
    files = (Media("a"), Media("b"))
    fetched = {"a": PHOTO, "b": b"not an image"}
    inbound = Inbound("twilio_whatsapp", "SM3", "+4917", media=files)
    texts = [t.text for t in turns_for(inbound, lambda m, limit: fetched[m.ref])]
    assert texts[0].startswith("/upload_photo") and texts[1] == '/upload_failed{"reason": "not_image"}'
