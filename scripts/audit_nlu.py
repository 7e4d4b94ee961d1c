"""Find likely label noise in the NLU training data by cross-validation.

    .venv/bin/python scripts/audit_nlu.py ko nl pl ru tr [--folds 5] [--min-confidence 0.6]

Each listed language is split into folds; for every fold the production classifier (same tokenizer,
features and C as config.yml) is fitted on all fourteen files minus that fold of each listed language,
which is closest to how the model is trained.  An example whose label disagrees with a confident
out-of-fold prediction is printed with its file and line, for a person to judge against the labelling
guide (data/nlu/README.md).  It also lists texts that appear under two intents across all files.
Only training data is read: the evaluation sets are never opened here.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "data" / "nlu"

_INTENT = re.compile(r"^- intent:\s*(\S+)")
_EXAMPLE = re.compile(r"^\s+- (.*)$")
# [phrase](entity) or [phrase]{"entity": ...}: the classifier sees only the phrase
_ENTITY = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


@dataclass
class Example:
    language: str
    line: int
    intent: str
    text: str


def read_examples(path: Path) -> list[Example]:
    """The examples of one NLU file with their line numbers (1-based), entity markup removed."""
    examples, intent, in_examples = [], None, False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if found := _INTENT.match(line):
            intent, in_examples = found.group(1), False
        elif line.strip() == "examples: |":
            in_examples = True
        elif in_examples and intent and (found := _EXAMPLE.match(line)):
            examples.append(Example(path.stem, number, intent, _ENTITY.sub(r"\1", found.group(1)).strip()))
        elif line and not line.startswith(" "):
            intent, in_examples = None, False
    return examples


def documents(examples: list[Example]) -> list[tuple[str, str]]:
    """The classifier's input for each example, built with the pipeline's own tokenizer."""
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa.tfidf_classifier import _document
    from bot.rasa.tokenizer import MultilingualTokenizer

    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    out = []
    for example in examples:
        message = Message(data={TEXT: example.text})
        message.set(TOKENS_NAMES[TEXT], tokenizer.tokenize(message, TEXT))
        out.append(_document(message))
    return out


def production_c() -> float:
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("TfidfIntentClassifier"):
            return float(component.get("C", 10.0))
    return 10.0


def cross_validate(
    examples: list[Example], languages: list[str], folds: int
) -> dict[int, tuple[str, float, float]]:
    """Out-of-fold (predicted intent, its probability, probability of the given label) per index."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from bot.rasa.tfidf_classifier import TfidfIntentClassifier

    config = {**TfidfIntentClassifier.get_default_config(), "C": production_c()}
    docs, labels = documents(examples), np.array([e.intent for e in examples])
    fold_of = np.full(len(examples), -1)
    for language in languages:
        index = np.array([i for i, e in enumerate(examples) if e.language == language])
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        for k, (_, test) in enumerate(splitter.split(index, labels[index])):
            fold_of[index[test]] = k
    out = {}
    for k in range(folds):
        train = np.flatnonzero(fold_of != k)
        test = np.flatnonzero(fold_of == k)
        model = TfidfIntentClassifier(config, None, None)._new_model()  # type: ignore[arg-type]
        model.fit([docs[i] for i in train], labels[train])
        classes = list(model.classes_)
        probabilities = model.predict_proba([docs[i] for i in test])
        for i, row in zip(test, probabilities):
            best = int(row.argmax())
            out[int(i)] = (classes[best], float(row[best]), float(row[classes.index(labels[i])]))
        print(f"fold {k + 1}/{folds} done", file=sys.stderr)
    return out


def clashes(examples: list[Example]) -> list[tuple[str, list[Example]]]:
    """Texts (ignoring case and punctuation) that carry more than one intent across all files."""
    groups: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        # emoji-only lines have no word characters: they are compared as written
        key = re.sub(r"\W+", " ", example.text.lower()).strip() or example.text.strip()
        groups[key].append(example)
    return [(key, group) for key, group in groups.items() if len({e.intent for e in group}) > 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("languages", nargs="+", help="language codes whose files are audited, e.g. ko nl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-confidence", type=float, default=0.6, help="of the disagreeing prediction")
    args = parser.parse_args(argv)
    files = sorted(DATA.glob("*.yml"))
    known = {p.stem for p in files}
    unknown = [code for code in args.languages if code not in known]
    if unknown:
        parser.error(f"no training file for {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if args.folds < 2:
        parser.error("--folds must be at least 2")

    examples = [e for path in files for e in read_examples(path)]
    predictions = cross_validate(examples, args.languages, args.folds)
    for language in args.languages:
        scored = [(i, p) for i, p in predictions.items() if examples[i].language == language]
        correct = sum(examples[i].intent == p[0] for i, p in scored)
        suspects = sorted(
            ((i, p) for i, p in scored if p[0] != examples[i].intent and p[1] >= args.min_confidence),
            key=lambda item: -item[1][1],
        )
        print(f"\n== {language}: out-of-fold accuracy {correct / len(scored):.3f}, {len(suspects)} suspects")
        for i, (predicted, confidence, given) in suspects:
            e = examples[i]
            verdict = f"{e.intent} -> {predicted} {confidence:.2f} (given {given:.2f})"
            print(f"{e.language}.yml:{e.line}\t{verdict}\t{e.text}")
    found = clashes(examples)
    print(f"\n== same text under different intents: {len(found)}")
    for key, group in found:
        print(key, "|", ", ".join(f"{e.language}.yml:{e.line} {e.intent}" for e in group))
    return 0


if __name__ == "__main__":
    sys.exit(main())
