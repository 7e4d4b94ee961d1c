"""The agent console's API on the real Rasa and action servers: a Chinese customer in the web widget
(python-socketio client, as the widget speaks) and on Telegram (the local stub of its API), paused
conversations with handoff tickets, an English agent answering through the console, translation
through the LibreTranslate peer over HTTP.  Also: sign-in refusals, the translator down, remedy
approval, hand back, and the latency of a reply and of a poll."""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import requests
import socketio
from sqlalchemy import select

from bot import cases
from bot.channels.stub_platforms import StubPlatforms, running_stub
from bot.db.models import Case, Resolution
from bot.db.session import session_scope
from bot.handoff.tickets import open_ticket
from bot.policy import ItemLine, Offer
from bot.translation.libretranslate_peer import set_fault
from scripts.harness import MODEL, Servers, reply_language, running_servers
from tests.e2e.conftest import RESULTS, summarise

ALICE = "alice-console-token-0123456789"
BOB = "bob-console-token-0123456789"
TELEGRAM_SECRET = "telegram-webhook-secret"
API_ROUTES = [
    ("GET", "me"),
    ("GET", "tickets"),
    ("GET", "tickets/1"),
    ("POST", "tickets/1/assign"),
    ("POST", "tickets/1/messages"),
    ("POST", "tickets/1/remedy"),
    ("POST", "tickets/1/handback"),
    ("GET", "tickets/1/export.md"),
    ("GET", "evidence/abc"),
]


@pytest.fixture(scope="module")
def stub() -> Iterator[StubPlatforms]:
    with running_stub() as running:
        yield running


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, translation_peer: str, stub: StubPlatforms
) -> Iterator[Servers]:
    """The servers as `make run` starts them, with two console agents and Telegram on the stub."""
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    env = stub.settings() | {
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TRANSLATOR": "libretranslate",
        "TRANSLATOR_URL": translation_peer,
        "TRANSLATOR_TIMEOUT": "1",
        "CONSOLE_AGENTS": f"alice:{ALICE},bob:{BOB}:en",
    }
    with running_servers(tmp_path_factory.mktemp("console"), env=env) as running:
        yield running


