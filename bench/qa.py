"""Benchmark: the QA checklist against the checks a person marked on calls written for the project.

    python bench/qa.py [--calls bench/qa_calls.jsonl] [--centre DIR] [--show]

Each call of ``qa_calls.jsonl`` (id, split, note, turns with spk/text, checks: the four items as a person marks
them) is made a transcript, read by the drafting's ``turns_of`` (Simplified characters, numerals as digits) and
checked with the centre's script (default: the demo centre shipped with the program). Prints, for each check and
each part (``dev``: the calls the checks were built on; ``test``: calls held out until the checks were built;
``fresh``: calls written after that), the precision and recall of a pass and of a failure, beside the former
checklist (fixed patterns: a greeting that opens with 您好 and names 工号 after the hotline, any confirmed operator
turn with a phone number, any confirmed read-back, a time word in the last two operator turns). ``--show`` lists
every call a check judged otherwise than the person, with its evidence.

Marking conventions (what the person checked):

- greeting: in the operator's first two turns, a salutation (您好, 你好, 早上好 …), this centre's hotline by
  number or name (in full or in part), and a staff number of the centre's length (工号 N, N号话务员); any order;
- phone_readback: the operator says the caller's whole number back and the caller confirms it (a number
  read wrong counts once read again and confirmed; the last four digits alone do not count);
- demand_confirmed: the operator restates the caller's matter or what they want, and the caller agrees (the
  place and time alone, or the phone number, are no restatement);
- closing_time_limit: at the close the operator says when the caller will hear back (a time limit, a date, 明天
  下班前); 尽快, 过几天, or when the ticket is sent do not count; a call the operator says is answered on the
  spot (当场答复, 本次不转办) passes, nothing being left to hear back about.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.centre import load_centre  # noqa: E402
from assistant.centre.profile import shipped_centre_folder  # noqa: E402
from assistant.draft.extract.phone import PHONE  # noqa: E402
from assistant.draft.text import Turn, turns_of  # noqa: E402
from assistant.review.qa import CHECKS, run_checks  # noqa: E402
from assistant.transcript.model import Segment, Speaker, Transcript  # noqa: E402

CALLS = ROOT / "bench" / "qa_calls.jsonl"
SPLITS = ("dev", "test", "fresh")  # built on; held out until built; written after the checks were done


def transcript(call: dict) -> Transcript:
    segments = tuple(Segment(Speaker(t["spk"]), 5.0 * i, 5.0 * i + 4.0, t["text"], 0.9)
                     for i, t in enumerate(call["turns"]))
    return Transcript(call["id"], "", 5.0 * len(segments), "op-left", segments)


def former_checks(turns: list[Turn], script) -> dict[str, bool]:
    """The checklist as it was before the script-driven checks: fixed patterns, the first operator turn only."""
    said = sorted({*(h.number for h in script.hotlines), *(n for h in script.hotlines for n in h.names), "热线"},
                  key=len, reverse=True)
    greeting = re.compile(rf"(您好|你好|早上好|下午好|晚上好).{{0,20}}({'|'.join(map(re.escape, said))})"
                          r".{0,12}工号\s*\d{3,}")
    limit = re.compile(r"(\d+|[一二三四五六七八九十两]+)\s*(个)?(工作日|小时|天)内|今天内|尽快|马上")
    ops = [t for t in turns if t.speaker == Speaker.OPERATOR]
    return {"greeting": bool(ops and greeting.search(ops[0].text)),
            "phone_readback": any(PHONE.search(t.text) and t.confirmed for t in ops),
            "demand_confirmed": any(t.readback and t.confirmed for t in ops),
            "closing_time_limit": any(limit.search(t.text) for t in ops[-2:])}


def rates(pairs: list[tuple[bool, bool]], positive: bool) -> tuple[float, float]:
    """Precision and recall of judging ``positive`` (gold, judged pairs); 1.0 where nothing was to find."""
    hit = sum(g == positive and j == positive for g, j in pairs)
    judged = sum(j == positive for _, j in pairs)
    gold = sum(g == positive for g, _ in pairs)
    return (hit / judged if judged else 1.0), (hit / gold if gold else 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=Path, default=CALLS, help="marked calls (JSON Lines)")
    parser.add_argument("--centre", type=Path, default=shipped_centre_folder(), help="centre profile folder")
    parser.add_argument("--show", action="store_true", help="list the calls judged otherwise, with evidence")
    args = parser.parse_args()
    script = load_centre(args.centre).script
    calls = [json.loads(line) for line in args.calls.read_text(encoding="utf-8").splitlines() if line.strip()]
    new: dict[str, dict[str, list]] = {}
    old: dict[str, dict[str, list]] = {}
    misses = []
    for call in calls:
        turns = turns_of(transcript(call))
        results = {r.key: r for r in run_checks(turns, script)}
        before = former_checks(turns, script)
        for key, _ in CHECKS:
            gold = bool(call["checks"][key])
            for split in (call["split"], "all"):
                new.setdefault(split, {}).setdefault(key, []).append((gold, results[key].passed))
                old.setdefault(split, {}).setdefault(key, []).append((gold, before[key]))
            if results[key].passed != gold:
                misses.append((call["id"], call["split"], key, gold, results[key].evidence))
    print(f"{len(calls)} calls ({', '.join(f'{s} {len(new[s][CHECKS[0][0]])}' for s in SPLITS if s in new)}); "
          f"centre {args.centre}")
    print("| part | check | calls | passed (person) | P pass | R pass | P fail | R fail | former P pass | "
          "former R pass | former P fail | former R fail |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for split in [*sorted({c["split"] for c in calls}, key=SPLITS.index), "all"]:
        for key, label in CHECKS:
            pairs, before = new[split][key], old[split][key]
            figures = [*rates(pairs, True), *rates(pairs, False), *rates(before, True), *rates(before, False)]
            print(f"| {split} | {label} | {len(pairs)} | {sum(g for g, _ in pairs)} | "
                  + " | ".join(f"{x:.2f}" for x in figures) + " |")
    if args.show:
        for cid, split, key, gold, evidence in misses:
            print(f"{cid} ({split}) {key}: person {'通过' if gold else '未通过'}, checklist "
                  f"{'未通过' if gold else '通过'} — {evidence}")
    print(f"{len(misses)} judgements differ from the person's", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
