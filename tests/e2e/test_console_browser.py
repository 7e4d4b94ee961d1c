"""The agent console in a real browser: Debian's headless Chromium, driven by Playwright, against the
real Rasa and action servers, with machine translation through the local LibreTranslate peer.

Two customers are handed to a person by the assistant itself: an Arabic one on the REST channel asks
for a person at the offer, a Chinese one in the web chat widget (in a second browser) accepts a
reship above the automatic limit; each has a claim and a remedy waiting.  The agent signs in
with a token, reads the queue, opens the Chinese conversation (original and English side by side),
sees the customer's new messages arrive without a reload, answers in English (the customer's widget
shows the Chinese), approves the remedy and hands back; the Arabic conversation reads right to left
and shows a customer's HTML as text; a wrong token shows an error and no data.

Screenshots go to results/screenshots/console_*.png; the timings measured in the
browser (sign in -> queue shown, customer message sent -> shown in the console) are printed at the
end and saved to results/console_browser_timings.json.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from bot.db.models import HandoffTicket
from bot.db.session import session_scope
from bot.translation.libretranslate_peer import DEFAULT_PHRASEBOOK, running_peer, set_fault
from scripts.harness import MODEL, Servers, running_servers
from tests.e2e.conftest import PHOTOS, RESULTS, SCREENSHOTS, chromium, joined, summarise

TIMINGS_FILE = RESULTS / "console_browser_timings.json"
TURN_TIMEOUT_MS = 20_000
LIVE_TIMEOUT_MS = 15_000  # a customer message reaches the console by the 1.5 s poll

TOKEN = "alice-" + secrets.token_hex(16)
# What the peer translates for real in these conversations (anything else comes back "[en] ...").
PHRASES = {
    "请问什么时候能寄出": {"source": "zh", "en": "When will it be sent?"},
    "地毯是灰色的": {"source": "zh", "en": "The rug is grey"},
    "谢谢你的帮助": {"source": "zh", "en": "Thank you for your help"},
    "We will send you a new rug today.": {"source": "en", "zh": "我们今天会给您寄一条新地毯。"},
    "متى سيرد علي أحد؟": {"source": "ar", "en": "When will someone answer me?"},
}
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def peer() -> Iterator[str]:
    """The LibreTranslate peer with the project's phrasebook and this test's sentences."""
    phrasebook = yaml.safe_load(DEFAULT_PHRASEBOOK.read_text(encoding="utf-8")) | PHRASES
    with running_peer(phrasebook) as url:
        yield url


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, peer: str) -> Iterator[Servers]:
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    env = {
        "TRANSLATOR": "libretranslate",
        "TRANSLATOR_URL": peer,
        "TRANSLATOR_TIMEOUT": "1",
        "CONSOLE_AGENTS": f"alice:{TOKEN}:en",
        # Agents always at work: a handoff says "a person continues now" whatever the hour.
        "HANDOFF_HOURS": "Mon-Sun 00:00-24:00",
        "HANDOFF_TIMEZONE": "UTC",
    }
    with running_servers(tmp_path_factory.mktemp("console"), env=env) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def timings(request: pytest.FixtureRequest) -> Iterator[dict[str, list[float]]]:
    """Milliseconds measured in the browser, printed and saved at the end of the module."""
    measured: dict[str, list[float]] = {}
    yield measured
    if not measured:
        return
    summary = {name: summarise(values) for name, values in measured.items()}
    RESULTS.mkdir(exist_ok=True)
    TIMINGS_FILE.write_text(
        json.dumps(
            {
                "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                "ms": summary,
                "runs": {name: [round(v, 1) for v in values] for name, values in measured.items()},
            },
            indent=2,
        )
        + "\n"
    )
    lines = ["", "agent console timings in the browser (ms)"]
    for name, f in summary.items():
        lines.append(f"{name:<48} n={f['n']:<3} p50={f['p50']:>7} p95={f['p95']:>7} max={f['max']:>7}")
    lines.append(f"saved to {TIMINGS_FILE.relative_to(RESULTS.parent)}")
    # Printed past pytest's output capture, so that a passing run shows them too.
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print("\n".join(lines))


# --- the customers ----------------------------------------------------------------------------------


def console_api(servers: Servers, path: str) -> dict:
    answer = requests.get(
        f"{servers.rasa_url}/webhooks/console/api/{path}",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()


def live_ticket(servers: Servers, conversation_id: str) -> int:
    with session_scope(servers.database_url) as session:
        return session.scalars(
            select(HandoffTicket.id).where(
                HandoffTicket.conversation_id == conversation_id, HandoffTicket.status == "open"
            )
        ).one()


def backdate(servers: Servers, ticket_id: int, minutes: int) -> None:
    """The customer has waited a while.  Done after the console's first read of the ticket, which
    copies what the customer wrote after the ticket was opened."""
    console_api(servers, f"tickets/{ticket_id}")
    with session_scope(servers.database_url) as session:
        ticket = session.get(HandoffTicket, ticket_id)
        ticket.created_at -= timedelta(minutes=minutes)


def arabic_sender(servers: Servers) -> str:
    """The Arabic customer's conversation id (REST channel)."""
    with session_scope(servers.database_url) as session:
        return session.scalars(
            select(HandoffTicket.conversation_id).where(HandoffTicket.channel == "rest")
        ).one()


