"""Adapters that plug the domain into Rasa: the only code in `bot/` that imports Rasa.

Importing this package (the server loads it for the NLU components and the NLG) also makes
Rasa check action server responses with a validator built once (see action_response_check).
"""

from bot.rasa import action_response_check

action_response_check.install()
