#!/usr/bin/env bash
# Starts the action server (5055) and the Rasa server (5005) with the local profile.
# Production: set RASA_AUTH_TOKEN (and ENDPOINTS=endpoints.prod.yml); see the README.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
ENDPOINTS=${ENDPOINTS:-endpoints.yml}
mkdir -p var/logs

AUTH=()
if [ -n "${RASA_AUTH_TOKEN:-}" ]; then AUTH=(--auth-token "$RASA_AUTH_TOKEN"); fi

# The agent console needs at least one agent: without CONSOLE_AGENTS, one for this run.
CONSOLE_NOTE="agents from CONSOLE_AGENTS"
if [ -z "${CONSOLE_AGENTS:-}" ]; then
  CONSOLE_TOKEN=$($VENV/bin/python -c 'import secrets; print(secrets.token_hex(24))')
  export CONSOLE_AGENTS="agent:$CONSOLE_TOKEN"
  CONSOLE_NOTE="sign in with the token $CONSOLE_TOKEN (generated for this run; set CONSOLE_AGENTS to keep one)"
fi

$VENV/bin/rasa run actions --port "$ACTIONS_PORT" >var/logs/actions.log 2>&1 &
ACTIONS_PID=$!
trap 'kill $ACTIONS_PID 2>/dev/null || true' EXIT INT TERM

cat <<MSG
Starting the assistant (logs: var/logs/actions.log and this terminal)...
  Rasa server:    http://localhost:$RASA_PORT   (HTTP API on: /model/parse, /conversations/<id>/tracker)
  Action server:  http://localhost:$ACTIONS_PORT/health
  Web widget:     http://localhost:$RASA_PORT/webhooks/widget/demo   (a demo shop page with the chat)
  Agent console:  http://localhost:$RASA_PORT/webhooks/console/
                  $CONSOLE_NOTE
Talk to it once "Rasa server is up and running" appears:
  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -d '{"sender": "me", "message": "Hi, my parcel arrived with an item missing"}'
  Upload a photo: curl -s localhost:$RASA_PORT/webhooks/photo/upload -F sender=me -F file=@photo.jpg
  Messaging webhooks: /webhooks/{telegram,whatsapp_cloud,twilio_whatsapp,messenger}/webhook
    (GET /webhooks/<channel>/ says whether its environment is set; README, Channels)
  Demo orders: make seed   (prints order numbers with their e-mail addresses)
MSG

$VENV/bin/rasa run --enable-api --cors "*" --port "$RASA_PORT" --model models/aftersales.tar.gz \
  --endpoints "$ENDPOINTS" --credentials credentials.yml "${AUTH[@]}"
