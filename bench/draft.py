"""Benchmark: drafting every call of corpus/dev from the gold turns and from the ASR transcripts.

    python bench/draft.py [--calls CALLS.jsonl] [--transcripts HYP.jsonl | --gold-only] [--models DIR]
                          [--out DIR]

``--calls`` scores another calls file of the same format instead of the dev calls (``bench/calls/heldout.jsonl``:
calls written apart from the dev calls, to see whether drafting generalises); its audio, when it has any, is
read beside it. ``--transcripts`` takes the hotline transcripts of the calls (``bench/asr.py`` leaves them in its
output folder as ``hotline-dev-gold.jsonl``; ``hotline transcribe --format jsonl`` writes the same); without
it the calls are transcribed here first, and with ``--gold-only`` the ASR column is left out. With transcripts of
only some calls, both columns are scored on those calls alone, and the table says how many. Prints score.py's
per-field table, ms per draft (ASR excluded), classifier load time and peak memory, and the shipped classifiers
on the calls' tickets; ``--models`` drafts with the classifiers of another models folder (one trained into a
temporary folder from changed seed data, say) instead of the centre's.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from scoring import ROOT, SCORE, SHARED

sys.path.insert(0, str(ROOT))


def _gold_transcript(call):
    from assistant.transcript.model import Segment, Transcript

    segments = tuple(Segment(t["spk"], t["start"], t["end"], t["text"], 1.0) for t in call["turns"])
    return Transcript(id=call["id"], source=call.get("audio") or "", duration=call["duration"], channels="op-left",
                      segments=segments)


def _score(gold: Path, hyp: Path) -> tuple[dict[str, float], float, str]:
    text = subprocess.run([sys.executable, str(SCORE), "draft", str(gold), str(hyp)], capture_output=True,
                          text=True, check=True).stdout
    fields = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+)\t\d+/\d+\t([\d.]+)$", text, re.M)}
    mean = float(re.search(r"^FIELDS ([\d.]+)", text, re.M).group(1))
    return fields, mean, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", help="calls file in the format of corpus/dev/calls.jsonl (default: the dev calls)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--transcripts", help="hotline transcripts of the calls (JSONL)")
    source.add_argument("--gold-only", action="store_true", help="draft from the gold turns alone, no ASR column")
    parser.add_argument("--models", help="a models folder with appeal_type/category/urgency (default: the centre's)")
    parser.add_argument("--out", help="folder for the HYP files (default: a temporary folder)")
    args = parser.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="bench-draft-"))
    out.mkdir(parents=True, exist_ok=True)

    from assistant.draft.drafter import Drafter
    from assistant.draft.model import CallContext
    from assistant.lexicon.units import load_units
    from assistant.transcript.model import Transcript

    gold_path = Path(args.calls) if args.calls else SHARED / "corpus/dev/calls.jsonl"
    calls = [json.loads(line) for line in gold_path.open(encoding="utf-8")]
    directory = load_units(SHARED / "corpus/units.csv")
    t0 = time.perf_counter()
    drafter = Drafter(directory, models_folder=args.models)
    load_s = time.perf_counter() - t0

    if args.gold_only:
        asr = {c["id"]: None for c in calls}
    elif args.transcripts:
        asr = {t["id"]: Transcript.from_dict(t) for t in map(json.loads, Path(args.transcripts).open(encoding="utf-8"))}
    else:
        from assistant.asr.pipeline import Transcriber

        if not all(c.get("audio") for c in calls):
            raise SystemExit(f"{gold_path}: calls without audio; give --transcripts or --gold-only")
        transcriber = Transcriber(directory=directory)
        asr = {c["id"]: transcriber.transcribe_file(gold_path.parent / c["audio"]) for c in calls}
        with (out / "asr-transcripts.jsonl").open("w", encoding="utf-8") as f:
            for t in asr.values():
                f.write(json.dumps(t.to_dict(words=False), ensure_ascii=False) + "\n")
    if not asr.keys() & {c["id"] for c in calls}:
        raise SystemExit(f"{args.transcripts}: no transcript of any call in {gold_path}")
    if len(asr) < len(calls):  # score the calls that have a transcript, from both sources alike
        calls = [c for c in calls if c["id"] in asr]
        gold_path = out / "gold-subset.jsonl"
        gold_path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")

    # The jieba dictionary that the Drafter loads in the background (about 1.2 s, hidden behind the first call's
    # ASR in the product) is timed with the first draft, not averaged into the calls. Not every draft looks a word
    # up (a first call without a guessed surname does not), so a lookup after it waits for the load to finish.
    from assistant.classify.tokenize import word_frequency

    t0 = time.perf_counter()
    drafter.draft(_gold_transcript(calls[0]), CallContext(datetime.fromisoformat(calls[0]["call_start"]), True))
    word_frequency("医院")
    first_s = time.perf_counter() - t0

    results = {}
    sources = ("gold turns",) if args.gold_only else ("gold turns", "ASR")
    for source in sources:
        hyp = out / f"draft-{'gold' if source == 'gold turns' else 'asr'}.jsonl"
        elapsed = 0.0
        with hyp.open("w", encoding="utf-8") as f:
            for call in calls:
                transcript = _gold_transcript(call) if source == "gold turns" else asr[call["id"]]
                context = CallContext(datetime.fromisoformat(call["call_start"]), True, call.get("hotline"))
                t0 = time.perf_counter()
                draft = drafter.draft(transcript, context)
                elapsed += time.perf_counter() - t0
                f.write(json.dumps(draft.to_dict(), ensure_ascii=False) + "\n")
        results[source] = (*_score(gold_path, hyp), elapsed / len(calls) * 1000)

    fields = list(results["gold turns"][0])
    print(f"\nHYP files in {out}; {len(calls)} calls of {gold_path.name}\n")
    print("| field | " + " | ".join(f"from {s}" for s in sources) + " |")
    print("|---" * (len(sources) + 1) + "|")
    for name in fields:
        print(f"| {name} | " + " | ".join(f"{results[s][0][name]:.3f}" for s in sources) + " |")
    print("| **mean** | " + " | ".join(f"**{results[s][1]:.4f}**" for s in sources) + " |")
    print("| ms per draft (ASR excluded) | " + " | ".join(f"{results[s][3]:.1f}" for s in sources) + " |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nclassifier + directory load: {load_s:.2f} s; first draft right after it (waits for the dictionary "
          f"loading in the background): {first_s:.2f} s; peak RSS {peak:.0f} MB")

    from sklearn.metrics import accuracy_score, f1_score

    from assistant.draft.labels import _top

    print(f"\nClassifiers in use alone on the tickets of {gold_path.name} (text: the whole call, gold turns)\n")
    print("| label set | accuracy | macro-F1 |")
    print("|---|---|---|")
    for name, model in drafter.models.items():
        texts = ["".join(t["text"] for t in c["turns"]) for c in calls]
        truth = [c["ticket"][name] for c in calls]
        pred = [_top(model, t, 1)[0][0] for t in texts]
        print(f"| {name} | {accuracy_score(truth, pred):.3f} | {f1_score(truth, pred, average='macro'):.3f} |")


if __name__ == "__main__":
    main()
