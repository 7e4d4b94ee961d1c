"""`make eval`: how often the escalation trigger fires, per language.

* flagged rate on every training message in data/nlu/<lang>.yml: ordinary after-sales messages,
  so nearly every hand-over there is a false positive (a few lines really are threats, such as
  "refund me now or I'll file a chargeback": `-v` lists every flagged line to check by eye);
* recall on our own angry and legal messages (tests/bot/handoff/escalation_cases.yml): handed
  over, and for the right reason (legal or angry).

Plain Python with the real policy.yml thresholds; no model needed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = ROOT / "tests" / "bot" / "handoff" / "escalation_cases.yml"


def training_messages() -> dict[str, list[str]]:
    logging.getLogger("rasa").setLevel(logging.ERROR)
    from rasa.shared.nlu.training_data.loading import load_data

    return {
        path.stem: [m.get("text") for m in load_data(str(path)).intent_examples]
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
    }


def main() -> None:
    from bot.handoff.escalation import detect, languages
    from bot.policy import load_policy

    verbose = "-v" in sys.argv
    rules = load_policy().handoff
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    training = training_messages()
    print("escalation trigger (bot/handoff/escalation.py), thresholds from policy.yml")
    header = ("lang", "training", "flagged", "rate", "cases", "recall", "ordinary ok")
    print("{:<5} {:>8} {:>8} {:>7}   {:>5} {:>7} {:>12}".format(*header))
    worst_rate, worst_recall = 0.0, 1.0
    for language in languages():
        texts = training.get(language, [])
        flagged = [(t, e) for t in texts if (e := detect(t, language, rules))]
        rate = len(flagged) / len(texts) if texts else 0.0
        own = cases[language]
        wanted = [(t, reason) for reason in ("legal", "angry") for t in own[reason]]
        hits = sum(1 for t, reason in wanted if (e := detect(t, language, rules)) and e.reason == reason)
        recall = hits / len(wanted)
        calm = sum(1 for t in own["ordinary"] if detect(t, language, rules) is None)
        worst_rate, worst_recall = max(worst_rate, rate), min(worst_recall, recall)
        print(
            f"{language:<5} {len(texts):>8} {len(flagged):>8} {rate:>7.2%}   {len(wanted):>5} {recall:>7.2f}"
            f" {calm:>5}/{len(own['ordinary'])}"
        )
        if verbose:
            for text, found in flagged:
                print(f"        {found.reason:<5} {text!r}  {', '.join(found.cues)}")
            for text, reason in wanted:
                found = detect(text, language, rules)
                if not found or found.reason != reason:
                    print(f"        missed {reason}: {text!r} -> {found}")
    print(f"worst flagged rate {worst_rate:.2%}, worst recall {worst_recall:.2f}")


if __name__ == "__main__":
    main()
