"""`make eval`: intent accuracy on data never used for training.

* tests/nlu/heldout_<lang>.yml: our own held-out messages, per language (their errors have
  guided what training data we wrote: a development set);
* tests/nlu/unseen_<lang>.yml: a second set per language, written by someone who saw only the
  labelling guide (data/nlu/README.md), never the training data, and never used to tune anything;
* ../shared/eval/intents_en_dev.tsv: third-party English messages (CLINC150, Bitext), with
  out-of-scope recall (out-of-domain requests must not be taken for after-sales intents).
"""

from __future__ import annotations

import asyncio
import csv
import logging
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODEL = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "aftersales.tar.gz"
SHARED_EVAL = ROOT.parent / "shared" / "eval" / "intents_en_dev.tsv"
# A message the assistant does not understand is answered like an out-of-scope one.
EQUIVALENT = {"nlu_fallback": "out_of_scope"}


def heldout() -> dict[str, list[tuple[str, str]]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = {}
    for kind, label in (("heldout", "held-out"), ("unseen", "unseen")):
        for path in sorted((ROOT / "tests" / "nlu").glob(f"{kind}_*.yml")):
            examples = load_data(str(path)).intent_examples
            language = path.stem.removeprefix(f"{kind}_")
            data[f"{label} {language}"] = [(m.get("text"), m.get("intent")) for m in examples]
    return data


def shared_english() -> list[tuple[str, str]]:
    if not SHARED_EVAL.exists():
        return []
    with SHARED_EVAL.open(encoding="utf-8") as f:
        return [(row["text"], row["intent"]) for row in csv.DictReader(f, delimiter="\t")]


async def predict(agent, texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        name = parsed["intent"]["name"]
        out.append(EQUIVALENT.get(name, name))
    return out


def score(name: str, pairs: list[tuple[str, str]], predicted: list[str]) -> None:
    correct = sum(p == gold for p, (_, gold) in zip(predicted, pairs))
    print(f"{name:<24}{len(pairs):>7}{correct / len(pairs):>10.3f}")


async def main() -> None:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines: they would print the test data

    agent = Agent.load(str(MODEL))
    sets = heldout()
    print(f"{'data set':<24}{'n':>7}{'accuracy':>10}")
    worst: dict[str, Counter] = defaultdict(Counter)
    start = time.perf_counter()
    n = 0
    for language, pairs in sets.items():
        predicted = await predict(agent, [t for t, _ in pairs])
        n += len(pairs)
        score(language, pairs, predicted)
        for p, (_, gold) in zip(predicted, pairs):
            if p != gold:
                worst[language][f"{gold}->{p}"] += 1
    english = shared_english()
    if english:
        predicted = await predict(agent, [t for t, _ in english])
        n += len(english)
        score("intents_en_dev.tsv", english, predicted)
        oos = [(p, g) for p, (_, g) in zip(predicted, english) if g == "out_of_scope"]
        recall = sum(p == "out_of_scope" for p, _ in oos) / len(oos)
        print(f"{'  out-of-scope recall':<24}{len(oos):>7}{recall:>10.3f}")
        per_intent: dict[str, list[bool]] = defaultdict(list)
        for p, (_, g) in zip(predicted, english):
            per_intent[g].append(p == g)
        for intent, hits in sorted(per_intent.items()):
            print(f"    {intent:<20}{len(hits):>7}{sum(hits) / len(hits):>10.3f}")
    elapsed = time.perf_counter() - start
    print(f"\nparse time: {elapsed / max(n, 1) * 1000:.1f} ms per message ({n} messages)")
    for language, errors in worst.items():
        common = ", ".join(f"{k} x{v}" for k, v in errors.most_common(5))
        print(f"most frequent confusions ({language}): {common}")


if __name__ == "__main__":
    asyncio.run(main())
