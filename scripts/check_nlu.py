"""Check one NLU file while writing it: examples per intent, duplicates, a text under two intents.

    .venv/bin/python scripts/check_nlu.py data/nlu/nl.yml
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(path: str) -> int:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(path).intent_examples
    texts = Counter(m.get("text").strip().lower() for m in examples)
    intents: dict[str, set[str]] = defaultdict(set)
    for m in examples:
        intents[m.get("text").strip().lower()].add(m.get("intent"))
    print("examples:", len(examples))
    for intent, n in sorted(Counter(m.get("intent") for m in examples).items()):
        print(f"  {intent:<16}{n}")
    duplicates = [t for t, n in texts.items() if n > 1]
    clashes = [t for t, found in intents.items() if len(found) > 1]
    print("duplicates:", duplicates[:30])
    print("same text in two intents:", clashes[:30])
    print("entity values:", dict(Counter(e["value"] for m in examples for e in m.get("entities") or [])))
    return 1 if duplicates or clashes else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
