"""Benchmark: batch throughput on the dev calls — sequential, a process pool, and faster-whisper's batched inference.

    python bench/batch.py [--limit 30] [--modes sequential,pool,batched,pool+batched]

Each mode is the real command (``hotline batch MANIFEST --db … --export …``) run from scratch in its own
process on a fresh SQLite database: hashing, model loading, transcription, drafting and store writes all
count. Throughput is seconds of call audio per wall second (× real time). The exported transcripts are scored
with ``shared/tools/score.py cer`` so that a faster mode cannot hide a worse transcript. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scoring import SHARED, score_cer

DEV = SHARED / "corpus" / "dev"

MODES = {
    "sequential": ["--workers", "1", "--batch-size", "0"],
    "pool": ["--workers", str(os.cpu_count() or 1), "--batch-size", "0"],
    "batched": ["--workers", "1", "--batch-size", "8"],
    "pool+batched": ["--workers", str(os.cpu_count() or 1), "--batch-size", "8"],
}

_PEAK = ("import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr); sys.exit(rc)")


def run_mode(name: str, manifest: Path, work: Path) -> dict:
    db = work / f"{name}.db"
    export = work / f"{name}-export"
    cmd = [sys.executable, "-c", _PEAK, sys.executable, "-m", "assistant", "batch", str(manifest),
           "--db", f"sqlite:///{db}", "--units", str(SHARED / "corpus" / "units.csv"), "--export", str(export),
           "--export-formats", "json", *MODES[name]]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    peak_mb = int(done.stderr.strip().splitlines()[-1])
    hyp = work / f"{name}.jsonl"
    with hyp.open("w", encoding="utf-8") as f:
        for path in sorted(export.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            f.write(json.dumps({"id": data["id"], "text": "".join(s["text"] for s in data["segments"]),
                                "segments": data["segments"]}, ensure_ascii=False) + "\n")
    return {"wall": wall, "peak_mb": peak_mb, "hyp": hyp}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=30, help="how many dev calls (default 30)")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    calls = [json.loads(line) for line in (DEV / "calls.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()][: args.limit]
    audio = sum(c["duration"] for c in calls)
    with tempfile.TemporaryDirectory(prefix="hotline-batch-bench-") as tmp:
        work = Path(tmp)
        manifest = work / "calls.jsonl"
        gold = work / "gold.jsonl"
        manifest.write_text("".join(json.dumps({"audio": str(DEV / c["audio"]), "id": c["id"],
                                                "call_start": c.get("call_start"), "hotline": c.get("hotline"),
                                                "operator_id": c.get("operator_id")},
                                               ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
        gold.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
        print(f"{len(calls)} calls, {audio:.0f} s of audio, {os.cpu_count()} cores", file=sys.stderr)
        rows = []
        for name in modes:
            result = run_mode(name, manifest, work)
            cer = score_cer(gold, result["hyp"])["cer"]
            rows.append((name, result["wall"], audio / result["wall"], cer, result["peak_mb"]))
            print(f"{name}: {result['wall']:.0f} s", file=sys.stderr, flush=True)
    print("| mode | command flags | calls | audio (s) | wall (s) | throughput (× real time) | CER | "
          "largest process peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, wall, speed, score, peak in rows:
        print(f"| {name} | `{' '.join(MODES[name])}` | {len(calls)} | {audio:.0f} | {wall:.0f} | {speed:.2f} | "
              f"{score:.4f} | {peak} |")


if __name__ == "__main__":
    main()
