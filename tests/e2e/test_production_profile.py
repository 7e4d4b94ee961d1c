"""The production profile: PostgreSQL for business data and tracker store, Redis lock store,
and Rasa's HTTP API behind a token (channels stay open to customers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.db.models import Case
from bot.db.session import dispose_engines, session_scope
from scripts.harness import running_servers
from tests.e2e.conftest import joined

SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TOKEN = "e2e-secret-token"

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    name = f"bot_e2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_claim_on_postgres_with_redis_lock_store_and_api_token(pg_database: str, tmp_path: Path) -> None:
    url = make_url(SERVER_URL).set(database=pg_database).render_as_string(hide_password=False)
    stores = (
        f"tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 5432\n"
        f"  db: {pg_database}\n  username: postgres\n"
        "lock_store:\n  type: redis\n  url: 127.0.0.1\n  port: 6379\n  db: 1\n"
    )
    agent = "alice-" + uuid.uuid4().hex
    env = {"CONSOLE_AGENTS": f"alice:{agent}", "HANDOFF_HOURS": "Mon-Sun 00:00-24:00", "TRANSLATOR": "none"}
    with running_servers(tmp_path, database_url=url, stores=stores, auth_token=TOKEN, env=env) as servers:
        sender = "prod-profile"
        servers.say(sender, "where is my order SO-100239?")
        status = joined(servers.say(sender, "beatriz.souza@example.com.br"))
        assert "Your parcel is with YunExpress" in status

        api = f"{servers.rasa_url}/conversations/{sender}/tracker"
        assert requests.get(api, timeout=30).status_code == 401
        events = requests.get(api, params={"token": TOKEN}, timeout=30).json()["events"]
        assert any(e.get("text") == "beatriz.souza@example.com.br" for e in events)

        # A handoff on PostgreSQL and Redis: paused, the agent answers, hands back, the bot resumes.
        assert "passing you to a colleague" in joined(servers.say(sender, "I want to speak to a person"))
        assert servers.say(sender, "still waiting") == []
        console = f"{servers.rasa_url}/webhooks/console/api"
        auth = {"Authorization": f"Bearer {agent}"}
        [ticket] = requests.get(f"{console}/tickets", headers=auth, timeout=30).json()["tickets"]
        path = f"{console}/tickets/{ticket['id']}"
        seen = requests.get(path, headers=auth, timeout=30).json()
        assert "still waiting" in [e["text"] for e in seen["entries"]] and seen["ticket"]["paused"]
        sent = requests.post(f"{path}/messages", json={"text": "It ships today."}, headers=auth, timeout=30)
        assert sent.status_code == 200
        assert requests.post(f"{path}/handback", headers=auth, timeout=30).ok
        assert "Thank you for choosing our store" in joined(servers.say(sender, "thanks, bye"))

    with session_scope(url) as session:
        assert (
            session.scalars(select(Case.claim_type).where(Case.conversation_id == sender)).one()
            == "delivery_delay"
        )
        # Rasa's tracker store lives in the same PostgreSQL database
        assert (
            session.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
            > 0
        )
