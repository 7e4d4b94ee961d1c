"""Starts the real action server and Rasa server on free ports with a throw-away database.

Used by the end-to-end tests, `make scenarios` and `make bench`.  Nothing is mocked: the
servers are the ones `make run` starts, only the data lives in a temporary folder.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "aftersales.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout}s; see {log}")


@dataclass
class Servers:
    rasa_url: str
    actions_url: str
    database_url: str
    workdir: Path

    def say(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        """One customer turn over the REST channel; returns the bot's messages."""
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        reply = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        reply.raise_for_status()
        return reply.json()

    def upload(self, sender: str, data: bytes, filename: str = "photo.jpg") -> requests.Response:
        files = {"file": (filename, data, "application/octet-stream")}
        return requests.post(
            f"{self.rasa_url}/webhooks/photo/upload", data={"sender": sender}, files=files, timeout=60
        )

    def tracker(self, sender: str) -> dict:
        return requests.get(f"{self.rasa_url}/conversations/{sender}/tracker", timeout=30).json()


# What a reply quotes rather than says: item names ("1 × Linen tea towel", "Ceramic mug" in quotes),
# carriers, tracking and case numbers.  A reply's language is read from the rest.
_QUOTED = re.compile(
    r"\d+\s*×\s*[^,.;:\n（(]+"  # order lines
    r"|\"[^\"]*\"|“[^”]*”|«[^»]*»|„[^“]*“|「[^」]*」|'[^']*'"  # quoted names
    r"|\b[A-Z]{2,}[-\w]*\b"  # DHL, SO-100231, tracking numbers
)


def reply_language(text: str) -> str:
    """The language a bot message is written in, its quoted values aside."""
    from bot.language.detection import detect

    return detect(_QUOTED.sub(" ", text)).language


LOCAL_STORES = (
    "tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir}/tracker.db\n"
    "lock_store:\n  type: in_memory\n"
)


@contextmanager
def running_servers(
    workdir: Path,
    *,
    seed: bool = True,
    database_url: str | None = None,
    stores: str = LOCAL_STORES,
    auth_token: str | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Servers]:
    """Both servers, as `make run` starts them, on free ports and a database in `workdir`.

    `database_url` and `stores` (the tracker and lock store part of endpoints.yml) select the
    production profile; `auth_token` protects Rasa's HTTP API as in production; `env` adds
    settings for both servers (e.g. `TRANSLATOR_URL` of a local LibreTranslate peer).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = database_url or f"sqlite:///{workdir / 'shop.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EVIDENCE_DIR": str(workdir / "evidence"),
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
        **(env or {}),
    }
    python = str(VENV_BIN / "python")
    subprocess.run(
        [python, "-m", "bot", "seed-demo" if seed else "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    actions_port, rasa_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n"
        "nlg:\n  type: bot.rasa.nlg.ShopNLG\n" + stores.format(workdir=workdir)
    )
    processes: list[subprocess.Popen] = []
    try:
        actions_log = workdir / "actions.log"
        actions = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(actions_port)],
            cwd=ROOT,
            env=env,
            stdout=actions_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(actions)
        rasa_log = workdir / "rasa.log"
        rasa = subprocess.Popen(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--enable-api",
                "--cors",
                "*",  # as `make run`: the web widget is embedded in pages of other origins
                "--port",
                str(rasa_port),
                "--model",
                str(MODEL),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                *(["--auth-token", auth_token] if auth_token else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=rasa_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(rasa)
        _wait(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        _wait(
            f"http://127.0.0.1:{rasa_port}/status" + (f"?token={auth_token}" if auth_token else ""),
            rasa,
            rasa_log,
        )
        yield Servers(
            f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", database_url, workdir
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
