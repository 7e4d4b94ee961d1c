"""`make scenarios`: plays every conversation in tests/scenarios/ against real servers.

Each scenario file holds one conversation (the customer's turns: text, or a photo to upload)
and its expected outcome.  Prints, per language and claim type, how many conversations ended
resolved without a human, and every expectation that was not met.

    python scripts/scenarios.py                 # starts both servers on a fresh demo database
    python scripts/scenarios.py --rasa-url http://localhost:5005   # against `make run`
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db.models import Base, Case, HandoffTicket, Resolution  # noqa: E402
from bot.db.seed import seed_demo  # noqa: E402
from bot.db.session import session_scope  # noqa: E402
from bot.translation.libretranslate_peer import running_peer  # noqa: E402
from scripts.harness import Servers, reply_language, running_servers  # noqa: E402

SCENARIO_DIR = ROOT / "tests" / "scenarios"


@dataclass
class Result:
    path: Path
    language: str
    claim_type: str
    resolved: bool
    handed_off: bool
    problems: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "turns" not in data or "expect" not in data:
        raise ValueError(f"{path}: a scenario needs 'turns' and 'expect'")
    return data


def outcome(database_url: str, sender: str) -> tuple[str | None, str | None, bool]:
    """(claim type, resolution kind, handed off) recorded for the conversation."""
    with session_scope(database_url) as session:
        case = session.scalars(
            select(Case).where(Case.conversation_id == sender).order_by(Case.id.desc())
        ).first()
        kind = None
        if case is not None:
            kind = session.scalars(
                select(Resolution.kind).where(
                    Resolution.case_id == case.id,
                    Resolution.state.in_(("accepted", "pending_approval", "done")),
                )
            ).first()
        handed = session.scalars(
            select(HandoffTicket.id).where(HandoffTicket.conversation_id == sender)
        ).first()
        return (case.claim_type if case else None, kind, handed is not None)


def fresh_shop(database_url: str) -> None:
    """Every scenario starts from the demo shop as seeded: earlier refunds, cases and feedback
    requests of other scenarios must not change its outcome.  The translation cache stays."""
    with session_scope(database_url) as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "translation_cache":
                session.execute(table.delete())
        seed_demo(session)


def play(servers: Servers, path: Path, *, fresh: bool = False) -> Result:
    scenario = load(path)
    if fresh:
        fresh_shop(servers.database_url)
    expect = scenario["expect"]
    sender = f"scenario-{path.stem}-{uuid.uuid4().hex[:8]}"
    transcript: list[tuple[str, str]] = []
    for turn in scenario["turns"]:
        if "photo" in turn:
            photo = (path.parent / turn["photo"]).read_bytes()
            reply = servers.upload(sender, photo, Path(turn["photo"]).name)
            messages = reply.json().get("messages", [])
            transcript.append(("customer", f"[photo {turn['photo']}]"))
        else:
            messages = servers.say(sender, str(turn["user"]))
            transcript.append(("customer", str(turn["user"])))
        transcript += [("bot", m.get("text", "")) for m in messages]
    claim_type, kind, handed_off = outcome(servers.database_url, sender)
    problems = []
    if expect.get("claim_type") and claim_type != expect["claim_type"]:
        problems.append(f"claim type {claim_type!r}, expected {expect['claim_type']!r}")
    if "resolution" in expect and kind != expect["resolution"]:
        problems.append(f"resolution {kind!r}, expected {expect['resolution']!r}")
    if "handed_off" in expect and handed_off != bool(expect["handed_off"]):
        problems.append(f"handed off {handed_off}, expected {expect['handed_off']}")
    expected_language = expect.get("reply_language")
    if expected_language:
        for who, said in transcript:
            if who == "bot" and said.strip() and reply_language(said) != expected_language:
                problems.append(f"a reply not in {expected_language}: {said[:80]!r}")
                break
    for text in expect.get("bot_says", []):
        if not any(text.lower() in said.lower() for who, said in transcript if who == "bot"):
            problems.append(f"the bot never said {text!r}")
    return Result(
        path,
        scenario.get("language", "en"),
        expect.get("claim_type") or "none",
        resolved=kind is not None and not handed_off,
        handed_off=handed_off,
        problems=problems,
        transcript=transcript,
    )


def report(results: list[Result]) -> str:
    table: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in results:
        table[(result.language, result.claim_type)].append(result)
    lines = [f"{'language':<9}{'claim type':<17}{'resolved without a human':>26}"]
    for (language, claim_type), group in sorted(table.items()):
        resolved = sum(r.resolved for r in group)
        lines.append(f"{language:<9}{claim_type:<17}{resolved:>20} / {len(group)}")
    total = sum(r.resolved for r in results)
    lines.append(f"{'all':<26}{total:>20} / {len(results)}")
    met = sum(not r.problems for r in results)
    lines.append(f"scenarios whose expected outcome was met: {met} / {len(results)}")
    for result in results:
        for problem in result.problems:
            lines.append(f"FAIL {result.path.name}: {problem}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rasa-url", help="use servers that are already running (make run)")
    parser.add_argument(
        "--database-url", help="their business database (default: DATABASE_URL or var/shop.db)"
    )
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted(SCENARIO_DIR.glob("*.yml"))
    if args.rasa_url:
        from bot.config import get_settings

        servers = Servers(args.rasa_url, "", args.database_url or get_settings().database_url, ROOT / "var")
        results = [play(servers, f) for f in files]
    else:
        # Machine translation (languages outside the curated 14) goes to a local LibreTranslate peer.
        with tempfile.TemporaryDirectory() as tmp, running_peer() as peer:
            env = {"TRANSLATOR": "libretranslate", "TRANSLATOR_URL": peer}
            with running_servers(Path(tmp), env=env) as servers:
                results = [play(servers, f, fresh=True) for f in files]
    print(report(results))
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
