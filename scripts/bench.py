"""`make bench`: per-turn latency of whole claim conversations over the REST channel.

Plays the scenario conversations (tests/scenarios/) several times against freshly started
real servers and prints p50 / p95 / max per-turn latency, overall and per claim type.
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
    with tempfile.TemporaryDirectory() as tmp, running_servers(Path(tmp)) as servers:
        servers.say("warm-up", "hello")  # first call loads lazily initialised parts
        for _ in range(args.rounds):
            for path, scenario in scenarios:
                sender = f"bench-{uuid.uuid4().hex[:10]}"
                claim = scenario["expect"].get("claim_type") or "other"
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
    print(f"{len(scenarios)} conversations x {args.rounds} rounds, per-turn latency in ms (REST channel)")
    print(f"{'':<28}{'turns':>7}{'p50':>9}{'p95':>9}{'max':>9}{'mean':>9}")
    for name, values in sorted(timings.items()):
        print(
            f"{name:<28}{len(values):>7}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
            f"{max(values):>9.1f}{statistics.mean(values):>9.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