@pytest.fixture(scope="module")
def arabic(servers: Servers) -> int:
    """A broken mug on the REST channel; at the offer the customer asks for a person, then writes
    twice more while nobody answers (the second time, HTML).  The ticket has waited 14 minutes."""
    sender = f"console-ar-{secrets.token_hex(6)}"
    for text in (
        "مرحبا، فتحت الكرتون ولقيت واحد من الأكواب مكسور",
        "SO-100231",
        "الإيميل anna.schmidt@example.de",
        "الأول",
        "واحد بس",
    ):
        servers.say(sender, text)
    servers.upload(sender, (PHOTOS / "broken_mug.jpg").read_bytes()).raise_for_status()
    assert "H-" in joined(servers.say(sender, "أريد التحدث مع شخص"))  # handed over, with its reference
    # Paused: Rasa logs what the customer writes, the assistant stays silent.
    assert servers.say(sender, "متى سيرد علي أحد؟") == []
    assert servers.say(sender, XSS) == []
    ticket = live_ticket(servers, sender)
    backdate(servers, ticket, 14)
    return ticket


class Customer:
    """The Chinese customer: the real widget on the demo shop page, in a browser of their own."""

    def __init__(self, context: BrowserContext, servers: Servers) -> None:
        self.page = context.new_page()
        self.page.goto(f"{servers.rasa_url}/webhooks/widget/demo")
        self.page.locator(".launcher").click()
        self.page.locator(".message.bot .text").first.wait_for(timeout=TURN_TIMEOUT_MS)

    def bot_texts(self) -> list[str]:
        return self.page.locator(".message.bot .text").all_inner_texts()

    def say(self, text: str) -> float:
        """Sends a message; returns when it went out (ms since the epoch, the browser's clock)."""
        self.page.locator("input.text").fill(text)
        sent = self.page.evaluate("Date.now()")
        self.page.keyboard.press("Enter")
        return sent

    def turn(self, text: str) -> str:
        """A turn with the assistant: the message and its replies."""
        before = len(self.bot_texts())
        self.say(text)
        return self.wait_for_bot(before)

    def wait_for_bot(self, before: int) -> str:
        self.page.locator(".message.bot .text").nth(before).wait_for(timeout=TURN_TIMEOUT_MS)
        self.page.locator(".typing").wait_for(state="hidden", timeout=TURN_TIMEOUT_MS)
        return "\n".join(self.bot_texts()[before:])

    def session_id(self) -> str:
        return self.page.evaluate("JSON.parse(localStorage.getItem('aftersales-chat')).sessionId")


