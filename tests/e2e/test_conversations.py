"""Whole conversations over HTTP against the real servers (REST channel + photo upload)."""

from __future__ import annotations

from pathlib import Path

import requests
from PIL import Image
from sqlalchemy import func, select

from bot.db.models import Case, Evidence, Feedback, HandoffTicket, Resolution
from bot.db.session import session_scope
from scripts.harness import Servers
from tests.e2e.conftest import PHOTOS, joined


def play(servers: Servers, sender: str, *turns: str) -> list[dict]:
    messages: list[dict] = []
    for turn in turns:
        messages = servers.say(sender, turn)
    return messages


def resolutions(servers: Servers, sender: str) -> list[Resolution]:
    with session_scope(servers.database_url) as session:
        rows = session.scalars(
            select(Resolution)
            .join(Case)
            .where(Case.conversation_id == sender, Resolution.state != "withdrawn")
        ).all()
        session.expunge_all()
        return list(rows)


def test_missing_items_claim_from_greeting_to_feedback(servers: Servers, sender: str) -> None:
    reply = joined(servers.say(sender, "Hi"))
    assert "after-sales assistant" in reply
    assert "order number" in joined(servers.say(sender, "Hello, my parcel arrived but one mug is missing"))
    assert "e-mail address or phone number" in joined(servers.say(sender, "SO-100231"))
    reply = joined(servers.say(sender, "anna.schmidt@example.de"))
    assert "I found order SO-100231" in reply and 'How many of "Ceramic mug, blue"' in reply
    assert 'How many of "Linen tea towel"' in joined(servers.say(sender, "1"))
    assert "photo" in joined(servers.say(sender, "1"))

    upload = servers.upload(sender, (PHOTOS / "parcel_contents.jpg").read_bytes(), "parcel.jpg")
    assert upload.status_code == 201
    offer = joined(upload.json()["messages"])
    assert "I'll send you 1 × Ceramic mug, blue again" in offer and "Shall I go ahead?" in offer
    buttons = [b["payload"] for m in upload.json()["messages"] for b in m.get("buttons", [])]
    assert buttons == ["/affirm", "/deny", "/human_handoff"]

    done = joined(servers.say(sender, "yes please"))
    assert "Your case number is C-" in done and "We'll ship 1 × Ceramic mug, blue by" in done
    assert "from 1 (poor) to 5 (excellent)" in done
    assert "Thank you for your feedback" in joined(servers.say(sender, "5"))

    [resolution] = resolutions(servers, sender)
    assert (resolution.kind, resolution.state) == ("reship", "accepted")
    assert resolution.items == [
        {"sku": resolution.items[0]["sku"], "name": "Ceramic mug, blue", "quantity": 1}
    ]
    with session_scope(servers.database_url) as session:
        evidence = session.scalars(select(Evidence).where(Evidence.conversation_id == sender)).one()
        assert evidence.case_id == resolution.case_id
        assert (
            session.scalars(select(Feedback.score).where(Feedback.case_id == resolution.case_id)).one() == 5
        )
        stored = Path(evidence.path)
    with Image.open(stored) as image:
        assert not image.getexif()  # metadata stripped on upload


def test_repeated_yes_records_one_resolution(servers: Servers, sender: str) -> None:
    play(servers, sender, "my order SO-100232 arrived broken", "camille.dubois@example.fr", "1")
    servers.upload(sender, (PHOTOS / "broken_mug.jpg").read_bytes())
    play(servers, sender, "no")
    chosen = joined(servers.say(sender, '/choose_remedy{"remedy": "partial_refund"}'))
    assert "€19.20 (30% of its price)" in chosen
    servers.say(sender, "yes")
    again = joined(servers.say(sender, "yes"))
    assert "Please choose a number from 1 to 5" in again
    servers.say(sender, "/affirm")
    assert [(r.kind, str(r.amount)) for r in resolutions(servers, sender)] == [("partial_refund", "19.20")]


def test_order_of_another_customer_is_never_revealed(servers: Servers, sender: str) -> None:
    servers.say(sender, "I want a refund")
    for attempt in range(3):
        servers.say(sender, "SO-100231")
        reply = joined(servers.say(sender, f"intruder{attempt}@example.com"))
        assert "Ceramic mug" not in reply and "Nov" not in reply and "anna" not in reply.lower()
    assert "A colleague can check it with you" in reply and "passing you to a colleague" in reply
    assert servers.say(sender, "hello?") == []  # a person is in charge now: the assistant is silent
    with session_scope(servers.database_url) as session:
        reason = session.scalars(
            select(HandoffTicket.reason).where(HandoffTicket.conversation_id == sender)
        ).one()
        assert reason == "verification_failed"
        assert (
            session.scalar(select(func.count()).select_from(Case).where(Case.conversation_id == sender)) == 0
        )


