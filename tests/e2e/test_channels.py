"""The messaging channels end to end: the platforms' real webhook payloads posted to the real Rasa
server, and what the assistant sends captured by the local stub of the platforms' APIs.

Each webhook is signed the way the platform signs it (computed here with hmac, independently of
bot.channels), and each turn is complete when the conversation's tracker holds the message and
the assistant listens again: by then every reply has reached the stub.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import func, select

from bot.channels.proactive import send_proactive
from bot.channels.stub_platforms import StubPlatforms, running_stub
from bot.config import get_settings
from bot.db.models import Case, Evidence, ProcessedMessage, Resolution
from bot.db.session import session_scope
from scripts.harness import MODEL, Servers, reply_language, running_servers
from tests.e2e.conftest import PHOTOS

TELEGRAM_SECRET = "telegram-webhook-secret"
WHATSAPP_APP_SECRET = "whatsapp-app-secret"
MESSENGER_APP_SECRET = "messenger-app-secret"
VERIFY_TOKEN = "verify-me"
TWILIO_URL = "https://shop.example.com/webhooks/twilio_whatsapp/webhook"  # as in Twilio's console
PHONE_NUMBER_ID = "106540352242922"
PAGE_ID = "1234567890"


@pytest.fixture(scope="module")
def stub() -> Iterator[StubPlatforms]:
    with running_stub() as running:
        yield running


@pytest.fixture(scope="module")
def channel_env(stub: StubPlatforms) -> dict[str, str]:
    return stub.settings() | {
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_TEMPLATE": "agent_reply",
        "MESSENGER_APP_SECRET": MESSENGER_APP_SECRET,
        "MESSENGER_VERIFY_TOKEN": VERIFY_TOKEN,
        "MESSENGER_TAG": "HUMAN_AGENT",
        "TWILIO_WEBHOOK_URL": TWILIO_URL,
    }


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, translation_peer: str, channel_env: dict
) -> Iterator[Servers]:
    """The servers as `make run` starts them, with every channel configured against the stub."""
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    env = channel_env | {"TRANSLATOR": "libretranslate", "TRANSLATOR_URL": translation_peer}
    with running_servers(
        tmp_path_factory.mktemp("channels"), env=env | {"TRANSLATOR_TIMEOUT": "1"}
    ) as running:
        yield running


def user_id() -> str:
    return str(uuid.uuid4().int % 10**9 + 10**9)


# -- turns ------------------------------------------------------------------------------------------


def tracker(site: Servers, conversation: str) -> dict:
    # The id goes as it is: Rasa's route does not decode "%3A" back into ":".
    return requests.get(f"{site.rasa_url}/conversations/{conversation}/tracker", timeout=30).json()


def wait_handled(site: Servers, conversation: str, message_id: str, timeout: float = 60) -> dict:
    """The tracker once the message was handled: it holds the message and the assistant listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = tracker(site, conversation).get("events") or []
        said = [
            e for e in events if e["event"] == "user" and (e.get("message_id") or "").startswith(message_id)
        ]
        if said and events[-1]["event"] == "action" and events[-1]["name"] == "action_listen":
            last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
            if (events[last_user].get("message_id") or "").startswith(message_id):
                return {"events": events}
        time.sleep(0.1)
    raise TimeoutError(f"message {message_id} of {conversation} not handled in {timeout}s")


class Platform:
    """Posts one platform's webhooks and reads what the assistant sent back through its API."""

    name = ""
    path = ""

    def __init__(self, site: Servers, stub: StubPlatforms, user: str) -> None:
        self.site, self.stub, self.user = site, stub, user

    @property
    def conversation(self) -> str:
        return f"{self.name}:{self.user}"

    def post(self, body: bytes, headers: dict[str, str]) -> requests.Response:
        return requests.post(
            f"{self.site.rasa_url}/webhooks/{self.name}/webhook", data=body, headers=headers, timeout=30
        )

    def deliver(self, payload: dict, message_id: str) -> list[dict]:
        """Posts a signed webhook; returns the API calls the assistant made to answer it."""
        before = len(self.stub.sent(self.name, self.recipient))
        answer = self.post(*self.signed(payload))
        assert answer.status_code == 200, answer.text
        wait_handled(self.site, self.conversation, message_id)
        return self.stub.sent(self.name, self.recipient)[before:]


