"""`python -m bot <command>`: database, demo and language commands (subcommands register below)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date

from bot.config import get_settings


def _migrate(args: argparse.Namespace) -> int:
    from bot.db.migrate import migrate

    url = args.database_url or get_settings().database_url
    migrate(url)
    print(f"database is up to date: {_safe(url)}")
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from bot.db.migrate import migrate
    from bot.db.seed import seed_demo
    from bot.db.session import session_scope

    url = args.database_url or get_settings().database_url
    migrate(url)
    with session_scope(url) as session:
        orders = seed_demo(session, today=args.today)
    print(f"Demo shop in {_safe(url)}. Identify an order with its number and e-mail:")
    for order in orders:
        print(f"  {order.number}  {order.email:<32} {order.summary}")
    return 0


def _detect_language(args: argparse.Namespace) -> int:
    """One message per line on stdin -> `lang<TAB>confidence` per line on stdout, as each line
    arrives (flushed), so other programs can keep it running as a filter."""
    from bot.language.detection import DEFAULT_LANGUAGE, detect, warm_up

    for stream in (sys.stdin, sys.stdout):
        stream.reconfigure(encoding="utf-8", errors="replace")  # whatever the locale says
    warm_up()
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if text.strip():
            detection = detect(text)
            language, confidence = detection.language, detection.confidence
        else:
            language, confidence = DEFAULT_LANGUAGE, 0.0
        print(f"{language}\t{confidence:.2f}", flush=True)
    return 0


def _safe(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# name -> (help, handler, arguments); add a subcommand by adding an entry.
COMMANDS: dict[
    str, tuple[str, Callable[[argparse.Namespace], int], Callable[[argparse.ArgumentParser], None]]
] = {
    "migrate": (
        "upgrade the business database to the latest schema",
        _migrate,
        lambda p: p.add_argument("--database-url", help="default: DATABASE_URL"),
    ),
    "seed-demo": (
        "migrate, load the demo shop if the database is empty, print demo orders",
        _seed_demo,
        lambda p: (
            p.add_argument("--database-url", help="default: DATABASE_URL"),
            p.add_argument(
                "--today",
                type=date.fromisoformat,
                help="date the demo is relative to (YYYY-MM-DD; default: today)",
            ),
        ),
    ),
    "detect-language": (
        "read one message per line on stdin, print 'lang<TAB>confidence' per line",
        _detect_language,
        lambda p: None,
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, handler, add_arguments) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        add_arguments(sub)
        sub.set_defaults(handler=handler)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
