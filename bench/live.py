"""Benchmark: the streaming path on recorded calls replayed at real-time pace.

    python bench/live.py [--limit 4] [--speed 1.0] [--file-hyp HYP.jsonl] [--no-partials]
                          [--encoder-pad S [--encoder-min S]] [--early-silence S] [--partial-window S]
                          [--end-silence S]

Reports commit latency (end of a spoken phrase → its committed text; median and p95), the live path's CER
next to the file path's (``--file-hyp``: the hotline transcripts ``bench/asr.py`` left, else the file path is
run here on the same calls), CPU share (process CPU time / wall time, 2 cores = 200 %) and peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scoring import ROOT, SHARED, score_cer

sys.path.insert(0, str(ROOT))


def main() -> None:
    from assistant.live.streaming import LiveTranscriber, StreamOptions

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=4)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--file-hyp", help="file-path transcripts of the same calls (JSONL)")
    parser.add_argument("--final-beam", type=int, default=5, help="beam size of committed decodes")
    parser.add_argument("--no-partials", action="store_true", help="decode committed utterances only")
    parser.add_argument("--early-silence", type=float, default=StreamOptions.early_silence,
                        help="pause after which an utterance is decoded speculatively; 0: only once it ended")
    parser.add_argument("--end-silence", type=float, default=StreamOptions.end_silence,
                        help="pause that ends an utterance")
    parser.add_argument("--partial-window", type=float, default=StreamOptions.partial_window,
                        help="encoder window of partial decodes in seconds; 0: the full 30 s")
    parser.add_argument("--encoder-pad", type=float, help="encode the utterance + this many seconds, not 30 s")
    parser.add_argument("--encoder-min", type=float, default=10.0, help="shortest encoder window with --encoder-pad")
    args = parser.parse_args()

    from assistant.asr.pipeline import Transcriber
    from assistant.lexicon.units import load_units
    from assistant.live.source import ReplaySource

    out = Path(tempfile.mkdtemp(prefix="bench-live-"))
    calls = [json.loads(line) for line in (SHARED / "corpus/dev/calls.jsonl").open(encoding="utf-8")][: args.limit]
    gold = out / "gold.jsonl"
    gold.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
    transcriber = Transcriber(directory=load_units(SHARED / "corpus/units.csv"))
    commits: list[tuple[float, str, dict]] = []  # (latency, call id, segment) of every committed segment
    degraded = 0
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.perf_counter()
    with (out / "live.jsonl").open("w", encoding="utf-8") as f:
        for call in calls:
            source = ReplaySource(SHARED / "corpus/dev" / call["audio"], speed=args.speed)
            segments = []
            started = time.monotonic()
            options = StreamOptions(final_beam=args.final_beam, encoder_pad=args.encoder_pad,
                                    end_silence=args.end_silence, early_silence=args.early_silence or None,
                                    encoder_min=args.encoder_min, partial_window=args.partial_window or None,
                                    partial_every=1e9 if args.no_partials else StreamOptions.partial_every)
            live = LiveTranscriber(transcriber, ("op", "caller"), segments.append, options=options)
            for block in source.blocks():
                live.feed(block)
            live.flush()
            live.close()
            degraded += live.degraded
            finals = sorted((s for s in segments if s.final and s.text), key=lambda s: s.start)
            lags = [s.decoded_at - (started + s.end / args.speed) for s in finals]
            rows = [{"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text, "latency": round(lag, 3)}
                    for s, lag in zip(finals, lags, strict=True)]
            commits += [(lag, call["id"], row) for lag, row in zip(lags, rows, strict=True)]
            f.write(json.dumps({"id": call["id"], "text": "".join(s.text for s in finals), "segments": rows},
                               ensure_ascii=False) + "\n")
            print(f"... {call['id']}: {len(finals)} segments", file=sys.stderr, flush=True)
    wall = time.perf_counter() - wall0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime) / wall
    if args.file_hyp:
        ids = {c["id"] for c in calls}
        file_hyp = out / "file.jsonl"
        file_hyp.write_text("".join(line for line in Path(args.file_hyp).open(encoding="utf-8")
                                    if json.loads(line)["id"] in ids), encoding="utf-8")
    else:
        file_hyp = out / "file.jsonl"
        with file_hyp.open("w", encoding="utf-8") as f:
            for call in calls:
                t = transcriber.transcribe_file(SHARED / "corpus/dev" / call["audio"])
                f.write(json.dumps({"id": call["id"], "text": t.text}, ensure_ascii=False) + "\n")
    live_cer, file_cer = score_cer(gold, out / "live.jsonl")["cer"], score_cer(gold, file_hyp)["cer"]
    lat = sorted(lag for lag, _, _ in commits)
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
    print(f"\n{len(calls)} calls at {args.speed:g}x; files in {out}\n")
    print("| commit latency median (s) | p95 (s) | live CER | file CER | live / file | CPU share | peak RSS (MB) "
          "| calls degraded |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {statistics.median(lat):.2f} | {p95:.2f} | {live_cer:.4f} | {file_cer:.4f} | {live_cer / file_cer:.2f} "
          f"| {cpu:.0%} | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} | {degraded} |")
    slowest = sorted(commits, key=lambda c: c[0], reverse=True)[:5]
    print("\nslowest commits (latency s, call, speaker, utterance length s, characters):")
    for lag, cid, seg in slowest:
        print(f"  {lag:.2f}  {cid}  {seg['speaker']}  {seg['end'] - seg['start']:.1f}  {len(seg['text'])}")


if __name__ == "__main__":
    main()