class Telegram(Platform):
    name = "telegram"

    def __init__(self, *args: object, language_code: str = "en") -> None:
        super().__init__(*args)
        self.language_code = language_code
        self.update_id = int(self.user) % 10**6 * 1000

    @property
    def recipient(self) -> str:
        return self.user

    def signed(self, payload: dict, secret: str | None = TELEGRAM_SECRET) -> tuple[bytes, dict]:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return json.dumps(payload).encode(), headers

    def _sender(self) -> dict:
        return {
            "id": int(self.user),
            "is_bot": False,
            "first_name": "Анна",
            "language_code": self.language_code,
        }

    def update(self, **content: object) -> dict:
        self.update_id += 1
        message = {
            "message_id": self.update_id % 1000,
            "from": self._sender(),
            "chat": {"id": int(self.user), "first_name": "Анна", "type": "private"},
            "date": int(time.time()),
        }
        return {"update_id": self.update_id, "message": message | content}

    def say(self, text: str) -> list[dict]:
        update = self.update(text=text)
        return self.deliver(update, str(update["update_id"]))

    def photo(self, file_id: str, size: int) -> list[dict]:
        sizes = [
            {
                "file_id": f"{file_id}-small",
                "file_unique_id": "AQADs",
                "file_size": 1200,
                "width": 90,
                "height": 67,
            },
            {"file_id": file_id, "file_unique_id": "AQADb", "file_size": size, "width": 1280, "height": 960},
        ]
        update = self.update(photo=sizes)
        return self.deliver(update, str(update["update_id"]))

    def press(self, data: str) -> list[dict]:
        self.update_id += 1
        self.query_id = f"cb{self.update_id}"
        query = {
            "id": self.query_id,
            "from": self._sender(),
            "message": {
                "message_id": 7,
                "chat": {"id": int(self.user), "type": "private"},
                "date": 1,
                "text": "…",
            },
            "chat_instance": "-123456789",
            "data": data,
        }
        return self.deliver({"update_id": self.update_id, "callback_query": query}, str(self.update_id))


class WhatsAppCloud(Platform):
    name = "whatsapp_cloud"

    @property
    def recipient(self) -> str:
        return self.user

    def signed(self, payload: dict, secret: str = WHATSAPP_APP_SECRET) -> tuple[bytes, dict]:
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-Hub-Signature-256": signature}

    def webhook(self, message: dict) -> dict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Wang Fang"}, "wa_id": self.user}],
            "messages": [message],
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
        }

    def message(self, kind: str, content: dict, at: datetime | None = None) -> tuple[dict, str]:
        message_id = f"wamid.HBgL{uuid.uuid4().hex.upper()}"
        timestamp = str(int((at or datetime.now(timezone.utc)).timestamp()))
        return self.webhook(
            {"from": self.user, "id": message_id, "timestamp": timestamp, "type": kind, kind: content}
        ), message_id

    def say(self, text: str, at: datetime | None = None) -> list[dict]:
        payload, message_id = self.message("text", {"body": text}, at)
        return self.deliver(payload, message_id)


class TwilioWhatsApp(Platform):
    name = "twilio_whatsapp"

    @property
    def recipient(self) -> str:
        return f"whatsapp:{self.user}"  # the user is a phone number, "+4917..."

    def signed(self, fields: dict, token: str = "stub-twilio-auth-token") -> tuple[bytes, dict]:
        data = TWILIO_URL + "".join(k + v for k, v in sorted(fields.items()))
        signature = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
        return urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        }

    def form(self, body: str = "", **extra: str) -> tuple[dict, str]:
        sid = "SM" + uuid.uuid4().hex
        fields = {
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "ProfileName": "Camille",
            "MessageType": "text",
            "SmsSid": sid,
            "WaId": self.user.lstrip("+"),
            "SmsStatus": "received",
            "Body": body,
            "To": "whatsapp:+14155238886",
            "NumSegments": "1",
            "ReferralNumMedia": "0",
            "MessageSid": sid,
            "AccountSid": "AC00000000000000000000000000000000",
            "From": f"whatsapp:{self.user}",
            "ApiVersion": "2010-04-01",
        }
        return fields | extra, sid

    def say(self, text: str) -> list[dict]:
        fields, sid = self.form(text)
        return self.deliver(fields, sid)


