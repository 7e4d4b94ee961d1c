"""Meta's webhook signature (WhatsApp Cloud and Messenger) and the subscription handshake."""

from __future__ import annotations

from bot.channels import meta


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    # RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    expected = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert meta.signature("Jefe", b"what do ya want for nothing?") == expected
    assert meta.verify_signature("Jefe", b"what do ya want for nothing?", expected)
    assert meta.verify_signature(
        "Jefe", b"what do ya want for nothing?", expected.upper().replace("SHA256", "sha256")
    )


def test_forged_or_missing_signatures_fail() -> None:
    body = b'{"object":"page","entry":[]}'
    good = meta.signature("app-secret", body)
    assert meta.verify_signature("app-secret", body, good)
    assert not meta.verify_signature("another-secret", body, good)
    assert not meta.verify_signature("app-secret", body + b" ", good)  # the body as sent, byte for byte
    assert not meta.verify_signature("app-secret", body, None)
    assert not meta.verify_signature("app-secret", body, "sha1=" + good[7:])


def test_the_subscription_handshake_echoes_the_challenge_only_for_our_token() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    assert meta.subscription_challenge(params, "verify-me") == "1158201444"
    assert meta.subscription_challenge(params | {"hub.verify_token": "guess"}, "verify-me") is None
    assert meta.subscription_challenge(params | {"hub.mode": "unsubscribe"}, "verify-me") is None
    assert (
        meta.subscription_challenge({"hub.mode": "subscribe", "hub.verify_token": "verify-me"}, "verify-me")
        is None
    )
