"""Messaging platforms: Telegram, WhatsApp (Meta's Cloud API and Twilio) and Facebook Messenger.

Plain Python, no Rasa: one module per platform (parsing its webhooks into `inbound.Inbound`,
checking their signatures, rendering a bot message into its API calls, fetching media), the
shared pieces (`dedup`, `window`, `choices`, `media`, `turns`), `proactive.send_proactive` for
messages nobody asked for (a human agent's reply), and `stub_platforms`, a local server that
speaks all four APIs for tests and development.  `bot.rasa.channels` plugs them into Rasa.
"""