class Messenger(Platform):
    name = "messenger"

    @property
    def recipient(self) -> str:
        return self.user

    def signed(self, payload: dict, secret: str = MESSENGER_APP_SECRET) -> tuple[bytes, dict]:
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-Hub-Signature-256": signature}

    def event(self, message: dict) -> tuple[dict, str]:
        mid = "m_" + uuid.uuid4().hex
        now = int(time.time() * 1000)
        event = {
            "sender": {"id": self.user},
            "recipient": {"id": PAGE_ID},
            "timestamp": now,
            "message": {"mid": mid} | message,
        }
        return {"object": "page", "entry": [{"id": PAGE_ID, "time": now, "messaging": [event]}]}, mid

    def say(self, text: str, **extra: object) -> list[dict]:
        payload, mid = self.event({"text": text} | extra)
        return self.deliver(payload, mid)


def texts(calls: list[dict]) -> str:
    """Everything the customer reads in these API calls."""
    return "\n".join(each(calls))


def each(calls: list[dict]) -> list[str]:
    """The text of each message in these API calls."""
    out = []
    for call in calls:
        body = call["body"]
        if call["platform"] == "telegram":
            out.append(body.get("text", ""))
        elif call["platform"] == "whatsapp_cloud":
            kind = body["type"]
            out.append(
                body[kind]["body"]["text"] if kind == "interactive" else body.get("text", {}).get("body", "")
            )
        elif call["platform"] == "twilio_whatsapp":
            out.append(body.get("Body", ""))
        else:
            out.append(body["message"].get("text", ""))
    return [t for t in out if t.strip()]


def resolutions(site: Servers, conversation: str) -> list[tuple[str, str]]:
    with session_scope(site.database_url) as session:
        rows = session.execute(
            select(Resolution.kind, Resolution.state).join(Case).where(Case.conversation_id == conversation)
        ).all()
        return [tuple(row) for row in rows]


# -- tests ------------------------------------------------------------------------------------------


def test_unconfigured_channels_start_and_refuse_clearly(servers: Servers) -> None:
    """The default servers have no platform secrets: they run, and each webhook says what is missing."""
    health = requests.get(f"{servers.rasa_url}/webhooks/telegram/", timeout=10).json()
    assert health == {"status": "not_configured", "missing": ["TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"]}
    for channel in ("telegram", "whatsapp_cloud", "twilio_whatsapp", "messenger"):
        refused = requests.post(f"{servers.rasa_url}/webhooks/{channel}/webhook", json={}, timeout=10)
        assert refused.status_code == 503 and refused.json()["error"] == "not_configured"
    assert servers.say("rest-still-works", "hi")  # the rest of the server is unaffected


def test_telegram_russian_claim_with_photo_and_inline_buttons(site: Servers, stub: StubPlatforms) -> None:
    telegram = Telegram(site, stub, user_id(), language_code="ru")
    first = telegram.say("Здравствуйте! Пришла посылка, а одной кружки не хватает")
    assert first and {reply_language(t) for t in each(first)} == {"ru"}
    telegram.say("номер заказа SO-100231")
    assert "Ceramic mug, blue" in texts(telegram.say("anna.schmidt@example.de"))
    telegram.say("одна")
    asked = texts(telegram.say("1"))
    assert reply_language(asked) == "ru"

    photo = (PHOTOS / "parcel_contents.jpg").read_bytes()
    offer = telegram.photo(stub.add_media(photo), len(photo))
    assert "1 × Ceramic mug, blue" in texts(offer) and reply_language(texts(offer)) == "ru"
    keyboard = [m for m in offer if "reply_markup" in m["body"]][-1]["body"]["reply_markup"][
        "inline_keyboard"
    ]
    assert [row[0]["callback_data"] for row in keyboard] == ["/affirm", "/deny", "/human_handoff"]
    assert [row[0]["text"] for row in keyboard] == [
        "Да, оформить",
        "Другие варианты",
        "Связаться с человеком",
    ]

    done = telegram.press(keyboard[0][0]["callback_data"])
    [acknowledged] = stub.sent("telegram", telegram.query_id)  # the button stops spinning
    assert acknowledged["endpoint"] == "answerCallbackQuery"
    assert "C-" in texts(done) and reply_language(texts(done)) == "ru"
    assert resolutions(site, telegram.conversation) == [("reship", "accepted")]
    with session_scope(site.database_url) as session:
        stored = session.scalars(
            select(Evidence).where(Evidence.conversation_id == telegram.conversation)
        ).one()
        assert stored.content_type == "image/jpeg" and stored.width > 100


