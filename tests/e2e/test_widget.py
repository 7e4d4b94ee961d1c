"""The web chat widget in a real browser: Debian's headless Chromium, driven by Playwright, against
the real Rasa and action servers (tests/e2e/conftest.py).

A customer opens the demo shop page, completes a damaged-item claim with a photo, reloads in the
middle, talks Arabic on a phone-sized screen, types text that looks like HTML, and embeds the
widget in another site's page.  Screenshots go to results/screenshots/; the timings the widget
records (performance marks "aftersales:...") are summarised at the end of the run and saved to
results/widget_timings.json.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from bot.db.models import Case, Evidence, Resolution
from bot.db.session import session_scope
from scripts.harness import Servers, reply_language
from tests.e2e.conftest import PHOTOS, SCREENSHOTS, chromium, e2e_servers

TURN_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, translation_peer: str) -> Iterator[Servers]:
    """The widget's own servers and shop: its claim uses the demo order that other end-to-end tests
    claim too, and the shop invites a review only once per order."""
    with e2e_servers(tmp_path_factory.mktemp("widget"), translation_peer) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


class Chat:
    """The widget on one page, as a customer uses it."""

    def __init__(self, page: Page, timings: dict[str, list[float]]) -> None:
        self.page = page
        self.timings = timings
        self.errors: list[str] = []  # JavaScript errors on the page (an HTTP 4xx is not one)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" and "after-sales" in m.text else None,
        )

    @property
    def root(self) -> Locator:
        """The element that carries the widget's lang and dir."""
        return self.page.locator(".root")

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.page.locator(".launcher").wait_for()

    def open(self) -> None:
        """Opens the chat as soon as its button is there, and waits for the greeting."""
        self.page.locator(".launcher").click()
        self.wait_for_bot(0)

    def bot_texts(self) -> list[str]:
        return self.page.locator(".message.bot .text").all_inner_texts()

    def user_texts(self) -> list[str]:
        return self.page.locator(".message.user .text").all_inner_texts()

    def wait_for_bot(self, count_before: int) -> list[str]:
        """Waits for a new bot message and the end of the turn; returns the turn's bot texts."""
        self.page.locator(".message.bot .text").nth(count_before).wait_for(timeout=TURN_TIMEOUT_MS)
        self.page.locator(".typing").wait_for(state="hidden", timeout=TURN_TIMEOUT_MS)
        return self.bot_texts()[count_before:]

    def say(self, text: str) -> str:
        before = len(self.bot_texts())
        self.page.locator("input.text").fill(text)
        self.page.keyboard.press("Enter")
        return "\n".join(self.wait_for_bot(before))

    def press(self, button: str) -> str:
        before = len(self.bot_texts())
        self.page.locator(".buttons").get_by_role("button", name=button, exact=True).click()
        return "\n".join(self.wait_for_bot(before))

    def session_id(self) -> str:
        return self.page.evaluate("JSON.parse(localStorage.getItem('aftersales-chat')).sessionId")

    def record_timings(self) -> None:
        """Adds this page's measurements to the run's timings."""
        entries = self.page.evaluate(
            "performance.getEntries().filter(e => e.name.startsWith('aftersales:'))"
            ".map(e => [e.name, e.entryType === 'mark' ? e.startTime : e.duration])"
        )
        names = {
            "aftersales:first-bot-message": "page load -> first bot message",
            "aftersales:history-shown": "page reload -> history shown",
            "aftersales:reply": "message -> first reply",
            "aftersales:turn": "message -> last reply of the turn",
            "aftersales:upload": "photo upload -> replies",
        }
        for name, ms in entries:
            self.timings.setdefault(names[name], []).append(ms)

    def screenshot(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def reload(self) -> None:
        self.record_timings()
        self.page.reload()
        self.page.locator(".message").first.wait_for(timeout=TURN_TIMEOUT_MS)
        self.page.locator("input.text:enabled").wait_for()


@pytest.fixture
def chat(browser: Browser, widget_timings: dict[str, list[float]]) -> Iterator[Chat]:
    """A fresh browser profile (no stored conversation), English, desktop-sized."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    chat = Chat(context.new_page(), widget_timings)
    yield chat
    chat.record_timings()
    context.close()
    assert not chat.errors, chat.errors


def demo(servers: Servers) -> str:
    return f"{servers.rasa_url}/webhooks/widget/demo"


def test_damaged_item_claim_with_a_photo_survives_a_reload(chat: Chat, servers: Servers) -> None:
    chat.goto(demo(servers))
    chat.open()
    assert "after-sales assistant" in chat.bot_texts()[0]
    assert "order number" in chat.say("Hi! One of the mugs I ordered arrived smashed to pieces")
    assert "e-mail address or phone number" in chat.say("SO-100231")
    assert "Which item is affected?" in chat.say("anna.schmidt@example.de")

    before = chat.page.locator(".message").all_inner_texts()
    chat.reload()  # the panel was open: it opens again, with the conversation redrawn
    expect(chat.page.locator(".message")).to_have_count(len(before))
    assert "anna.schmidt@example.de" in chat.user_texts()
    assert "Which item is affected?" in chat.bot_texts()[-1]
    assert 'How many of "Ceramic mug, blue"' in chat.say("the mug")
    assert "photo" in chat.say("1")

    chat.page.locator("input[type=file]").set_input_files(PHOTOS / "broken_mug.jpg")
    expect(chat.page.get_by_role("img", name="Photo to send")).to_be_visible()
    before = len(chat.bot_texts())
    chat.page.get_by_role("button", name="Send photo").click()
    offer = "\n".join(chat.wait_for_bot(before))
    assert "I can refund €12.90 for 1 × Ceramic mug, blue" in offer
    expect(chat.page.locator(".message.user img")).to_have_count(1)  # the photo, in the customer's bubble
    buttons = chat.page.locator(".buttons button").all_inner_texts()
    assert buttons == ["Yes, go ahead", "Other options", "Talk to a person"]
    chat.screenshot("en_claim_offer")

    done = chat.press("Yes, go ahead")
    assert "Your case number is C-" in done and "from 1 (poor) to 5 (excellent)" in done
    assert chat.user_texts()[-1] == "Yes, go ahead"
    assert "Thank you for your feedback" in chat.say("5")
    # The photo's replies came back in the upload's HTTP response only, never also over the socket.
    assert sum("I can refund €12.90" in text for text in chat.bot_texts()) == 1

    session_id = chat.session_id()
    with session_scope(servers.database_url) as session:
        resolution = session.scalars(
            select(Resolution).join(Case).where(Case.conversation_id == session_id)
        ).one()
        assert (resolution.kind, resolution.state, str(resolution.amount)) == ("refund", "accepted", "12.90")
        assert session.scalars(select(Evidence).where(Evidence.conversation_id == session_id)).one()

    chat.reload()  # the whole claim again, from the server: button titles and the photo included
    assert "Yes, go ahead" in chat.user_texts() and "5" in chat.user_texts()
    expect(chat.page.locator(".message.user .photo")).to_have_count(1)
    assert sum("I can refund €12.90" in text for text in chat.bot_texts()) == 1
    chat.screenshot("en_claim_after_reload")


def test_arabic_turns_the_widget_right_to_left_on_a_phone(
    browser: Browser, servers: Servers, widget_timings: dict[str, list[float]]
) -> None:
    context = browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    chat = Chat(context.new_page(), widget_timings)
    chat.goto(demo(servers))
    chat.open()
    assert chat.root.get_attribute("dir") == "ltr"
    # On a phone the chat takes the whole screen.
    assert chat.page.locator(".panel").bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}

    reply = chat.say("مرحبا، فتحت الكرتون ولقيت واحد من الأكواب مكسور")
    assert reply_language(reply) == "ar"
    assert (chat.root.get_attribute("dir"), chat.root.get_attribute("lang")) == ("rtl", "ar")
    expect(chat.page.get_by_placeholder("اكتب رسالتك…")).to_be_visible()
    expect(chat.page.get_by_role("button", name="إرسال", exact=True)).to_be_visible()
    expect(chat.page.get_by_role("button", name="إرفاق صورة")).to_be_visible()
    expect(chat.page.get_by_role("heading", name="خدمة العملاء")).to_be_visible()
    assert reply_language(chat.say("SO-100231")) == "ar"
    # Right to left: the customer's bubbles are on the left, the assistant's on the right.
    user_box = chat.page.locator(".message.user").last.bounding_box()
    bot_box = chat.page.locator(".message.bot").last.bounding_box()
    assert user_box["x"] < bot_box["x"]
    chat.screenshot("ar_phone")

    chat.reload()  # the language comes back with the history, before anything new is said
    assert chat.root.get_attribute("dir") == "rtl"
    chat.page.keyboard.press("Escape")
    expect(chat.page.locator(".panel")).to_be_hidden()
    expect(chat.page.get_by_role("button", name="فتح المحادثة")).to_be_focused()
    chat.record_timings()
    context.close()
    assert not chat.errors, chat.errors


def test_the_browser_language_is_the_first_turn_hint_and_the_keyboard_works(
    browser: Browser, servers: Servers, widget_timings: dict[str, list[float]]
) -> None:
    context = browser.new_context(locale="de-DE")
    chat = Chat(context.new_page(), widget_timings)
    chat.goto(demo(servers))
    chat.page.keyboard.press("Tab")  # the page has nothing else to focus: the chat button comes first
    expect(chat.page.get_by_role("button", name="Chat öffnen")).to_be_focused()
    chat.page.keyboard.press("Enter")
    chat.wait_for_bot(0)
    assert chat.bot_texts()[0].startswith("Hallo")  # greeted in the browser's language
    expect(chat.page.get_by_role("textbox", name="Ihre Nachricht")).to_be_focused()
    expect(chat.page.get_by_role("dialog", name="Kundenservice")).to_be_visible()
    expect(chat.page.get_by_role("log", name="Unterhaltung")).to_be_attached()
    chat.page.keyboard.type("Mein Paket ist noch nicht angekommen")
    chat.page.keyboard.press("Enter")
    assert "Bestellnummer" in "\n".join(chat.wait_for_bot(1))
    chat.page.keyboard.press("Escape")
    expect(chat.page.get_by_role("dialog")).to_be_hidden()
    expect(chat.page.get_by_role("button", name="Chat öffnen")).to_be_focused()
    chat.record_timings()
    context.close()
    assert not chat.errors, chat.errors


def test_what_the_customer_types_is_shown_as_text_and_never_runs(chat: Chat, servers: Servers) -> None:
    chat.goto(demo(servers))
    chat.open()
    typed = ['<img src=x onerror="window.__pwned = 1">', "<script>window.__pwned = 2</script>"]
    for text in typed:
        chat.say(text)
    assert chat.user_texts() == typed

    def nothing_ran() -> None:
        assert chat.page.evaluate("window.__pwned") is None
        expect(chat.page.locator("img[src='x']")).to_have_count(0)
        expect(chat.page.locator(".log script")).to_have_count(0)

    nothing_ran()
    chat.reload()  # the same text, now from the server's history
    assert chat.user_texts() == typed
    nothing_ran()


def png_data_url() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 40, 40)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_bot_images_are_shown_and_bot_text_is_text_too(chat: Chat, servers: Servers) -> None:
    chat.goto(demo(servers))
    chat.open()
    image = png_data_url()
    # A message pushed into the conversation from outside (Rasa's HTTP API, as an agent tool
    # would) reaches the open widget over the socket.
    pushed = requests.post(
        f"{servers.rasa_url}/conversations/{chat.session_id()}/tracker/events",
        params={"output_channel": "widget", "execute_side_effects": "true"},
        json=[
            {"event": "bot", "text": "Your label <b onmouseover=alert(1)>here</b>", "data": {"image": image}}
        ],
        timeout=30,
    )
    pushed.raise_for_status()
    expect(chat.page.get_by_role("img", name="Image from the assistant")).to_have_attribute("src", image)
    assert chat.bot_texts()[-1] == "Your label <b onmouseover=alert(1)>here</b>"
    expect(chat.page.locator(".log b")).to_have_count(0)
    chat.reload()
    expect(chat.page.get_by_role("img", name="Image from the assistant")).to_have_attribute("src", image)
    chat.screenshot("en_bot_image")


def test_photos_are_checked_before_they_are_sent_and_again_by_the_server(
    chat: Chat, servers: Servers
) -> None:
    chat.goto(demo(servers))
    chat.open()
    uploads: list[str] = []
    chat.page.on("request", lambda r: uploads.append(r.url) if "/webhooks/photo/upload" in r.url else None)
    file_input = chat.page.locator("input[type=file]")

    file_input.set_input_files(
        {"name": "big.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (10 * 2**20 + 1)}
    )
    expect(chat.page.get_by_role("alert")).to_have_text(
        "This photo is larger than 10 MB. Please choose a smaller one."
    )
    file_input.set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"})
    expect(chat.page.get_by_role("alert")).to_have_text("Please choose a photo: JPEG, PNG, WebP or GIF.")
    expect(chat.page.locator(".preview")).to_be_hidden()
    assert uploads == []

    # Dropped on the panel: the same checks, then a preview that can be cancelled.
    photo = base64.b64encode((PHOTOS / "broken_mug.jpg").read_bytes()).decode()
    dropped = chat.page.evaluate_handle(
        """(photo) => {
            const bytes = Uint8Array.from(atob(photo), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "mug.jpg", {type: "image/jpeg"}));
            return transfer;
        }""",
        photo,
    )
    chat.page.locator(".panel").dispatch_event("drop", {"dataTransfer": dropped})
    expect(chat.page.get_by_role("img", name="Photo to send")).to_be_visible()
    chat.page.get_by_role("button", name="Cancel").click()
    expect(chat.page.locator(".preview")).to_be_hidden()
    assert uploads == []

    # A file that claims to be a JPEG passes the browser's check; the server looks at its content.
    file_input.set_input_files(PHOTOS / "not_a_photo.jpg")
    expect(chat.page.get_by_role("alert")).to_be_hidden()
    before = len(chat.bot_texts())
    chat.page.get_by_role("button", name="Send photo").click()
    assert "doesn't look like a photo" in "\n".join(chat.wait_for_bot(before))
    assert len(uploads) == 1
    expect(chat.page.locator(".message.user .photo")).to_have_count(1)  # a label, not a broken picture
    expect(chat.page.locator(".message.user img")).to_have_count(0)
    chat.screenshot("en_photo_refused")


@pytest.fixture
def shop_site(tmp_path: Path, servers: Servers) -> Iterator[str]:
    """Another site's page (another origin) with the embed snippet, served by a plain web server."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><meta charset=utf-8><title>Another shop</title>"
        "<link rel=icon href='data:,'></head><body>"
        "<h1>Another shop</h1>"
        f"<script>window.AftersalesChat = {{server: '{servers.rasa_url}'}};</script>"
        f"<script src='{servers.rasa_url}/webhooks/widget/widget.js' async></script>"
        "</body></html>"
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_port}/index.html"
    site.shutdown()
    site.server_close()


def test_the_widget_works_embedded_in_another_sites_page(
    chat: Chat, shop_site: str, servers: Servers
) -> None:
    assert shop_site.split("/")[2] != servers.rasa_url.split("/")[2]  # really another origin
    chat.goto(shop_site)
    chat.open()
    assert "order number" in chat.say("my parcel arrived with a mug missing")
    chat.page.locator("input[type=file]").set_input_files(PHOTOS / "parcel_contents.jpg")
    before = len(chat.bot_texts())
    chat.page.get_by_role("button", name="Send photo").click()
    chat.wait_for_bot(before)
    chat.reload()
    expect(chat.page.locator(".message.user .photo")).to_have_count(1)
    assert "my parcel arrived with a mug missing" in chat.user_texts()