class Agent:
    def __init__(self, site: Servers, token: str = ALICE) -> None:
        self.base = f"{site.rasa_url}/webhooks/console/api/"
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> requests.Response:
        return requests.get(self.base + path, headers=self.headers, timeout=30)

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return requests.post(self.base + path, json=body or {}, headers=self.headers, timeout=30)

    def entries(self, ticket_id: int, after: int | None = None) -> list[dict]:
        answer = self.get(f"tickets/{ticket_id}" + (f"?after={after}" if after is not None else ""))
        assert answer.status_code == 200, answer.text
        return answer.json()["entries"]

    def wait_for_customer(self, ticket_id: int, text: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in self.entries(ticket_id):
                if entry["role"] == "customer" and entry["text"] == text:
                    return entry
            time.sleep(0.3)
        raise TimeoutError(f"{text!r} never reached ticket {ticket_id}")


class WidgetCustomer:
    """A browser's widget, as widget.js speaks to the channel (Socket.IO events)."""

    def __init__(self, site: Servers) -> None:
        self.client = socketio.Client(reconnection=False)
        self.received: list[str] = []
        self.turns = 0
        self.changed = threading.Condition()
        self.session_id = ""

        @self.client.on("session_confirm")
        def confirm(session_id: str) -> None:
            with self.changed:
                self.session_id = session_id
                self.changed.notify_all()

        @self.client.on("bot_uttered")
        def uttered(message: dict) -> None:
            with self.changed:
                self.received.append(message.get("text", ""))
                self.changed.notify_all()

        @self.client.on("turn_done")
        def done(_: dict) -> None:
            with self.changed:
                self.turns += 1
                self.changed.notify_all()

        self.client.connect(site.rasa_url, transports=["polling"], socketio_path="/socket.io")
        self.client.emit("session_request", {"session_id": None})
        self._wait(lambda: bool(self.session_id), "session_confirm")

    def _wait(self, ready: object, what: str, timeout: float = 60) -> None:
        with self.changed:
            if not self.changed.wait_for(ready, timeout=timeout):  # type: ignore[arg-type]
                raise TimeoutError(f"no {what} within {timeout}s")

    def say(self, text: str) -> list[str]:
        """One message; returns what the assistant answered in that turn."""
        before, turns = len(self.received), self.turns
        self.client.emit("user_uttered", {"message": text, "metadata": {"locale": "zh-CN"}})
        self._wait(lambda: self.turns > turns, "turn_done")
        time.sleep(0.2)  # emits of one turn arrive in order; a little slack for the last one
        return self.received[before:]

    def wait_message(self, count: int, timeout: float = 30) -> list[str]:
        self._wait(lambda: len(self.received) >= count, f"{count} messages", timeout)
        return self.received

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def customer(site: Servers) -> Iterator[WidgetCustomer]:
    widget = WidgetCustomer(site)
    yield widget
    widget.close()


def hand_off(site: Servers, conversation: str, channel: str, case_number: str | None = None) -> int:
    """What the handoff action does: a ticket, then the conversation paused."""
    with session_scope(site.database_url) as session:
        ticket = open_ticket(
            session,
            conversation_id=conversation,
            reason="above_limit" if case_number else "customer_asked",
            language="zh",
            channel=channel,
            case_number=case_number,
        )
    paused = requests.post(
        f"{site.rasa_url}/conversations/{conversation}/tracker/events", json={"event": "pause"}, timeout=30
    )
    assert paused.ok, paused.text
    return ticket.id


# -- sign-in and headers ---------------------------------------------------------------------------


def test_every_api_route_needs_a_valid_token_and_the_page_is_public(site: Servers) -> None:
    base = f"{site.rasa_url}/webhooks/console/api/"
    for method, path in API_ROUTES:
        missing = requests.request(method, base + path, json={}, timeout=30)
        assert missing.status_code == 401, (path, missing.text)
        assert "Bearer" in missing.json()["error"]
        wrong = requests.request(
            method, base + path, json={}, headers={"Authorization": "Bearer not-a-token-at-all"}, timeout=30
        )
        assert wrong.status_code == 403, (path, wrong.text)
        assert wrong.headers["Cache-Control"] == "no-store"
    me = Agent(site).get("me")
    assert me.json() == {"agent": "alice", "language": "en"}
    page = requests.get(f"{site.rasa_url}/webhooks/console/", timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert (
        page.headers["X-Content-Type-Options"] == "nosniff"
        and page.headers["Referrer-Policy"] == "no-referrer"
    )
    script = requests.get(f"{site.rasa_url}/webhooks/console/static/console.js", timeout=30)
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
    for name in ("index.html", "..%2Fcredentials.yml", "other.js"):
        assert requests.get(f"{site.rasa_url}/webhooks/console/static/{name}", timeout=30).status_code == 404
    assert Agent(site).get("tickets/999999").status_code == 404


# -- a widget customer ---------------------------------------------------------------------------


def test_widget_customer_agent_round_trip_and_hand_back(site: Servers, customer: WidgetCustomer) -> None:
    greeting = customer.say("你好")
    assert greeting and reply_language(greeting[0]) == "zh"
    ticket_id = hand_off(site, customer.session_id, "widget")
    agent = Agent(site)
    assert any(t["id"] == ticket_id for t in agent.get("tickets").json()["tickets"])

    # Paused: the customer's message reaches the agent in English, and the bot stays silent.
    assert customer.say("我还在等我的退款，请快一点") == []
    seen = agent.wait_for_customer(ticket_id, "我还在等我的退款，请快一点")
    assert (seen["language"], seen["translated_text"]) == (
        "zh",
        "I am still waiting for my refund, please hurry",
    )

    # The agent's English reaches the customer in Chinese; the transcript keeps both.
    count = len(customer.received)
    answer = agent.post(f"tickets/{ticket_id}/messages", {"text": "We have approved your refund today"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["delivery"]["status"] == "sent"
    assert customer.wait_message(count + 1)[count] == "我们今天已经批准了您的退款"
    entry = answer.json()["entry"]
    assert (entry["role"], entry["author"], entry["text"], entry["translated_text"]) == (
        "agent",
        "alice",
        "We have approved your refund today",
        "我们今天已经批准了您的退款",
    )
    ticket = agent.get(f"tickets/{ticket_id}").json()["ticket"]
    assert (ticket["status"], ticket["assigned_to"], ticket["paused"]) == ("assigned", "alice", True)
    # The widget's history (after a reload) shows the agent's message too.
    history = requests.get(
        f"{site.rasa_url}/webhooks/widget/history/{customer.session_id}", timeout=30
    ).json()
    assert "我们今天已经批准了您的退款" in [m.get("text") for m in history["messages"]]

    # A script typed by the customer comes back as text.
    customer.say("<script>alert(1)</script>")
    raw = agent.get(f"tickets/{ticket_id}")
    assert raw.headers["Content-Type"].startswith("application/json")
    assert "<script>alert(1)</script>" in [e["text"] for e in raw.json()["entries"]]

    # Hand back: the customer is told in Chinese, the ticket closes, the assistant answers again.
    count = len(customer.received)
    back = agent.post(f"tickets/{ticket_id}/handback")
    assert back.status_code == 200, back.text
    assert back.json()["ticket"]["status"] == "closed"
    told = customer.wait_message(count + 1)[count]
    assert reply_language(told) == "zh" and "助手" in told
    assert all(t["id"] != ticket_id for t in agent.get("tickets").json()["tickets"])
    again = customer.say("你好")
    assert again and reply_language(again[0]) == "zh"
    assert agent.post(f"tickets/{ticket_id}/messages", {"text": "hello"}).status_code == 409


def test_translator_down_sends_nothing(
    site: Servers, customer: WidgetCustomer, translation_peer: str
) -> None:
    customer.say("你好")
    ticket_id = hand_off(site, customer.session_id, "widget")
    agent = Agent(site)
    before = len(agent.entries(ticket_id))
    count = len(customer.received)
    set_fault(translation_peer, "500")
    try:
        failed = agent.post(f"tickets/{ticket_id}/messages", {"text": "Sorry for the wait, checking now"})
    finally:
        set_fault(translation_peer, "ok")
    assert failed.status_code == 502 and "not sent" in failed.json()["error"]
    time.sleep(1)
    assert len(customer.received) == count
    assert len(agent.entries(ticket_id)) == before
    for body in ({"text": ""}, {"text": "x" * 2001}):
        assert agent.post(f"tickets/{ticket_id}/messages", body).status_code == 400


def test_approving_a_refund_above_the_limit(site: Servers, customer: WidgetCustomer) -> None:
    customer.say("你好")
    with session_scope(site.database_url) as session:
        number = cases.open_case(
            session,
            conversation_id=customer.session_id,
            order_number="SO-100231",
            claim_type="damaged_item",
            language="zh",
            channel="widget",
        ).number
        mug = ItemLine("MUG-BLUE", "Ceramic mug, blue", 1, Decimal("12.90"))
        offer = Offer(
            "refund", Decimal("12.90"), "EUR", (mug,), date(2026, 12, 2), (), True, "above_auto_limit"
        )
        cases.record_offer(session, number, offer)
        assert cases.accept_offer(session, number).state == "pending_approval"
    ticket_id = hand_off(site, customer.session_id, "widget", case_number=number)
    agent = Agent(site)
    assert agent.post(f"tickets/{ticket_id}/remedy", {"action": "change", "kind": "gift"}).status_code == 400
    count = len(customer.received)
    approved = agent.post(f"tickets/{ticket_id}/remedy", {"action": "approve"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["ticket"]["offer"]["state"] == "accepted"
    told = customer.wait_message(count + 1)[count]
    assert number in told and reply_language(told) == "zh"
    with session_scope(site.database_url) as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        resolution = session.scalars(select(Resolution).where(Resolution.case_id == case.id)).one()
        assert (case.status, resolution.state, resolution.decided_by) == ("accepted", "accepted", "alice")
    assert agent.post(f"tickets/{ticket_id}/remedy", {"action": "approve"}).status_code == 409


# -- a Telegram customer -------------------------------------------------------------------------


def telegram_update(user: int, update_id: int, text: str) -> dict:
    sender = {"id": user, "is_bot": False, "first_name": "李", "language_code": "zh"}
    message = {
        "message_id": update_id,
        "from": sender,
        "chat": {"id": user, "type": "private"},
        "date": int(time.time()),
        "text": text,
    }
    return {"update_id": update_id, "message": message}


def test_telegram_customer_round_trip(site: Servers, stub: StubPlatforms) -> None:
    user = uuid.uuid4().int % 10**9 + 10**9
    conversation = f"telegram:{user}"

    def say(update_id: int, text: str) -> None:
        answer = requests.post(
            f"{site.rasa_url}/webhooks/telegram/webhook",
            data=json.dumps(telegram_update(user, update_id, text)),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

    say(1, "你好")
    stub.wait_for("telegram", str(user), count=1)
    ticket_id = hand_off(site, conversation, "telegram")
    before = len(stub.sent("telegram", str(user)))
    say(2, "新杯子快到了吗")
    agent = Agent(site, BOB)
    seen = agent.wait_for_customer(ticket_id, "新杯子快到了吗")
    assert seen["translated_text"] == "Is the new mug arriving soon"
    assert len(stub.sent("telegram", str(user))) == before  # the bot stayed silent
    answer = agent.post(f"tickets/{ticket_id}/messages", {"text": "Your new mug ships tomorrow"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["delivery"]["status"] == "sent"
    [call] = stub.sent("telegram", str(user))[before:]
    assert call["body"]["text"] == "您的新杯子明天发货"
    assert answer.json()["entry"]["author"] == "bob"


# -- latency ---------------------------------------------------------------------------------------


def test_reply_and_poll_latency(site: Servers, customer: WidgetCustomer) -> None:
    customer.say("你好")
    ticket_id = hand_off(site, customer.session_id, "widget")
    agent = Agent(site)
    replies, polls = [], []
    for i in range(20):
        started = time.perf_counter()
        answer = agent.post(
            f"tickets/{ticket_id}/messages", {"text": f"Update {i}: we are checking your parcel"}
        )
        replies.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and answer.json()["delivery"]["status"] == "sent"
        started = time.perf_counter()
        assert agent.get(f"tickets/{ticket_id}?after={answer.json()['entry']['position']}").status_code == 200
        polls.append((time.perf_counter() - started) * 1000)
    assert len(customer.wait_message(20)) >= 20
    timings = {
        "POST messages (translate + deliver)": summarise(replies),
        "GET tickets/<id> (poll)": summarise(polls),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "console_api_timings.json").write_text(json.dumps({"ms": timings}, indent=2) + "\n")
    for name, figures in timings.items():
        p50, p95, most = figures["p50"], figures["p95"], figures["max"]
        print(f"console latency, {name}: p50 {p50} ms, p95 {p95} ms, max {most} ms")
    assert statistics.median(polls) < 1000 and statistics.median(replies) < 3000