def test_telegram_forged_secret_is_refused_and_nothing_is_answered(
    site: Servers, stub: StubPlatforms
) -> None:
    telegram = Telegram(site, stub, user_id())
    update = telegram.update(text="I want a refund")
    assert telegram.post(*telegram.signed(update, secret=None)).status_code == 401
    assert telegram.post(*telegram.signed(update, secret="guessed")).status_code == 403
    time.sleep(1)
    assert stub.sent("telegram", telegram.recipient) == []
    assert [e for e in tracker(site, telegram.conversation)["events"] if e["event"] == "user"] == []


def test_telegram_repeated_delivery_is_answered_once(site: Servers, stub: StubPlatforms) -> None:
    telegram = Telegram(site, stub, user_id())
    update = telegram.update(text="Hi, my parcel arrived with a mug missing")
    for _ in range(3):  # Telegram delivers again until it gets a 200 in time
        assert telegram.post(*telegram.signed(update)).status_code == 200
    wait_handled(site, telegram.conversation, str(update["update_id"]))
    telegram.say("SO-100231")  # handled after the repeats, were there any
    said = [e for e in tracker(site, telegram.conversation)["events"] if e["event"] == "user"]
    assert [e["text"] for e in said] == ["Hi, my parcel arrived with a mug missing", "SO-100231"]
    asked = [
        c for c in stub.sent("telegram", telegram.recipient) if "order number" in c["body"].get("text", "")
    ]
    assert len(asked) == 1
    with session_scope(site.database_url) as session:
        count = (
            select(func.count())
            .select_from(ProcessedMessage)
            .where(
                ProcessedMessage.channel == "telegram",
                ProcessedMessage.message_id == str(update["update_id"]),
            )
        )
        assert session.scalar(count) == 1


def test_webhooks_answer_at_once_and_messages_keep_their_order(site: Servers, stub: StubPlatforms) -> None:
    """Platforms deliver again when a webhook is slow: we answer before the assistant does, and a
    customer's quick messages are still handled in the order they were sent."""
    telegram = Telegram(site, stub, user_id())
    stub.fail_next(status=None, delay=3)  # the platform's API takes 3 s for our first reply
    greeting = telegram.update(text="Hi")
    started = time.monotonic()
    assert telegram.post(*telegram.signed(greeting)).status_code == 200
    assert time.monotonic() - started < 2

    photo = (PHOTOS / "broken_mug.jpg").read_bytes()
    sizes = [{"file_id": stub.add_media(photo), "file_unique_id": "AQADx", "file_size": len(photo)}]
    with_photo, then_text = telegram.update(photo=sizes), telegram.update(text="SO-100231")
    for update in (with_photo, then_text):  # the photo must be fetched first; the text must wait for it
        assert telegram.post(*telegram.signed(update)).status_code == 200
    wait_handled(site, telegram.conversation, str(then_text["update_id"]))
    said = [e["text"] for e in tracker(site, telegram.conversation)["events"] if e["event"] == "user"]
    assert said[0] == "Hi" and said[1].startswith("/upload_photo") and said[2] == "SO-100231"
    replies = [c["body"]["text"] for c in stub.sent("telegram", telegram.recipient)]
    assert "after-sales assistant" in replies[0]  # the slow reply still went out first


def test_whatsapp_cloud_handshake_and_signatures(site: Servers, stub: StubPlatforms) -> None:
    url = f"{site.rasa_url}/webhooks/whatsapp_cloud/webhook"
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    answer = requests.get(url, params=params, timeout=10)
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert requests.get(url, params=params | {"hub.verify_token": "wrong"}, timeout=10).status_code == 403

    whatsapp = WhatsAppCloud(site, stub, "49151" + user_id()[:7])
    payload, _ = whatsapp.message("text", {"body": "refund please"})
    body, headers = whatsapp.signed(payload, secret="not-the-app-secret")
    assert whatsapp.post(body, headers).status_code == 403
    assert whatsapp.post(body, {"Content-Type": "application/json"}).status_code == 401
    tampered_body, good = whatsapp.signed(payload)
    assert whatsapp.post(tampered_body.replace(b"refund", b"REFUND"), good).status_code == 403
    time.sleep(1)
    assert stub.sent("whatsapp_cloud", whatsapp.recipient) == []


