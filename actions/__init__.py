"""Rasa custom actions: read the tracker, call `bot.claims`, turn the result into events.

Each module holds one small group of actions; importing them here lets the rasa-sdk
action server (`rasa run actions`) find them all.
"""

from actions import claim_form, claim_start, claim_submit, feedback, human, language, offer, photos  # noqa: F401