@pytest.fixture(scope="module")
def customer_zh(browser: Browser, servers: Servers, arabic: int) -> Iterator[Customer]:
    """A missing rug, reshipping it is above the automatic limit: the assistant hands over to a
    person to approve it (after the Arabic customer, so the queue has an order to show)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    customer = Customer(context, servers)
    customer.turn("包裹是收到了，但是打开一看里面根本没有地毯，只有几张宣传单")
    customer.turn("我的订单是SO-100244")
    customer.turn("邮箱fatimah.alqahtani@example.sa")
    customer.turn("没有")
    before = len(customer.bot_texts())
    customer.page.locator("input[type=file]").set_input_files(PHOTOS / "parcel_contents.jpg")
    customer.page.get_by_role("button", name="发送照片").click()
    customer.wait_for_bot(before)
    assert "重新寄出 1 × Wool rug" in customer.turn("好的，麻烦重新寄一条")
    handed = customer.turn("好的")
    assert "同事审批" in handed and "H-" in handed
    customer.ticket = live_ticket(servers, customer.session_id())
    backdate(servers, customer.ticket, 3)
    yield customer
    context.close()


# --- the agent --------------------------------------------------------------------------------------


class Console:
    """The console on one page, as an agent uses it."""

    def __init__(self, context: BrowserContext, servers: Servers) -> None:
        self.page = context.new_page()
        self.url = f"{servers.rasa_url}/webhooks/console/"
        self.errors: list[str] = []  # JavaScript errors; an HTTP 4xx the page expects is not one
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.api_calls: list[str] = []
        self.page.on("request", lambda r: self.api_calls.append(r.url) if "/console/api/" in r.url else None)

    def sign_in(self, token: str) -> None:
        self.page.get_by_label("Access token").fill(token)
        self.page.get_by_role("button", name="Sign in").click()

    def login_to_queue_ms(self) -> float:
        return self.page.evaluate(
            "performance.getEntriesByName('console:login-to-queue').map(m => m.duration).pop()"
        )

    def entry_shown_at(self, role: str) -> float:
        """When the latest live entry of `role` appeared (ms since the epoch, the browser's clock)."""
        return self.page.evaluate(
            """(role) => {
                const marks = performance.getEntriesByName('console:entry-shown')
                    .filter((m) => m.detail && m.detail.role === role);
                return performance.timeOrigin + marks[marks.length - 1].startTime;
            }""",
            role,
        )

    def screenshot(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def console(browser: Browser, servers: Servers) -> Iterator[Console]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    console = Console(context, servers)
    console.page.goto(console.url)
    yield console
    context.close()
    assert not console.errors, console.errors


def test_a_wrong_token_shows_a_clear_error_and_no_data(console: Console, customer_zh: Customer) -> None:
    page = console.page
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    console.sign_in("not-the-token-" + secrets.token_hex(8))
    expect(page.get_by_role("alert")).to_have_text(
        "This token was not accepted. Check that you copied all of it and try again."
    )
    expect(page.locator("#queue-view")).to_be_hidden()
    expect(page.locator(".ticket")).to_have_count(0)
    assert [url.rsplit("/", 1)[1] for url in console.api_calls] == ["me"]  # the queue was never asked for
    assert "SO-100244" not in page.content() and "地毯" not in page.content()
    assert page.evaluate("sessionStorage.length") == 0


def test_the_agent_takes_the_chinese_conversation_through_to_hand_back(
    console: Console,
    customer_zh: Customer,
    servers: Servers,
    timings: dict[str, list[float]],
) -> None:
    page = console.page
    console.sign_in(TOKEN)
    queue = page.locator(".ticket")
    expect(queue).to_have_count(2)
    timings.setdefault("sign in -> queue shown", []).append(console.login_to_queue_ms())
    expect(page.locator("#who")).to_have_text("Signed in as alice · replies in English")
    # Oldest first, with how long each customer has waited.
    expect(queue.nth(0)).to_contain_text("Arabic")
    expect(queue.nth(0).locator(".waiting")).to_have_text(re.compile(r"^1[45] min$"))
    expect(queue.nth(1)).to_contain_text("Chinese")
    expect(queue.nth(1).locator(".waiting")).to_have_text(re.compile(r"^[34] min$"))
    expect(queue.nth(1)).to_contain_text("Widget")
    expect(queue.nth(1)).to_contain_text("SO-100244")
    expect(queue.nth(1)).to_contain_text("Above limit")
    # The Arabic customer's last message, as text: their HTML neither shows as markup nor runs.
    expect(queue.nth(0).locator(".last .original")).to_have_text(XSS)
    console.screenshot("console_queue")

    # Signing out forgets the token; signing in again is measured too.
    for _ in range(2):
        page.get_by_role("button", name="Sign out").click()
        expect(page.locator(".ticket")).to_have_count(0)
        console.sign_in(TOKEN)
        expect(queue).to_have_count(2)
        timings["sign in -> queue shown"].append(console.login_to_queue_ms())

    queue.nth(1).get_by_role("button", name=re.compile(r"^Open conversation .*Chinese")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Conversation \d+ · case C-"))).to_be_visible()
    expect(page.locator("#conversation-status")).to_contain_text("with alice")  # opening it took it
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Missing items")
    expect(summary).to_contain_text("SO-100244")
    expect(summary).to_contain_text("Wool rug")
    expect(page.locator("#offer")).to_have_text(re.compile(r"^Reship .*waiting for your approval$"))
    expect(page.get_by_role("img", name="Photo 1 from the customer")).to_have_attribute(
        "src", re.compile(r"^blob:")
    )
    transcript = page.get_by_role("log")
    first = transcript.locator(".entry.customer").filter(has_text="包裹是收到了")
    expect(first.locator(".original")).to_have_text(
        "包裹是收到了，但是打开一看里面根本没有地毯，只有几张宣传单"
    )
    expect(first.locator(".translation")).to_have_text(re.compile(r"^\[en\] 包裹是收到了"))

    # New customer messages appear without a reload; each is timed from the customer's Enter.
    for text, english in (
        ("请问什么时候能寄出？", "When will it be sent?"),
        ("地毯是灰色的", "The rug is grey"),
        ("谢谢你的帮助", "Thank you for your help"),
    ):
        sent = customer_zh.say(text)
        last = transcript.locator(".entry").last
        expect(last.locator(".original")).to_have_text(text, timeout=LIVE_TIMEOUT_MS)
        expect(last).to_have_class(re.compile(r"\bcustomer\b"))
        expect(last.locator(".translation")).to_have_text(english)
        timings.setdefault("customer message sent -> shown in the console", []).append(
            console.entry_shown_at("customer") - sent
        )
    expect(last.locator(".entry-head")).to_contain_text("Chinese → English")
    # Side by side: the translation to the right of the original, on the same line.
    original, translation = (
        last.locator(".original").bounding_box(),
        last.locator(".translation").bounding_box(),
    )
    assert (
        translation["x"] > original["x"] + original["width"] - 1 and abs(translation["y"] - original["y"]) < 2
    )

    # The agent answers in English; the customer reads Chinese in the widget.
    before = len(customer_zh.bot_texts())
    page.get_by_label("Reply in English").fill("We will send you a new rug today.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#reply-result")).to_have_text(re.compile(r"^Delivered to the customer\b"))
    reply = transcript.locator(".entry.agent").last
    expect(reply.locator(".author")).to_have_text("Agent alice")
    expect(reply.locator(".original")).to_have_text("We will send you a new rug today.")
    expect(reply.locator(".translation")).to_have_text("我们今天会给您寄一条新地毯。")
    expect(reply.locator(".delivery")).to_have_text(re.compile(r"^Delivered to the customer\b"))
    expect(page.get_by_label("Reply in English")).to_have_value("")
    customer_zh.page.locator(".message.bot .text").nth(before).wait_for(timeout=TURN_TIMEOUT_MS)
    assert customer_zh.bot_texts()[before:] == ["我们今天会给您寄一条新地毯。"]
    console.screenshot("console_conversation")

    # Approving the remedy records it and tells the customer (in their language, with the case number).
    case_number = re.search(r"C-\d+", page.locator("#conversation-title").inner_text()).group()
    page.get_by_role("button", name="Approve remedy").click()
    expect(page.locator("#remedy-result")).to_have_text("Remedy approved; the customer has been told.")
    expect(page.locator("#offer")).to_have_text(re.compile(r"^Reship .*accepted$"))
    expect(page.get_by_role("button", name="Remedy accepted")).to_be_disabled()
    customer_zh.page.locator(".message.bot .text").nth(before + 1).wait_for(timeout=TURN_TIMEOUT_MS)
    assert case_number in customer_zh.bot_texts()[before + 1]

    # Handing back closes the ticket; the assistant answers the customer's next message again.
    page.get_by_role("button", name="Hand back to the assistant").click()
    expect(page.locator("#handback-result")).to_contain_text("Handed back")
    expect(page.get_by_label("Reply in English")).to_be_disabled()
    expect(page.locator("#conversation-status")).to_contain_text("closed")
    customer_zh.page.locator(".message.bot .text").nth(before + 2).wait_for(timeout=TURN_TIMEOUT_MS)
    assert customer_zh.turn("你好")  # answered by the assistant, no longer paused
    page.get_by_role("button", name="← Queue").click()
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("Arabic")


def test_the_arabic_conversation_reads_right_to_left_and_html_stays_text(
    console: Console, customer_zh: Customer, servers: Servers, peer: str
) -> None:
    page = console.page
    console.sign_in(TOKEN)
    page.locator(".ticket").filter(has_text="Arabic").get_by_role("button").click()
    transcript = page.get_by_role("log")
    first = transcript.locator(".entry.customer").filter(has_text="مرحبا")
    expect(first.locator(".original")).to_have_text("مرحبا، فتحت الكرتون ولقيت واحد من الأكواب مكسور")
    assert first.locator(".original").evaluate("e => getComputedStyle(e).direction") == "rtl"
    asked = transcript.locator(".entry.customer").filter(has_text="متى سيرد علي أحد؟")
    expect(asked.locator(".translation")).to_have_text("When will someone answer me?")
    assert asked.locator(".translation").evaluate("e => getComputedStyle(e).direction") == "ltr"

    html = transcript.locator(".entry.customer").last
    expect(html.locator(".original")).to_have_text(XSS)
    expect(page.locator("img[src='x']")).to_have_count(0)
    expect(transcript.locator("script")).to_have_count(0)
    page.wait_for_timeout(2000)  # a poll or two later, still nothing ran
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("#offer")).to_have_text("Refund 12.90 EUR — proposed to the customer")
    console.screenshot("console_conversation_ar")

    # Another remedy: a bad amount is caught before anything is sent, a good one is recorded.
    page.get_by_label("Remedy", exact=True).select_option("coupon")
    page.get_by_label("Amount").fill("five")
    page.get_by_role("button", name="Change remedy").click()
    expect(page.locator("#remedy-result")).to_have_text("Please write the amount as a number, e.g. 12.50.")
    page.get_by_label("Amount").fill("5")
    page.get_by_role("button", name="Change remedy").click()
    expect(page.locator("#remedy-result")).to_contain_text("Remedy changed;")
    expect(page.locator("#offer")).to_have_text("Coupon 5.00 EUR — accepted")
    told = transcript.locator(".entry.bot").last  # the assistant's wording, sent for the agent
    expect(told.locator(".author")).to_have_text("Assistant, sent by alice")
    expect(told.locator(".delivery")).to_contain_text("Stored only")

    # The whole ticket can be taken away as a file.
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert download.value.suggested_filename == f"ticket-{exported['id']}.json"
    assert exported["conversation_id"] == arabic_sender(servers)
    assert XSS in [entry["text"] for entry in exported["transcript"]]

    # The translator is down: what the customer writes shows untranslated and marked; what the
    # agent writes is not sent at all (never half-translated), and stays in the box to try again.
    set_fault(peer, "500")
    try:
        servers.say(arabic_sender(servers), "الكوب الثاني سليم")
        untranslated = transcript.locator(".entry.customer").last
        expect(untranslated.locator(".original")).to_have_text("الكوب الثاني سليم", timeout=LIVE_TIMEOUT_MS)
        expect(untranslated.locator(".translation")).to_have_text(
            "Not translated: the translator did not answer. The original is shown."
        )
        page.get_by_label("Reply in English").fill("Thank you, we have noted it.")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#reply-result")).to_have_text(re.compile(r"^Not sent: "))
        expect(page.get_by_label("Reply in English")).to_have_value("Thank you, we have noted it.")
        expect(transcript.get_by_text("Thank you, we have noted it.")).to_have_count(0)
    finally:
        set_fault(peer, "ok")


def test_the_console_is_usable_800_pixels_wide_and_by_keyboard(
    browser: Browser, servers: Servers, customer_zh: Customer
) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 800, "height": 900})
    console = Console(context, servers)
    page: Page = console.page
    page.goto(console.url)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Access token")).to_be_focused()
    page.keyboard.type(TOKEN)
    page.keyboard.press("Enter")
    open_button = page.locator(".ticket").first.get_by_role("button")
    expect(open_button).to_be_visible()
    open_button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Reply in English")).to_be_focused()
    # One column: nothing wider than the window.
    expect(page.get_by_role("log").locator(".entry").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    page.screenshot(path=str(SCREENSHOTS / "console_conversation_800px.png"))
    context.close()
    assert not console.errors, console.errors