def test_whatsapp_cloud_chinese_customer_gets_chinese_replies(site: Servers, stub: StubPlatforms) -> None:
    whatsapp = WhatsAppCloud(site, stub, "86138" + user_id()[:8])
    assert "订单号是多少" in texts(whatsapp.say("我的订单到哪里了？"))
    whatsapp.say("订单号SO100234")
    status = whatsapp.say("diego.hernandez@example.com.mx")
    assert "您的包裹正由 DHL 派送" in texts(status)
    assert {reply_language(t) for t in each(status)} == {"zh"}


def test_whatsapp_cloud_photo_a_pdf_and_reply_buttons(site: Servers, stub: StubPlatforms) -> None:
    whatsapp = WhatsAppCloud(site, stub, "33612" + user_id()[:7])
    for text in ("my order SO-100232 arrived broken", "camille.dubois@example.fr"):
        whatsapp.say(text)
    assert "photo" in texts(whatsapp.say("1"))

    pdf = stub.add_media(b"%PDF-1.4 receipt", "application/pdf")
    payload, message_id = whatsapp.message(
        "document", {"filename": "receipt.pdf", "mime_type": "application/pdf", "sha256": "x", "id": pdf}
    )
    assert "doesn't look like a photo" in texts(whatsapp.deliver(payload, message_id))

    mug = stub.add_media((PHOTOS / "broken_mug.jpg").read_bytes())
    payload, message_id = whatsapp.message(
        "image", {"caption": "the mug", "mime_type": "image/jpeg", "sha256": "x", "id": mug}
    )
    offer = whatsapp.deliver(payload, message_id)
    interactive = [c["body"]["interactive"] for c in offer if c["body"]["type"] == "interactive"]
    assert interactive and "Shall I go ahead?" in interactive[-1]["body"]["text"]
    buttons = [b["reply"] for b in interactive[-1]["action"]["buttons"]]
    assert [b["id"] for b in buttons] == ["/affirm", "/deny", "/human_handoff"]
    assert [b["title"] for b in buttons] == ["Yes, go ahead", "Other options", "Talk to a person"]

    payload, message_id = whatsapp.message(
        "interactive", {"type": "button_reply", "button_reply": buttons[0]}
    )
    assert "Your case number is C-" in texts(whatsapp.deliver(payload, message_id))
    assert [kind for kind, state in resolutions(site, whatsapp.conversation) if state == "accepted"]
    with session_scope(site.database_url) as session:
        photos = (
            select(func.count())
            .select_from(Evidence)
            .where(Evidence.conversation_id == whatsapp.conversation)
        )
        assert session.scalar(photos) == 1  # the PDF was not stored


