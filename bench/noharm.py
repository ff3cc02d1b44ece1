"""Benchmark: how much the text clean-up changes text that was right to begin with, and what it mends.

    python bench/noharm.py [CALLS.jsonl] [--units UNITS.csv] [--examples N] [--transcripts HYP.jsonl]
    python bench/noharm.py --cross-validate --transcripts HYP.jsonl [--read-speech HYP.jsonl]

Every gold turn of the calls (what was actually said; default ``../shared/corpus/dev/calls.jsonl``) goes
through the whole clean-up (``assistant.text.clean.Cleaner`` with the directory of ``--units``, default
``../shared/corpus/units.csv``). The first line printed is the share of characters it changed; then, step by
step, the turns it changed most, as the turn read before and after that step.

What counts as a change: both texts without punctuation and spaces (the gold turns have punctuation, the
clean-up adds its own where Whisper wrote none, and neither is a word), and every run of numerals, Chinese or
Arabic, taken as one token (digits in place of spoken numerals are the clean-up's intended normalisation). The
changed characters are the edit distance between the two; N counts the gold's characters outside numerals.

``--transcripts``: transcripts of some of these calls with each segment's words as Whisper wrote them
(``hotline transcribe --format jsonl``); each segment's words are cleaned again with the code as it is now and
both the raw words and the cleaned text are scored with ``shared/tools/score.py cer`` against the gold, so the
fixes of real mishearings are measured with the same code (the second look at phone numbers is not run again).

``--cross-validate`` chooses the homophone pass's margin and tone costs (``lexicon/homophones.py``) over a grid,
by five folds of the calls (the n-th call of the file in fold n mod 5; the clips of ``--read-speech``, transcripts
with words of ``../shared/corpus/aishell``, likewise): on four folds, the setting with the fewest character errors
in the cleaned transcripts among those that change at most ``--limit`` of the gold's characters, measured on the
fifth. Prints each fold's choice and what it gave on the held-out fold, then the choice on all five folds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scoring import ROOT, SHARED, score_cer

sys.path.insert(0, str(ROOT))

_PUNCT = re.compile(r"[\s，。？！、；：,.?!;:…\"“”'‘’()（）《》<>\-—~～·]")
_NUMERALS = re.compile(r"[0-9零〇一二三四五六七八九十百千万亿两幺]+(?:[点.][0-9零〇一二三四五六七八九十]+)?")
NUMBER = "#"


def comparable(text: str) -> str:
    """``text`` as the count sees it: no punctuation, every numeral run one ``#``."""
    return _NUMERALS.sub(NUMBER, _PUNCT.sub("", text))


def counted(text: str) -> int:
    """Characters of ``text`` that are counted: not punctuation, not a numeral."""
    return sum(c != NUMBER for c in comparable(text))


