"""WhatsApp through Twilio: the request signature (Twilio's own test vectors), form webhooks,
numbered choices, media with basic auth, and Content templates outside the window."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from bot.channels import twilio_whatsapp
from bot.channels.inbound import Media
from bot.config import Settings, get_settings

# From twilio-python's RequestValidator tests (auth token "12345").
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
    "Caller": "+14158675309",
}


def test_signature_matches_twilios_vectors() -> None:
    assert twilio_whatsapp.signature("12345", URL, PARAMS.items()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert twilio_whatsapp.signature("12345", URL, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_verification_tolerates_the_port_and_refuses_forgeries() -> None:
    assert twilio_whatsapp.verify_signature("12345", URL, PARAMS.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    with_port = URL.replace(".com", ".com:1234")
    assert twilio_whatsapp.verify_signature(
        "12345", with_port, PARAMS.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    )
    # Signed by Twilio with the scheme's port spelled out.
    assert twilio_whatsapp.verify_signature("12345", URL, PARAMS.items(), "kvajT1Ptam85bY51eRf/AJRuM3w=")
    assert not twilio_whatsapp.verify_signature("54321", URL, PARAMS.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    changed = PARAMS | {"Digits": "9999"}
    assert not twilio_whatsapp.verify_signature("12345", URL, changed.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not twilio_whatsapp.verify_signature("12345", URL, PARAMS.items(), None)


FORM = {
    "SmsMessageSid": "SM2f7e1bb1b7c44ab4a3b9a5a0e6f1a9c3",
    "NumMedia": "1",
    "ProfileName": "Camille",
    "MessageType": "image",
    "WaId": "33612345678",
    "SmsStatus": "received",
    "Body": "",
    "To": "whatsapp:+14155238886",
    "MessageSid": "SM2f7e1bb1b7c44ab4a3b9a5a0e6f1a9c3",
    "AccountSid": "AC00000000000000000000000000000000",
    "From": "whatsapp:+33612345678",
    "MediaContentType0": "image/jpeg",
    "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1",
    "ApiVersion": "2010-04-01",
}


def test_a_webhook_form_with_media() -> None:
    [inbound] = twilio_whatsapp.parse_form(FORM)
    assert inbound.conversation_id == "twilio_whatsapp:+33612345678"
    assert inbound.message_id == "SM2f7e1bb1b7c44ab4a3b9a5a0e6f1a9c3"
    assert inbound.media == (Media(FORM["MediaUrl0"], "image/jpeg"),)
    [quick] = twilio_whatsapp.parse_form(FORM | {"NumMedia": "0", "Body": "Yes", "ButtonPayload": "/affirm"})
    assert (quick.payload, quick.media) == ("/affirm", ())
    try:
        twilio_whatsapp.parse_form({"Body": "hi"})
    except ValueError as error:
        assert "MessageSid" in str(error)
    else:
        raise AssertionError("a form without MessageSid was accepted")


def test_buttons_become_numbered_text(platforms: Settings) -> None:
    message = {
        "text": "Shall I go ahead?",
        "buttons": [
            {"title": "Yes, go ahead", "payload": "/affirm"},
            {"title": "Other options", "payload": "/deny"},
        ],
    }
    [call] = twilio_whatsapp.TwilioWhatsApp(platforms).render("+33612345678", message)
    assert call.url.endswith(f"/2010-04-01/Accounts/{platforms.twilio_whatsapp.account_sid}/Messages.json")
    assert call.auth == (platforms.twilio_whatsapp.account_sid, platforms.twilio_whatsapp.auth_token)
    assert dict(call.form) == {
        "From": "whatsapp:+14155238886",
        "To": "whatsapp:+33612345678",
        "Body": "Shall I go ahead?\n\n1. Yes, go ahead\n2. Other options",
    }


def test_media_is_fetched_with_basic_auth(platforms: Settings, stub) -> None:
    key = stub.add_media(b"jpeg bytes")
    assert (
        twilio_whatsapp.TwilioWhatsApp(platforms).fetch_media(Media(stub.twilio_media_url(key)), 100)
        == b"jpeg bytes"
    )


def test_proactive_outside_the_window_goes_as_the_content_template(platforms: Settings, monkeypatch) -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    status, why, calls = twilio_whatsapp.TwilioWhatsApp(platforms).proactive(
        "+33612345678", "Hi", None, now, None
    )
    assert (status, calls) == ("not_sent", []) and "TWILIO_TEMPLATE_SID" in why
    monkeypatch.setenv("TWILIO_TEMPLATE_SID", "HXb5b62575e6e4ff6129ad7c8efe1f983e")
    bot = twilio_whatsapp.TwilioWhatsApp(get_settings())
    status, _, [call] = bot.proactive(
        "+33612345678", "Your refund is on its way.", now - timedelta(days=3), now, None
    )
    assert status == "sent_template"
    form = dict(call.form)
    assert form["ContentSid"] == "HXb5b62575e6e4ff6129ad7c8efe1f983e" and "Body" not in form
    assert json.loads(form["ContentVariables"]) == {"1": "Your refund is on its way."}
    status, _, [call] = bot.proactive("+33612345678", "Still here?", now - timedelta(hours=1), now, None)
    assert status == "sent" and dict(call.form)["Body"] == "Still here?"