def test_twilio_numbered_choices_and_photo_round_trip(site: Servers, stub: StubPlatforms) -> None:
    twilio = TwilioWhatsApp(site, stub, "+4917" + user_id()[:8])
    twilio.say("Hello, my parcel arrived but one mug is missing")
    twilio.say("SO-100238")  # an order no other test rates: a review is asked once per order
    assert 'How many of "Cast-iron teapot"' in texts(twilio.say("yuki.sato@example.jp"))
    twilio.say("1")
    assert "photo" in texts(twilio.say("1"))

    photo = stub.add_media((PHOTOS / "parcel_contents.jpg").read_bytes())
    fields, sid = twilio.form(
        "",
        NumMedia="1",
        MessageType="image",
        MediaContentType0="image/jpeg",
        MediaUrl0=stub.twilio_media_url(photo),
    )
    offer = texts(twilio.deliver(fields, sid))
    assert "Shall I go ahead?" in offer
    numbered = [line for line in offer.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    assert len(numbered) == 3  # accept, something else, a person

    done = texts(twilio.say("1"))  # the number of the first choice: accept
    assert "Your case number is C-" in done
    assert resolutions(site, twilio.conversation) == [("reship", "accepted")]
    assert "from 1 (poor) to 5 (excellent)" in done and "1. 1" not in done
    rating = texts(twilio.say("5"))  # the rating's own numbers stay what they are
    assert "Thank you for your feedback" in rating


def test_twilio_forged_signature_is_refused(site: Servers, stub: StubPlatforms) -> None:
    twilio = TwilioWhatsApp(site, stub, "+4917" + user_id()[:8])
    fields, _ = twilio.form("hello")
    body, headers = twilio.signed(fields, token="someone-elses-token")
    assert twilio.post(body, headers).status_code == 403
    body, headers = twilio.signed(fields)
    assert twilio.post(body.replace(b"hello", b"HELLO"), headers).status_code == 403
    headers.pop("X-Twilio-Signature")
    assert twilio.post(body, headers).status_code == 401


def test_messenger_quick_replies_photo_and_signature(site: Servers, stub: StubPlatforms) -> None:
    messenger = Messenger(site, stub, "2" + user_id() + "7")
    payload, _ = messenger.event({"text": "hi"})
    body, headers = messenger.signed(payload, secret="forged")
    assert messenger.post(body, headers).status_code == 403

    messenger.say("Hello, my parcel arrived but one mug is missing")
    messenger.say("SO-100231")
    messenger.say("anna.schmidt@example.de")
    messenger.say("1")
    messenger.say("1")
    photo = stub.add_media((PHOTOS / "parcel_contents.jpg").read_bytes())
    payload, mid = messenger.event(
        {"attachments": [{"type": "image", "payload": {"url": stub.messenger_url(photo)}}]}
    )
    offer = messenger.deliver(payload, mid)
    quick = [c["body"]["message"]["quick_replies"] for c in offer if "quick_replies" in c["body"]["message"]]
    assert quick and [q["payload"] for q in quick[-1]] == ["/affirm", "/deny", "/human_handoff"]
    assert len(quick[-1]) <= 13 and all(len(q["title"]) <= 20 for q in quick[-1])

    chosen = quick[-1][0]
    done = texts(messenger.say(chosen["title"], quick_reply={"payload": chosen["payload"]}))
    assert "Your case number is C-" in done
    assert resolutions(site, messenger.conversation) == [("reship", "accepted")]


def test_proactive_messages_follow_the_24_hour_window(
    site: Servers, stub: StubPlatforms, channel_env: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agent's later reply: free text within 24 hours of the customer's last message, the
    approved template (WhatsApp) or the HUMAN_AGENT tag (Messenger) after, nothing beyond that."""
    for name, value in channel_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", site.database_url)

    recent = WhatsAppCloud(site, stub, "44770" + user_id()[:6])
    recent.say("hello")
    result = send_proactive("whatsapp_cloud", recent.conversation, "Your replacement left today.")
    assert (result.status, result.delivered) == ("sent", True)
    assert (
        stub.sent("whatsapp_cloud", recent.recipient)[-1]["body"]["text"]["body"]
        == "Your replacement left today."
    )

    earlier = WhatsAppCloud(site, stub, "44770" + user_id()[:6])
    earlier.say("hello", at=datetime.now(timezone.utc) - timedelta(hours=25))
    result = send_proactive("whatsapp_cloud", earlier.user, "Your replacement left today.", language="de")
    assert result.status == "sent_template"
    template = stub.sent("whatsapp_cloud", earlier.recipient)[-1]["body"]["template"]
    assert template["name"] == "agent_reply" and template["language"] == {"code": "de"}
    assert template["components"][0]["parameters"][0]["text"] == "Your replacement left today."

    messenger = Messenger(site, stub, "3" + user_id())
    messenger.say("hello")
    later = datetime.now(timezone.utc) + timedelta(hours=30)
    result = send_proactive("messenger", messenger.user, "A colleague checked your case.", at=later)
    assert result.status == "sent_tagged"
    assert stub.sent("messenger", messenger.recipient)[-1]["body"]["tag"] == "HUMAN_AGENT"
    before = len(stub.sent("messenger", messenger.recipient))
    result = send_proactive("messenger", messenger.user, "Too late.", at=later + timedelta(days=7))
    assert (result.status, result.delivered) == ("not_sent", False) and "7 days" in result.detail
    assert len(stub.sent("messenger", messenger.recipient)) == before

    twilio = TwilioWhatsApp(site, stub, "+4917" + user_id()[:8])
    twilio.say("hello")
    result = send_proactive("twilio_whatsapp", twilio.user, "Update on your case.", at=later)
    assert result.status == "not_sent" and "TWILIO_TEMPLATE_SID" in result.detail

    stub.fail_next(500)
    result = send_proactive("telegram", Telegram(site, stub, user_id()).user, "Hello again.")
    assert result.status == "failed" and "500" in result.detail
    assert get_settings().whatsapp_cloud.template == "agent_reply"
