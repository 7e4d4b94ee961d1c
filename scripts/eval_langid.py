"""Language-detection accuracy on data the detector was not built from.

* ../shared/eval/langid_dev.tsv: Tatoeba sentences (en zh fr es pt it ja ko);
* tests/language/langid_chat.tsv: our held-out chat messages, 14 languages, mostly 1-3 words.

Prints accuracy overall, per language and on messages of at most three words, and the mean
and 95th-percentile time per message.  Options:

  --baseline      also raw langdetect (seeded Detector, all 55 languages / only ours)
  --conversation  how often a confident message would switch the conversation's language
                  rightly or wrongly, per confidence threshold (see bot/language/conversation.py)
  --errors N      print up to N misdetected messages per file

`python scripts/eval_langid.py [--baseline] [--conversation] [--errors 20] [files...]`
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.language.codes import SUPPORTED, normalize  # noqa: E402
from bot.language.detection import Detection, detect, warm_up  # noqa: E402

SHARED_DEV = ROOT.parent / "shared" / "eval" / "langid_dev.tsv"
CHAT = ROOT / "tests" / "language" / "langid_chat.tsv"
SHORT_WORDS = 3
THRESHOLDS = (0.5, 0.75, 0.85, 0.9, 0.95, 0.99)


def load(path: Path) -> list[tuple[str, str]]:
    """(language, text) rows of a TSV file with a `lang` and a `text` column."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(normalize(row["lang"]), row["text"]) for row in reader if row.get("text")]


def _langdetect_engines() -> dict[str, Callable[[str], str]]:
    """Raw langdetect as shipped: its sampling Detector, seeded, on all 55 profiles, and the
    same restricted to our languages' profiles."""
    import os

    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    full = DetectorFactory()
    full.load_profile(PROFILES_DIRECTORY)
    ours = {"zh-cn", "zh-tw", *SUPPORTED}
    restricted = DetectorFactory()
    profiles = []
    for name in sorted(os.listdir(PROFILES_DIRECTORY)):
        if name in ours:
            profiles.append((Path(PROFILES_DIRECTORY) / name).read_text(encoding="utf-8"))
    restricted.load_json_profile(profiles)

    def engine(factory: DetectorFactory) -> Callable[[str], str]:
        def run(text: str) -> str:
            detector = factory.create()
            detector.append(text)
            try:
                return normalize(detector.detect())
            except LangDetectException:
                return ""

        return run

    return {"langdetect (55 languages)": engine(full), "langdetect (our 14 only)": engine(restricted)}


def report(
    name: str, rows: list[tuple[str, str]], predict: Callable[[str], str], words: list[int], errors: int
) -> None:
    correct, total = Counter(), Counter()
    short_correct = short_total = 0
    times, wrong = [], []
    for (gold, text), count in zip(rows, words):
        start = time.perf_counter()
        predicted = predict(text)
        times.append((time.perf_counter() - start) * 1000)
        total[gold] += 1
        hit = predicted == gold
        correct[gold] += hit
        if count <= SHORT_WORDS:
            short_total += 1
            short_correct += hit
        if not hit:
            wrong.append((gold, predicted, text))
    n = sum(total.values())
    times.sort()
    print(f"  {name}")
    print(
        f"    accuracy {sum(correct.values()) / n:.3f} (n={n})   "
        f"<= {SHORT_WORDS} words {short_correct / max(short_total, 1):.3f} (n={short_total})   "
        f"ms/message mean {statistics.fmean(times):.2f} p95 {times[int(0.95 * (len(times) - 1))]:.2f}"
    )
    print("    " + "  ".join(f"{lang} {correct[lang] / total[lang]:.3f}" for lang in sorted(total)))
    for gold, predicted, text in wrong[:errors]:
        print(f"      {gold} -> {predicted or '?'}: {text}")


def conversation(rows: list[tuple[str, str]]) -> None:
    """Messages of 4+ words in a language other than the conversation's (a random other
    supported Latin-script language, as prior): how often they would switch rightly, wrongly
    or not at all; and, with their own language as prior, how often they would switch away."""
    latin = ["en", "es", "fr", "de", "pt", "it", "tr", "nl", "pl"]
    rng = random.Random(7)
    cases: list[tuple[str, str, Detection, Detection]] = []
    for gold, text in rows:
        if gold not in latin:
            continue
        current = rng.choice([lang for lang in latin if lang != gold])
        other, same = detect(text, prior=current), detect(text, prior=gold)
        if other.script == "latin" and other.words > SHORT_WORDS:
            cases.append((gold, current, other, same))
    print(f"  conversation switches, {len(cases)} Latin-script messages of {SHORT_WORDS + 1}+ words")
    for threshold in THRESHOLDS:
        right = wrong = missed = away = 0
        for gold, current, other, same in cases:
            if other.language != current and other.confidence >= threshold:
                right += other.language == gold
                wrong += other.language != gold
            else:
                missed += 1
            away += same.language != gold and same.confidence >= threshold
        print(
            f"    threshold {threshold:.2f}: right {right}  wrong {wrong}  missed {missed}  "
            f"| same-language message switching away {away}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help=f"default: {SHARED_DEV} and {CHAT}")
    parser.add_argument("--baseline", action="store_true", help="also raw langdetect")
    parser.add_argument("--conversation", action="store_true", help="switching thresholds")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print N errors per file")
    args = parser.parse_args(argv)

    files = args.files or [SHARED_DEV, CHAT]
    start = time.perf_counter()
    warm_up()
    print(f"langdetect profiles loaded in {time.perf_counter() - start:.2f} s")
    engines: dict[str, Callable[[str], str]] = {"bot.language.detect": lambda text: detect(text).language}
    if args.baseline:
        engines.update(_langdetect_engines())
    found = 0
    for path in files:
        if not path.exists():
            print(f"{path}: not found, skipped")
            continue
        found += 1
        rows = load(path)
        words = [detect(text).words for _, text in rows]
        print(f"{path.name}")
        for name, predict in engines.items():
            report(name, rows, predict, words, args.errors)
        if args.conversation:
            conversation(rows)
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
