"""The agent console's service on a real SQLite database, the translator on the LibreTranslate
peer over HTTP, Telegram through the local stub of its API.  Rasa's side (tracker, NLG, the
widget's room) is `Rasa` below: a tracker as a list of event dicts, as Rasa returns them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.stub_platforms import StubPlatforms, running_stub
from bot.config import ConsoleAgent
from bot.db.models import Evidence, HandoffTicket, Resolution
from bot.db.seed import seed_demo
from bot.db.session import session_scope
from bot.handoff import console
from bot.handoff.console import Console, ConsoleError, authenticate
from bot.handoff.tickets import close_ticket, open_ticket
from bot.translation.libretranslate_peer import set_fault
from tests.bot.handoff.conftest import bot, damaged_mug_case, slot, user

ALICE = ConsoleAgent("alice", "alice-token-0123456789", "en")
TOKENS = "alice:alice-token-0123456789,bob:bob-token-0123456789abc:zh"


class Rasa:
    """The Rasa server as the console sees it: one tracker per conversation, a widget room."""

    def __init__(self) -> None:
        self.trackers: dict[str, list[dict[str, Any]]] = {}
        self.pushed: list[tuple[str, str]] = []
        self.connected: set[str] = set()
        self.resumed: list[str] = []

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        return list(self.trackers.get(conversation_id, []))

    async def state(self, conversation_id: str) -> tuple[bool, str | None]:
        events = self.trackers.get(conversation_id, [])
        paused = False
        language = None
        for event in events:
            if event["event"] in ("pause", "resume"):
                paused = event["event"] == "pause"
            if event["event"] == "slot" and event["name"] == "language":
                language = event["value"]
        return paused, language

    async def push_widget(self, conversation_id: str, text: str) -> bool:
        if conversation_id not in self.connected:
            return False
        self.pushed.append((conversation_id, text))
        return True

    async def append_bot(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> None:
        event = {"event": "bot", "timestamp": now(), "text": text, "data": {}, "metadata": metadata}
        self.trackers.setdefault(conversation_id, []).append(event)

    async def render(self, conversation_id: str, response: str, values: dict[str, Any]) -> str:
        return {
            "utter_remedy_approved": "已批准：{case_number}",
            "utter_remedy_changed": "已更改：{case_number}",
            "utter_handoff_back": "助手回来了",
        }[response].format(**values)

    async def resume(self, conversation_id: str) -> None:
        self.resumed.append(conversation_id)
        self.trackers[conversation_id].append({"event": "resume", "timestamp": now()})

    def say(self, conversation_id: str, text: str, language: str = "zh") -> None:
        self.trackers.setdefault(conversation_id, []).append(user(text, now(), language))


def now() -> float:
    return datetime.now(timezone.utc).timestamp()


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.fixture
def shop(peer_translator: str, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    with session_scope(db_url) as session:
        seed_demo(session, today=date(2026, 11, 25))
    return peer_translator


def above_limit_case(conversation: str, photo_dir: Path | None = None) -> str:
    """A damaged-mug case whose refund waits for a person's approval (as the claim flow leaves it)."""
    return damaged_mug_case(conversation, channel="widget", photo_dir=photo_dir, accepted=True)


def handed_off(rasa: Rasa, conversation: str, channel: str = "widget", case: str | None = None) -> int:
    """A Chinese conversation handed to a person: what came before, then the ticket, then a pause."""
    rasa.trackers[conversation] = [
        {"event": "session_started", "timestamp": now() - 60},
        user("杯子碎了", now() - 50, "zh"),
        slot("language", "zh", now() - 49),
        bot("很抱歉", now() - 48),
    ]
    with session_scope() as session:
        ticket = open_ticket(
            session,
            conversation_id=conversation,
            reason="above_limit",
            language="zh",
            channel=channel,
            agent_language="en",
            case_number=case,
        )
    rasa.trackers[conversation] += [
        bot("我为您转接一位同事。", now()),
        {"event": "pause", "timestamp": now()},
    ]
    return ticket.id


# -- sign-in -------------------------------------------------------------------------------------


