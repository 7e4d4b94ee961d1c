"""The reply to a file that was not accepted names what went wrong, whichever channel it came by."""

from __future__ import annotations

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.photos import ActionPhotoRejected
from tests.actions.conftest import DOMAIN, responses


def rejected(reason: str) -> Tracker:
    text = "/upload_failed" + json.dumps({"reason": reason})
    message = {
        "text": text,
        "intent": {"name": "upload_failed", "confidence": 1.0},
        "entities": [{"entity": "reason", "value": reason}],
    }
    return Tracker("telegram:382910471", {}, message, [], False, None, None, "action_listen")


@pytest.mark.parametrize(
    ("reason", "response"),
    [
        ("not_image", "utter_photo_not_image"),
        ("too_large", "utter_photo_too_large"),
        ("empty", "utter_photo_empty"),
        ("download_failed", "utter_photo_empty"),  # the platform did not hand it over: send it again
    ],
)
async def test_each_reason_gets_its_reply(reason: str, response: str) -> None:
    dispatcher = CollectingDispatcher()
    await ActionPhotoRejected().run(dispatcher, rejected(reason), DOMAIN)
    assert responses(dispatcher) == [response]
