"""Adapters that plug the domain into Rasa: the only code in `bot/` that imports Rasa."""