def changed(before: str, after: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(comparable(before), comparable(after))


def differences(before: str, after: str, context: int = 6) -> str:
    """The changed places of ``before`` → ``after`` (as the count sees them), each with a little context."""
    from rapidfuzz.distance import Levenshtein

    a, b = comparable(before), comparable(after)
    parts = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        lo, hi = max(0, op.src_start - context), op.src_end + context
        parts.append(f"{a[lo:hi]} → {a[lo:op.src_start]}{b[op.dest_start:op.dest_end]}{a[op.src_end:hi]}")
    return "；".join(parts)


@dataclass(frozen=True)
class Step:
    name: str
    apply: Callable[[str], str]


def steps(cleaner) -> list[Step]:
    """The steps of ``clean_text`` in its order, each on its own, so that a change is put down to its step; the
    composition is checked against ``Cleaner.clean`` for every turn (see ``trace``)."""
    from assistant.lexicon.correct import fix_phrases
    from assistant.text import normalize
    from assistant.text.hallucinations import collapse_loops, strip_hallucinations
    from assistant.text.phone import fix_phone_number
    from assistant.text.script import fix_greeting_closing, fix_hotline_numbers, fix_staff_number

    script = cleaner.centre.script
    chain = [
        Step("繁简转换", normalize.to_simplified),
        Step("幻觉与循环", lambda t: collapse_loops(strip_hallucinations(t))),
        Step("标点", normalize.punctuate),
        Step("工号", lambda t: fix_staff_number(t, script.staff_number_digits)),
        Step("数字规范", normalize.normalize_numbers),
        Step("电话号码", fix_phone_number),
        Step("热线号码", lambda t: fix_hotline_numbers(t, script)),
        Step("开场白", fix_greeting_closing),
        Step("短语规则", fix_phrases),
        Step("名称吸附", cleaner.corrector.correct),
    ]
    if cleaner.homophones is not None:
        chain.append(Step("同音词", cleaner.homophones.correct))
    chain.append(Step("句末标点", normalize.end_sentence))
    return chain


def trace(chain: list[Step], text: str) -> list[tuple[str, str, str]]:
    """(step, before, after) of every step that changed ``text``."""
    out = []
    for step in chain:
        after = step.apply(text)
        if after != text:
            out.append((step.name, text, after))
        text = after
    return out


def gold_turns(path: Path) -> list[tuple[str, str]]:
    """(call id, text) of every turn."""
    with path.open(encoding="utf-8") as f:
        calls = [json.loads(line) for line in f if line.strip()]
    return [(call["id"], turn["text"]) for call in calls for turn in call["turns"]]


def no_harm(cleaner, turns: list[tuple[str, str]]) -> dict:
    """Changed characters in all and by step, and every step's changes: {"chars", "changed", "by_step",
    "examples": {step: [(edits, call id, before, after)]}}."""
    chain = steps(cleaner)
    total = edits = 0
    by_step: dict[str, int] = defaultdict(int)
    examples: dict[str, list] = defaultdict(list)
    for cid, text in turns:
        cleaned = cleaner.clean(text)
        total += counted(text)
        edits += changed(text, cleaned)
        traced = trace(chain, text)
        if (traced[-1][2] if traced else text) != cleaned and cleaned:
            raise SystemExit(f"the steps of bench/noharm.py no longer compose to Cleaner.clean: {text!r}")
        for name, before, after in traced:
            n = changed(before, after)
            if n:
                by_step[name] += n
                examples[name].append((n, cid, before, after))
    return {"chars": total, "changed": edits, "by_step": dict(by_step), "examples": dict(examples)}


def _cleaned_transcripts(cleaner, hyp: Path, out: Path) -> tuple[Path, Path, list[str]]:
    """Two HYP files from transcripts with words: the raw words, and the words cleaned now."""
    raw_rows, clean_rows, ids = [], [], []
    with hyp.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            ids.append(t["id"])
            raw_segs, clean_segs = [], []
            for seg in t["segments"]:
                raw = "".join(w["text"] for w in seg.get("words", ()))
                raw_segs.append({"speaker": seg["speaker"], "text": raw})
                clean_segs.append({"speaker": seg["speaker"], "text": cleaner.clean(raw)})
            for rows, segs in ((raw_rows, raw_segs), (clean_rows, clean_segs)):
                rows.append({"id": t["id"], "text": "".join(s["text"] for s in segs), "segments": segs})
    paths = []
    for name, rows in (("raw", raw_rows), ("cleaned", clean_rows)):
        path = out / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], ids


def _gold_subset(calls: Path, ids: list[str], out: Path) -> Path:
    wanted = set(ids)
    path = out / "gold.jsonl"
    with calls.open(encoding="utf-8") as f:
        path.write_text("".join(line for line in f if line.strip() and json.loads(line)["id"] in wanted),
                        encoding="utf-8")
    return path


GRID = {"MARGIN": (5.0, 5.5, 6.0, 6.5), "CONFUSABLE_TONE_COST": (1.0, 2.0, 3.0),
        "OTHER_TONE_COST": (4.0, 5.0, 6.0, float("inf"))}
FOLDS = 5