def test_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSOLE_AGENTS", raising=False)
    with pytest.raises(ConsoleError, match="set CONSOLE_AGENTS") as unset:
        authenticate("Bearer alice-token-0123456789")
    assert unset.value.status == 503
    monkeypatch.setenv("CONSOLE_AGENTS", TOKENS)
    for header, status in (
        (None, 401),
        ("", 401),
        ("Basic abc", 401),
        ("Bearer ", 401),
        ("Bearer nope", 403),
    ):
        with pytest.raises(ConsoleError) as refused:
            authenticate(header)
        assert refused.value.status == status
    assert authenticate("Bearer alice-token-0123456789") == ALICE
    assert authenticate("bearer  bob-token-0123456789abc ").language == "zh"
    with pytest.raises(ConsoleError) as prefix:  # a prefix of a token is no token
        authenticate("Bearer alice-token-012345678")
    assert prefix.value.status == 403


# -- reading a ticket ----------------------------------------------------------------------------


def test_new_customer_messages_appear_translated_once(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w1")
    service = Console(rasa)
    first = run(service.ticket(ticket_id))
    # Only what came after the ticket opened: the handoff message; the tracker before it was copied then.
    assert [(e["role"], e["text"]) for e in first["entries"]] == [("bot", "我为您转接一位同事。")]
    assert first["ticket"]["paused"] is True and first["ticket"]["status"] == "open"
    rasa.say("w1", "<script>alert(1)</script> 还在吗？")
    second = run(service.ticket(ticket_id, after=first["entries"][-1]["position"]))
    [new] = second["entries"]
    assert (new["role"], new["author"], new["text"], new["language"]) == (
        "customer",
        "customer",
        "<script>alert(1)</script> 还在吗？",
        "zh",
    )
    assert new["translated_text"] == "[en] <script>alert(1)</script> 还在吗？"  # the peer's pseudo-English
    assert run(service.ticket(ticket_id, after=new["position"]))["entries"] == []  # read once
    assert len(run(service.ticket(ticket_id))["entries"]) == 2
    [queued] = console.queue()
    assert queued["last_customer_text"] == new["text"]
    assert queued["last_customer_translated"] == new["translated_text"]


def test_two_polls_at_once_copy_each_message_once(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w2")
    service = Console(rasa)
    rasa.say("w2", "你好")

    async def together() -> list[dict]:
        return await asyncio.gather(*(service.ticket(ticket_id) for _ in range(4)))

    run(together())
    # Another process (a second console) read the same events: its write is refused.
    assert console.sync_transcript(ticket_id, run(rasa.events("w2"))) == 0
    entries = run(service.ticket(ticket_id))["entries"]
    assert [e["text"] for e in entries] == ["我为您转接一位同事。", "你好"]


def test_an_untranslated_message_keeps_its_original(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w3")
    rasa.say("w3", "我的退款呢")
    set_fault(shop, "500")
    try:
        [*_, last] = run(Console(rasa).ticket(ticket_id))["entries"]
    finally:
        set_fault(shop, "ok")
    assert (last["text"], last["translated_text"]) == ("我的退款呢", None)


def test_unknown_and_closed_tickets(shop: str) -> None:
    rasa = Rasa()
    service = Console(rasa)
    with pytest.raises(ConsoleError) as unknown:
        run(service.ticket(999))
    assert unknown.value.status == 404
    ticket_id = handed_off(rasa, "w4")
    with session_scope() as session:
        close_ticket(session, ticket_id)
    assert run(service.ticket(ticket_id))["ticket"]["status"] == "closed"  # still readable
    for attempt in (
        service.reply(ticket_id, ALICE, {"text": "hello"}),
        service.handback(ticket_id, ALICE),
        service.remedy(ticket_id, ALICE, {"action": "approve"}),
    ):
        with pytest.raises(ConsoleError) as closed:
            run(attempt)
        assert closed.value.status == 409
    with pytest.raises(ConsoleError):
        console.assign(ticket_id, ALICE)
    assert console.queue() == []


# -- replying ------------------------------------------------------------------------------------


def test_a_reply_reaches_the_widget_translated_and_both_versions_are_kept(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w5")
    rasa.connected.add("w5")
    answer = run(Console(rasa).reply(ticket_id, ALICE, {"text": "  We will refund the mug today.  "}))
    assert answer["delivery"]["status"] == "sent"
    entry = answer["entry"]
    assert (entry["role"], entry["author"], entry["text"], entry["language"]) == (
        "agent",
        "alice",
        "We will refund the mug today.",
        "en",
    )
    assert (entry["translated_text"], entry["translated_language"]) == (
        "[zh] We will refund the mug today.",
        "zh",
    )
    assert rasa.pushed == [("w5", "[zh] We will refund the mug today.")]
    last = rasa.trackers["w5"][-1]
    assert (last["event"], last["text"], last["metadata"]) == (
        "bot",
        entry["translated_text"],
        {"handoff_agent": "alice"},
    )
    ticket = run(Console(rasa).ticket(ticket_id))
    assert ticket["ticket"]["status"] == "assigned" and ticket["ticket"]["assigned_to"] == "alice"
    assert [e["role"] for e in ticket["entries"]] == ["bot", "agent"]  # the tracker's copy is not read again


def test_a_closed_chat_keeps_the_reply(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w6")
    answer = run(Console(rasa).reply(ticket_id, ALICE, {"text": "Are you there?"}))
    assert answer["delivery"]["status"] == "stored" and rasa.pushed == []
    assert rasa.trackers["w6"][-1]["text"] == "[zh] Are you there?"  # shown when the widget reopens


def test_translator_down_sends_nothing(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w7")
    rasa.connected.add("w7")
    before = list(rasa.trackers["w7"])
    set_fault(shop, "500")
    try:
        with pytest.raises(ConsoleError, match="not sent") as failed:
            run(Console(rasa).reply(ticket_id, ALICE, {"text": "Your refund is on its way."}))
    finally:
        set_fault(shop, "ok")
    assert failed.value.status == 502
    assert rasa.pushed == [] and rasa.trackers["w7"] == before
    assert [e["role"] for e in run(Console(rasa).ticket(ticket_id))["entries"]] == ["bot"]


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   "}, {"text": 5}, {"text": "x" * 2001}, []])
def test_bad_replies(shop: str, body: Any) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w8")
    with pytest.raises(ConsoleError) as refused:
        run(Console(rasa).reply(ticket_id, ALICE, body))
    assert refused.value.status == 400


@pytest.fixture
def telegram(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubPlatforms]:
    with running_stub() as stub:
        for name, value in (stub.settings() | {"TELEGRAM_SECRET_TOKEN": "webhook-secret"}).items():
            monkeypatch.setenv(name, value)
        yield stub


def test_a_reply_to_a_telegram_customer(shop: str, telegram: StubPlatforms) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "telegram:4242", channel="telegram")
    bob = ConsoleAgent("bob", "bob-token-0123456789abc", "zh")  # writes Chinese to a Chinese customer
    answer = run(Console(rasa).reply(ticket_id, bob, {"text": "您好，我是客服。"}))
    # Outside any 24-hour rule on Telegram: sent as it is, no translation needed.
    assert answer["delivery"]["status"] == "sent"
    [call] = telegram.sent("telegram", "4242")
    assert call["body"]["text"] == "您好，我是客服。"
    assert answer["entry"]["translated_text"] == "您好，我是客服。"


def test_a_telegram_refusal_is_reported(shop: str, telegram: StubPlatforms) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "telegram:4243", channel="telegram")
    before = list(rasa.trackers["telegram:4243"])
    telegram.fail_next(status=403)
    answer = run(Console(rasa).reply(ticket_id, ALICE, {"text": "Hello?"}))
    assert answer["delivery"]["status"] == "failed"
    assert answer["entry"]["delivery"] == "failed"  # the agent sees it in the transcript too
    assert rasa.trackers["telegram:4243"] == before  # the customer never saw it


def test_rest_conversations_keep_replies(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "rest-1", channel="rest")
    answer = run(Console(rasa).reply(ticket_id, ALICE, {"text": "Hello"}))
    assert answer["delivery"]["status"] == "stored" and "cannot push" in answer["delivery"]["detail"]


# -- remedies and hand back ----------------------------------------------------------------------


def test_approving_the_refund_waiting_for_a_person(shop: str) -> None:
    rasa = Rasa()
    number = above_limit_case("w9")
    ticket_id = handed_off(rasa, "w9", case=number)
    rasa.connected.add("w9")
    answer = run(Console(rasa).remedy(ticket_id, ALICE, {"action": "approve"}))
    assert (
        answer["ticket"]["offer"]["state"] == "accepted"
        and answer["ticket"]["offer"]["decided_by"] == "alice"
    )
    assert rasa.pushed == [("w9", f"已批准：{number}")]
    told = answer["entries"][-1]
    assert (told["role"], told["author"], told["text"], told["delivery"]) == (
        "bot",
        "alice",
        f"已批准：{number}",
        "sent",
    )
    assert told["translated_text"] == f"[en] 已批准：{number}"
    with session_scope() as session:
        resolution = session.scalars(select(Resolution).where(Resolution.state == "accepted")).one()
        assert (resolution.kind, resolution.decided_by) == ("refund", "alice")
    with pytest.raises(ConsoleError) as again:  # nothing waits any more
        run(Console(rasa).remedy(ticket_id, ALICE, {"action": "approve"}))
    assert again.value.status == 409


def test_changing_the_remedy(shop: str) -> None:
    rasa = Rasa()
    number = above_limit_case("w10")
    ticket_id = handed_off(rasa, "w10", case=number)
    service = Console(rasa)
    for body in (
        {"action": "change", "kind": "voucher", "amount": "5"},
        {"action": "change", "kind": "refund", "amount": "five"},
        {"action": "refuse"},
        None,
    ):
        with pytest.raises(ConsoleError) as bad:
            run(service.remedy(ticket_id, ALICE, body))
        assert bad.value.status == 400
    answer = run(
        service.remedy(ticket_id, ALICE, {"action": "change", "kind": "partial_refund", "amount": "6.45"})
    )
    offer = answer["ticket"]["offer"]
    assert (offer["kind"], offer["amount"], offer["currency"], offer["state"]) == (
        "partial_refund",
        "6.45",
        "EUR",
        "accepted",
    )
    assert answer["entries"][-1]["text"] == f"已更改：{number}"


def test_no_case_no_remedy(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w11")
    with pytest.raises(ConsoleError, match="no case") as refused:
        run(Console(rasa).remedy(ticket_id, ALICE, {"action": "approve"}))
    assert refused.value.status == 409


def test_hand_back(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w12")
    rasa.connected.add("w12")
    rasa.say("w12", "谢谢")
    answer = run(Console(rasa).handback(ticket_id, ALICE))
    assert answer["ticket"]["status"] == "closed" and answer["ticket"]["paused"] is False
    assert [e["text"] for e in answer["entries"]][-2:] == ["谢谢", "助手回来了"]  # the last word kept first
    assert rasa.resumed == ["w12"] and rasa.pushed == [("w12", "助手回来了")]
    assert console.queue() == []


# -- evidence and exports ------------------------------------------------------------------------


def test_photos_of_handed_off_cases_only(shop: str, tmp_path: Path) -> None:
    rasa = Rasa()
    number = above_limit_case("w13", photo_dir=tmp_path / "evidence")
    ticket_id = handed_off(rasa, "w13", case=number)
    detail = run(Console(rasa).ticket(ticket_id))["ticket"]
    [photo] = detail["evidence"]
    assert photo["url"] == f"evidence/{photo['id']}" and "path" not in photo
    path, content_type = console.evidence_file(photo["id"])
    assert path.read_bytes() == b"\xff\xd8 a jpeg" and content_type == "image/jpeg"
    with session_scope() as session:
        other = Evidence(
            conversation_id="elsewhere",
            path=str(path),
            content_type="image/jpeg",
            size_bytes=9,
            width=1,
            height=1,
            sha256="1" * 64,
        )
        session.add(other)
        session.flush()
        other_id = other.id
    for photo_id in (other_id, "nope", "../../etc/passwd"):
        with pytest.raises(ConsoleError) as hidden:
            console.evidence_file(photo_id)
        assert hidden.value.status == 404


def test_exports(shop: str) -> None:
    rasa = Rasa()
    ticket_id = handed_off(rasa, "w14")
    rasa.say("w14", "<b>hi</b>")
    run(Console(rasa).ticket(ticket_id))
    body, content_type = console.export_ticket(ticket_id, "html")
    assert content_type.startswith("text/html") and "&lt;b&gt;hi&lt;/b&gt;" in body and "<b>hi" not in body
    assert console.export_ticket(ticket_id, "json")[1] == "application/json"
    assert console.export_ticket(ticket_id, "md")[0].strip()
    with pytest.raises(ConsoleError):
        console.export_ticket(ticket_id, "pdf")
    with session_scope() as session:
        assert session.get(HandoffTicket, ticket_id).tracker_events_read == len(rasa.trackers["w14"])
