"""Benchmark: how much the text clean-up changes text that was right to begin with, and what it mends.

    python bench/noharm.py [CALLS.jsonl] [--units UNITS.csv] [--examples N] [--transcripts HYP.jsonl]

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
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("calls", nargs="?", default=str(SHARED / "corpus/dev/calls.jsonl"))
    parser.add_argument("--units", default=str(SHARED / "corpus/units.csv"), help="the directory (units.csv)")
    parser.add_argument("--examples", type=int, default=8, help="examples shown per step")
    parser.add_argument("--transcripts", help="transcripts with words of some of the calls, to score the fixes")
    args = parser.parse_args()

    from assistant.centre import active_centre
    from assistant.lexicon.units import load_units
    from assistant.text.clean import Cleaner

    cleaner = Cleaner(active_centre(), load_units(args.units))
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
