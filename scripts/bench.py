"""`make bench`: per-turn latency of whole claim conversations over the REST channel, and the
cost of the multilingual layer.

Plays the scenario conversations (tests/scenarios/, all languages) several times against
freshly started real servers and prints p50 / p95 / max per-turn latency, overall, per claim
type and per language.  Then times, in-process, what the multilingual layer adds to a turn:
language detection, and rendering one reply in English, from a curated translation, and
machine-translated from the cache (memory and database table) — machine translation goes to a
local LibreTranslate peer.  Last, the web widget's figures in the browser, from the last
browser test (results/widget_timings.json).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.translation.libretranslate_peer import running_peer  # noqa: E402
from scripts.harness import running_servers  # noqa: E402
from scripts.scenarios import SCENARIO_DIR, load  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each conversation is played")
    args = parser.parse_args()
    scenarios = [(p, load(p)) for p in sorted(SCENARIO_DIR.glob("*.yml"))]
    timings: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp, running_peer() as peer, running_servers(
        Path(tmp), env={"TRANSLATOR": "libretranslate", "TRANSLATOR_URL": peer}
    ) as servers:
        servers.say("warm-up", "hello")  # first call loads lazily initialised parts
        for _ in range(args.rounds):
            for path, scenario in scenarios:
                sender = f"bench-{uuid.uuid4().hex[:10]}"
                claim = scenario["expect"].get("claim_type") or "other"
                language = scenario.get("language", "en")
                for turn in scenario["turns"]:
                    start = time.perf_counter()
                    if "photo" in turn:
                        servers.upload(sender, (path.parent / turn["photo"]).read_bytes())
                        kind = "photo upload"
                    else:
                        servers.say(sender, str(turn["user"]))
                        kind = "text"
                    elapsed = (time.perf_counter() - start) * 1000
                    timings["all turns"].append(elapsed)
                    timings[f"claim: {claim}"].append(elapsed)
                    timings[f"turn: {kind}"].append(elapsed)
                    timings[f"language: {language}"].append(elapsed)
        handoff = handoff_turns(servers)
    print(f"{len(scenarios)} conversations x {args.rounds} rounds, per-turn latency in ms (REST channel)")
    print(f"{'':<28}{'turns':>7}{'p50':>9}{'p95':>9}{'max':>9}{'mean':>9}")
    for name, values in sorted(timings.items()):
        print(
            f"{name:<28}{len(values):>7}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
            f"{max(values):>9.1f}{statistics.mean(values):>9.1f}"
        )
    conversations = len(next(iter(handoff.values())))
    print(f"\nhandoff over REST (en, zh, ar; {conversations} conversations), ms")
    print(f"{'':<50}{'p50':>9}{'p95':>9}{'max':>9}")
    for name, values in handoff.items():
        print(f"{name:<50}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}{max(values):>9.1f}")
    multilingual_layer()
    widget_timings()
    console_timings()
    return 0


def handoff_turns(servers) -> dict[str, list[float]]:  # noqa: ANN001 (scripts.harness.Servers)
    """The turn that hands a conversation over (ticket, transcript translated for the agent, the
    customer told when), and a turn while paused (logged, not answered)."""
    opening = ["my parcel arrived but one mug is missing", "我的包裹少了一件", "وصل الطرد ناقصا قطعة"]
    asking = ["I want to talk to a person", "我要人工客服", "أريد التحدث مع موظف"]
    handoff, paused = [], []
    for _ in range(5):
        for first, ask in zip(opening, asking):
            sender = f"bench-handoff-{uuid.uuid4().hex[:10]}"
            servers.say(sender, first)
            start = time.perf_counter()
            servers.say(sender, ask)
            handoff.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            servers.say(sender, "hello?")
            paused.append((time.perf_counter() - start) * 1000)
    return {"turn that hands over (ticket + transcript)": handoff, "turn while paused": paused}


def console_timings() -> None:
    """The agent console's figures, as its last tests measured them (`make test` refreshes them)."""
    import json

    for name, what in (
        ("console_api_timings.json", "agent console API on loopback (test_console_api.py)"),
        ("console_browser_timings.json", "agent console in headless Chromium (test_console_browser.py)"),
    ):
        path = ROOT / "results" / name
        if not path.exists():
            print(f"\n{what}: no figures yet (make test measures them)")
            continue
        saved = json.loads(path.read_text())
        print(f"\n{what}, ms ({name})")
        print(f"{'':<50}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}")
        for label, f in saved["ms"].items():
            p95 = f.get("p95", f.get("max"))
            print(f"{label:<50}{f['n']:>5}{f['p50']:>9.1f}{p95:>9.1f}{f['max']:>9.1f}")