def _raw_segments(path: Path) -> list[tuple[str, list[str]]]:
    """(id, Whisper's words of each segment) of transcripts with words."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(t["id"], ["".join(w["text"] for w in seg.get("words", ())) for seg in t["segments"]]) for t in rows]


def cross_validate(cleaner, calls: Path, transcripts: Path, read_speech: Path | None, limit: float) -> None:
    """Print the settings of ``GRID`` each fold chooses, what they gave on the held-out fold, and the choice on all
    folds (see the module's docstring)."""
    import score  # shared/tools/score.py, for its normalisation of texts
    from rapidfuzz.distance import Levenshtein

    from assistant.lexicon import homophones
    from assistant.text.clean import clean_text

    def before_homophones(text: str) -> str:  # the homophone pass comes last but for the full stop
        return clean_text(text, cleaner.corrector, None, script=cleaner.centre.script)

    def errors(ref: str, segments: list[str]) -> int:
        return Levenshtein.distance(score.normalize(ref), score.normalize("".join(map(cleaner.homophones.correct,
                                                                                        segments))))

    with calls.open(encoding="utf-8") as f:
        gold = [json.loads(line) for line in f if line.strip()]
    fold = {call["id"]: i % FOLDS for i, call in enumerate(gold)}
    reference = {call["id"]: score.gold_text(call) for call in gold}
    turns = [(call["id"], t["text"], before_homophones(t["text"])) for call in gold for t in call["turns"]]
    heard = [(cid, [before_homophones(s) for s in segs]) for cid, segs in _raw_segments(transcripts)]
    read: list[tuple[str, list[str]]] = []
    if read_speech:
        refs = dict(score.load(str(SHARED / "corpus/aishell/refs.tsv")))
        order = {key: i % FOLDS for i, key in enumerate(refs)}
        read = [(cid, [before_homophones(s) for s in segs]) for cid, segs in _raw_segments(read_speech)]
        reference.update({key: score.gold_text(call) for key, call in refs.items()})
        fold.update({key: order[key] for key, _ in read})

    table = {}  # setting → per fold: [changed, characters, errors]
    for setting in itertools.product(*GRID.values()):
        for name, value in zip(GRID, setting, strict=True):
            setattr(homophones, name, value)
        per_fold = [[0, 0, 0] for _ in range(FOLDS)]
        for cid, text, before in turns:
            per_fold[fold[cid]][0] += changed(text, cleaner.homophones.correct(before))
            per_fold[fold[cid]][1] += counted(text)
        for cid, segments in (*heard, *read):
            per_fold[fold[cid]][2] += errors(reference[cid], segments)
        table[setting] = per_fold

    def choose(folds: list[int]) -> tuple:
        def total(setting, k):
            return sum(table[setting][f][k] for f in folds)

        allowed = [s for s in table if total(s, 0) <= limit * total(s, 1)]
        return min(allowed, key=lambda s: (total(s, 2), total(s, 0), -s[0]))

    names = ", ".join(GRID)
    held = [0, 0, 0]
    for k in range(FOLDS):
        setting = choose([f for f in range(FOLDS) if f != k])
        c, n, e = table[setting][k]
        held = [held[0] + c, held[1] + n, held[2] + e]
        print(f"fold {k}: {names} = {setting}; held out: changed {c} of {n} characters ({100 * c / n:.3f} %), "
              f"{e} errors on Whisper's words")
    print(f"held out, all folds: changed {100 * held[0] / held[1]:.3f} %, {held[2]} errors")
    setting = choose(list(range(FOLDS)))
    c, n, e = (sum(table[setting][f][k] for f in range(FOLDS)) for k in range(3))
    print(f"all folds: {names} = {setting}: changed {100 * c / n:.3f} %, {e} errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("calls", nargs="?", default=str(SHARED / "corpus/dev/calls.jsonl"))
    parser.add_argument("--units", default=str(SHARED / "corpus/units.csv"), help="the directory (units.csv)")
    parser.add_argument("--examples", type=int, default=8, help="examples shown per step")
    parser.add_argument("--transcripts", help="transcripts with words of some of the calls, to score the fixes")
    parser.add_argument("--cross-validate", action="store_true", help="choose the homophone pass's settings")
    parser.add_argument("--read-speech", help="with --cross-validate: transcripts with words of the aishell clips")
    parser.add_argument("--limit", type=float, default=0.0005, help="share of characters a setting may change")
    args = parser.parse_args()

    from assistant.centre import active_centre
    from assistant.lexicon.units import load_units
    from assistant.text.clean import Cleaner

    cleaner = Cleaner(active_centre(), load_units(args.units))
    if args.cross_validate:
        if not args.transcripts:
            raise SystemExit("--cross-validate needs --transcripts")
        sys.path.insert(0, str(SHARED / "tools"))
        read = Path(args.read_speech) if args.read_speech else None
        cross_validate(cleaner, Path(args.calls), Path(args.transcripts), read, args.limit)
        return
    result = no_harm(cleaner, gold_turns(Path(args.calls)))
    share = 100 * result["changed"] / max(result["chars"], 1)
    print(f"changed: {share:.2f} % of {result['chars']} characters (numbers excluded)")
    for name, n in sorted(result["by_step"].items(), key=lambda kv: -kv[1]):
        print(f"\n## {name}: {n} characters in {len(result['examples'][name])} turns")
        for edits, cid, before, after in sorted(result["examples"][name], key=lambda e: -e[0])[: args.examples]:
            print(f"{cid} ({edits}) {differences(before, after)}")
    if args.transcripts:
        with tempfile.TemporaryDirectory(prefix="noharm-") as tmp:
            raw, cleaned, ids = _cleaned_transcripts(cleaner, Path(args.transcripts), Path(tmp))
            gold = _gold_subset(Path(args.calls), ids, Path(tmp))
            before, after = score_cer(gold, raw), score_cer(gold, cleaned)
        print(f"\nCER of {len(ids)} calls: Whisper's words {before['cer']:.4f}, cleaned {after['cer']:.4f}"
              f" (SPK-CER {before['spk']:.4f} → {after['spk']:.4f})")


if __name__ == "__main__":
    main()
