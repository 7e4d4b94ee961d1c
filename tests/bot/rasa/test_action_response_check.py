import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import bot.rasa  # noqa: F401  (installs the check)

ACTION = RemoteAction("action_detect_language", EndpointConfig("http://localhost:5055/webhook"))


def test_a_valid_action_server_response_passes() -> None:
    assert ACTION._validate_action_result({"events": [{"event": "slot", "name": "language", "value": "es"}]})


def test_a_malformed_action_server_response_is_still_rejected() -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        ACTION._validate_action_result({"events": "not a list"})
