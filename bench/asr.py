"""Benchmark: the hotline pipeline vs plain faster-whisper on phone calls and read speech.

    python bench/asr.py [--limit N] [--aishell-limit M] [--set key=value ...] [--skip-plain] [--out DIR]

Plain faster-whisper runs as a user would run it: the same model, ``language="zh"``, ``vad_filter=True``,
everything else default, the file as it is (stereo downmixed). Both are scored by ``shared/tools/score.py
cer``. Each system runs in its own process so its peak memory is its own. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import fields, replace
from pathlib import Path

from scoring import ROOT, SHARED, score_cer


def _run_system(system: str, items: list[tuple[str, str]], out: str, overrides: dict, units: str | None):
    """Child process: transcribe every (id, path) and write HYP JSONL; return (wall seconds, peak RSS MB)."""
    sys.path.insert(0, str(ROOT))
    from assistant.asr.model import load_model

    wall = 0.0
    with open(out, "w", encoding="utf-8") as f:
        if system == "plain":
            model = load_model(None)
            for cid, path in items:
                t0 = time.perf_counter()
                segments, _ = model.transcribe(path, language="zh", vad_filter=True)
                text = "".join(s.text for s in segments)
                wall += time.perf_counter() - t0
                f.write(json.dumps({"id": cid, "text": text}, ensure_ascii=False) + "\n")
        else:
            from assistant.asr.options import AsrOptions
            from assistant.asr.pipeline import Transcriber
            from assistant.lexicon.units import load_units

            options = AsrOptions(**overrides)
            transcriber = Transcriber(options, load_units(units) if units else None)
            for cid, path in items:
                t0 = time.perf_counter()
                transcript = transcriber.transcribe_file(path)
                wall += time.perf_counter() - t0
                data = transcript.to_dict(words=False)
                data["id"] = cid
                f.write(json.dumps(data, ensure_ascii=False) + "\n")
    return wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(system: str, items, hyp: Path, overrides: dict, units: str | None) -> tuple[float, float]:
    """Run one system in a fresh interpreter, so that its peak memory is its own."""
    job = hyp.with_suffix(".job.json")
    job.write_text(json.dumps({"system": system, "items": items, "out": str(hyp), "overrides": overrides,
                               "units": units}), encoding="utf-8")
    done = subprocess.run([sys.executable, __file__, "--child", str(job)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{system} failed:\n{done.stderr}")
    wall, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, peak


def _parse_overrides(pairs: list[str]) -> dict:
    from assistant.asr.options import AsrOptions

    types = {f.name: f.type for f in fields(AsrOptions)}
    out: dict = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in types:
            raise SystemExit(f"unknown option {key}")
        default = getattr(AsrOptions(), key)
        if isinstance(default, bool):
            out[key] = value.lower() in ("1", "true", "yes")
        elif isinstance(default, int):
            out[key] = int(value)
        elif isinstance(default, float):
            out[key] = float(value)
        else:
            out[key] = None if value in ("", "none", "None") else value
    replace(AsrOptions(), **out)  # validate
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="first N dev calls (0: all, -1: none)")
    parser.add_argument("--aishell-limit", type=int, default=0, help="first M aishell clips (0: all, -1: none)")
    parser.add_argument("--set", nargs="*", default=[], help="AsrOptions overrides, key=value")
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--out", help="folder for the HYP files (default: a temporary folder)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job = json.loads(Path(args.child).read_text(encoding="utf-8"))
        result = _run_system(job["system"], job["items"], job["out"], job["overrides"], job["units"])
        print(json.dumps(result))
        return
    overrides = _parse_overrides(args.set)
    out = Path(args.out or tempfile.mkdtemp(prefix="bench-asr-"))
    out.mkdir(parents=True, exist_ok=True)

    sets = []
    if args.limit >= 0:
        calls = [json.loads(line) for line in (SHARED / "corpus/dev/calls.jsonl").open(encoding="utf-8")]
        if args.limit:
            calls = calls[: args.limit]
        gold = out / "dev-gold.jsonl"
        gold.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
        dev_items = [(c["id"], str(SHARED / "corpus/dev" / c["audio"])) for c in calls]
        sets.append(("phone calls (dev)", gold, dev_items, sum(c["duration"] for c in calls)))
    if args.aishell_limit >= 0:
        refs = [line.rstrip("\n").split("\t", 1) for line in (SHARED / "corpus/aishell/refs.tsv").open(encoding="utf-8")
                if line.strip()]
        if args.aishell_limit:
            refs = refs[: args.aishell_limit]
        agold = out / "aishell-refs.tsv"
        agold.write_text("".join(f"{i}\t{t}\n" for i, t in refs), encoding="utf-8")
        a_items = [(i, str(SHARED / "corpus/aishell/audio" / f"{i}.flac")) for i, _ in refs]
        import av

        dur = 0.0
        for _, p in a_items:
            with av.open(p) as c:
                dur += float(c.duration or 0) / 1e6
        sets.append(("read speech (aishell)", agold, a_items, dur))

    units = str(SHARED / "corpus/units.csv")
    systems = ["hotline"] if args.skip_plain else ["plain", "hotline"]
    rows = []
    for name, gold_path, items, duration in sets:
        for system in systems:
            hyp = out / f"{system}-{gold_path.stem}.jsonl"
            wall, peak = _in_child(system, items, hyp, overrides, units)
            score = score_cer(gold_path, hyp)
            rows.append((name, system, len(items), duration, score, wall / duration, peak))
            print(f"... {name} {system}: CER {score['cer']:.4f}", file=sys.stderr, flush=True)

    print(f"\noverrides: {overrides or 'none'}; HYP files in {out}\n")
    print("| set | system | files | audio (s) | CER | SPK-CER | CER − SPK-CER | RTF | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, system, n, duration, score, rtf, peak in rows:
        spk = f"{score['spk']:.4f}" if score["spk"] is not None else "–"
        diff = f"{score['cer'] - score['spk']:+.4f}" if score["spk"] is not None else "–"
        cells = [name, system, n, f"{duration:.0f}", f"{score['cer']:.4f}", spk, diff, f"{rtf:.3f}", f"{peak:.0f}"]
        print("| " + " | ".join(map(str, cells)) + " |")
    by = {(r[0], r[1]): r[4]["cer"] for r in rows}
    for name, *_ in sets:
        if (name, "plain") in by and (name, "hotline") in by:
            print(f"\n{name}: hotline / plain CER = {by[(name, 'hotline')] / by[(name, 'plain')]:.3f}")


if __name__ == "__main__":
    main()