def test_unknown_order_gets_the_same_answer_as_a_wrong_contact(servers: Servers, sender: str) -> None:
    servers.say(sender, "where is my parcel?")
    servers.say(sender, "SO-999999")
    unknown = joined(servers.say(sender, "someone@example.com"))
    servers.say(sender, "SO-100234")
    wrong = joined(servers.say(sender, "someone@example.com"))
    assert unknown.replace("2 attempts", "N attempts") == wrong.replace("1 attempts", "N attempts")


def test_bad_input_gets_a_clear_reply_and_nothing_is_lost(servers: Servers, sender: str) -> None:
    assert "empty" in joined(servers.say(sender, ""))
    huge = "my parcel " + "x" * 20_000
    assert "very long" in joined(servers.say(sender, huge))
    play(servers, sender, "hi, something is missing from my parcel", "SO-100231")
    servers.say(sender, "anna.schmidt@example.de")
    assert "whole number" in joined(servers.say(sender, "-1"))
    assert "whole number" in joined(servers.say(sender, "lots"))
    assert "more than the 2 you ordered" in joined(servers.say(sender, "99"))
    assert 'How many of "Linen tea towel"' in joined(servers.say(sender, "one"))
    servers.say(sender, "1")
    bad = servers.upload(sender, (PHOTOS / "not_a_photo.jpg").read_bytes(), "receipt.jpg")
    assert bad.status_code == 415 and bad.json()["error"] == "not_image"
    assert "doesn't look like a photo" in joined(bad.json()["messages"])
    good = servers.upload(sender, (PHOTOS / "parcel_contents.jpg").read_bytes())
    assert good.status_code == 201 and "Shall I go ahead?" in joined(good.json()["messages"])

    tracker = servers.tracker(sender)
    said = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert huge in said  # kept whole in the conversation record


def test_upload_without_a_conversation_id_is_refused(servers: Servers) -> None:
    reply = requests.post(
        f"{servers.rasa_url}/webhooks/photo/upload",
        files={"file": ("a.jpg", (PHOTOS / "broken_mug.jpg").read_bytes())},
        timeout=30,
    )
    assert reply.status_code == 400 and reply.json()["error"] == "missing_sender"


def test_where_is_my_order_in_chinese_gives_the_tracking_status(servers: Servers, sender: str) -> None:
    assert "订单号是多少" in joined(servers.say(sender, "我的订单到哪里了？"))
    servers.say(sender, "订单号SO100234")
    status = joined(servers.say(sender, "diego.hernandez@example.com.mx"))
    assert "您的包裹正由 DHL 派送" in status and "一切正常" in status
    [resolution] = resolutions(servers, sender)
    assert resolution.kind == "status_update"


def test_spanish_refund_of_an_unshipped_order_cancels_it(servers: Servers, sender: str) -> None:
    reply = joined(servers.say(sender, "quiero cancelar mi pedido SO-100241 y que me devuelvan el dinero"))
    assert "correo electrónico o el número de teléfono" in reply
    offer = joined(servers.say(sender, "sanne.devries@example.nl"))
    assert "todavía no se ha enviado" in offer
    servers.say(sender, "si")
    [resolution] = resolutions(servers, sender)
    assert resolution.kind == "refund" and resolution.state == "accepted"


def test_digressions_and_cancel_in_the_middle_of_a_claim(servers: Servers, sender: str) -> None:
    servers.say(sender, "the lamp I got is the wrong colour")
    assert "virtual assistant" in joined(servers.say(sender, "am I talking to a real person?"))
    assert "I can't help with that" in joined(
        servers.say(sender, "what's the weather like in Paris tomorrow?")
    )
    switched = joined(servers.say(sender, "actually my package is just late"))
    assert "let's look at that instead" in switched
    assert "stopped here" in joined(servers.say(sender, "forget it, cancel"))


def test_asking_for_a_human_hands_over_and_the_assistant_goes_quiet(servers: Servers, sender: str) -> None:
    servers.say(sender, "my parcel is damaged")
    reply = joined(servers.say(sender, "I want to talk to a human agent"))
    assert "passing you to a colleague now" in reply and "(reference H-" in reply
    assert servers.say(sender, "are you still there?") == []
    with session_scope(servers.database_url) as session:
        ticket = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == sender)).one()
        assert (ticket.reason, ticket.status) == ("customer_asked", "open")
        assert "I want to talk to a human agent" in [e.text for e in ticket.entries]


def test_model_parse_contract(servers: Servers) -> None:
    parsed = requests.post(
        f"{servers.rasa_url}/model/parse", json={"text": "my parcel never arrived"}, timeout=30
    ).json()
    assert parsed["intent"]["name"] == "delivery_delay"