def widget_timings() -> None:
    """The browser's figures of the web widget, as the last browser test measured them (the
    widget records them; tests/e2e/test_widget.py collects them: `make test` refreshes the file)."""
    import json

    path = ROOT / "results" / "widget_timings.json"
    if not path.exists():
        print("\nweb widget: no browser figures yet (make test measures them)")
        return
    saved = json.loads(path.read_text())
    print(f"\nweb widget in headless Chromium, ms (browser test of {saved['measured_at']}, {path.name})")
    print(f"{'':<40}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}")
    for name, figures in saved["ms"].items():
        print(f"{name:<40}{figures['n']:>5}{figures['p50']:>9.1f}{figures['p95']:>9.1f}{figures['max']:>9.1f}")


def _time(fn, repeat: int = 200) -> tuple[float, float]:
    """(p50, p95) in ms of `fn()`."""
    values = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        values.append((time.perf_counter() - start) * 1000)
    return percentile(values, 50), percentile(values, 95)


def multilingual_layer() -> None:
    import asyncio
    import os

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.db.migrate import migrate
    from bot.language.detection import detect, warm_up
    from bot.rasa.nlg import ShopNLG
    from bot.translation.service import get_translator, reset_translator

    domain = Domain.load(str(ROOT / "domain.yml"))
    nlg = ShopNLG(domain=domain)
    loop = asyncio.new_event_loop()

    def render(language: str) -> None:
        events = [SlotSet("language", language)]
        tracker = DialogueStateTracker.from_events("bench", events, slots=domain.slots)
        values = {"amount": "24.90", "currency": "EUR", "date": "2026-12-01"}
        loop.run_until_complete(nlg.generate("utter_outcome_refund", tracker, "rest", **values))

    print("\nmultilingual layer, in-process, ms per call")
    print(f"{'':<50}{'p50':>9}{'p95':>9}")
    warm_up()
    messages = ["hola", "退款", "Paket nicht angekommen", "my parcel arrived broken", "Где мой заказ?"]
    rows = [("language detection (5 chat messages)", lambda: [detect(m) for m in messages])]
    rows += [("reply in English (no translation)", lambda: render("en"))]
    rows += [("reply from a curated translation (de)", lambda: render("de"))]
    with tempfile.TemporaryDirectory() as tmp, running_peer() as peer:
        url = f"sqlite:///{tmp}/shop.db"
        migrate(url)
        os.environ.update({"TRANSLATOR": "libretranslate", "TRANSLATOR_URL": peer, "DATABASE_URL": url})
        reset_translator()
        render("sv")  # the first time goes to the translator and fills the cache
        rows.append(("reply machine-translated, memory cache hit (sv)", lambda: render("sv")))

        def table_hit() -> None:
            get_translator().memory.clear()
            render("sv")

        rows.append(("reply machine-translated, table cache hit (sv)", table_hit))
        for name, fn in rows:
            p50, p95 = _time(fn, 100)
            print(f"{name:<50}{p50:>9.2f}{p95:>9.2f}")
        reset_translator()
    loop.close()


if __name__ == "__main__":
    sys.exit(main())
