"""Benchmark: the streaming path on recorded calls replayed at real-time pace.

    python bench/live.py [--limit 4 | --demo] [--speed 1.0] [--file-hyp HYP.jsonl] [--no-partials]
                          [--encoder-pad S [--encoder-min S]] [--early-silence S] [--partial-window S]
                          [--end-silence S] [--max-utterance S] [--revise-context S | --no-revise]
                          [--partials-wait] [--replicas N]

The sample calls (the first ``--limit`` dev calls, the corpus's unit directory), or with ``--demo`` the demo
call with the demo centre's directory. Reports commit latency (end of a spoken phrase → its committed text;
median and p95), the live path's CER of the first commits and after the revisions next to the file path's
(``--file-hyp``: the hotline transcripts ``bench/asr.py`` left, else the file path is run here on the same
calls), the delay of the revisions (a commit → its revised text), the wait in ``close`` for the revisions left
at the call's end, CPU share (process CPU time / wall time, 2 cores = 200 %) and peak memory.
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


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> None:
    from assistant.live.streaming import LiveTranscriber, StreamOptions

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=4, help="the first N sample calls")
    parser.add_argument("--demo", action="store_true", help="the demo call and the demo centre's directory")
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
    parser.add_argument("--encoder-pad", type=float, default=StreamOptions.encoder_pad,
                        help="encode the utterance + this many seconds; 0: Whisper's full 30 s window")
    parser.add_argument("--encoder-min", type=float, default=StreamOptions.encoder_min,
                        help="shortest encoder window with --encoder-pad")
    parser.add_argument("--revise-context", type=float, default=StreamOptions.revise_context,
                        help="seconds of the speaker's audio before an utterance in its revision")
    parser.add_argument("--no-revise", action="store_true", help="no revisions of committed utterances")
    parser.add_argument("--max-utterance", type=float, default=StreamOptions.max_utterance,
                        help="longest speech committed at once")
    parser.add_argument("--replicas", type=int, help="model replicas (default: 2 with revisions, else 1)")
    parser.add_argument("--partials-wait", action="store_true", help="skip partial decodes while a revision waits")
    args = parser.parse_args()

    from assistant.asr.pipeline import Transcriber
    from assistant.lexicon.units import load_units
    from assistant.live.source import ReplaySource
    from assistant.live.streaming import replicas

    out = Path(tempfile.mkdtemp(prefix="bench-live-"))
    if args.demo:
        from assistant.demo import DEMO_CALL, DEMO_SCRIPT, DEMO_UNITS

        calls = [json.loads(line) for line in DEMO_SCRIPT.open(encoding="utf-8") if line.strip()]
        audio, units = {c["id"]: DEMO_CALL for c in calls}, DEMO_UNITS
    else:
        calls = [json.loads(line) for line in (SHARED / "corpus/dev/calls.jsonl").open(encoding="utf-8")][: args.limit]
        audio, units = {c["id"]: SHARED / "corpus/dev" / c["audio"] for c in calls}, SHARED / "corpus/units.csv"
    gold = out / "gold.jsonl"
    gold.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
    options = StreamOptions(final_beam=args.final_beam, encoder_pad=args.encoder_pad or None,
                            end_silence=args.end_silence, early_silence=args.early_silence or None,
                            encoder_min=args.encoder_min, partial_window=args.partial_window or None,
                            partial_every=1e9 if args.no_partials else StreamOptions.partial_every,
                            revise_context=None if args.no_revise else args.revise_context,
                            partials_before_revisions=not args.partials_wait, max_utterance=args.max_utterance)
    transcriber = Transcriber(directory=load_units(units), replicas=args.replicas or replicas(options))
    commits: list[tuple[float, str, dict]] = []  # (latency, call id, segment) of every committed segment
    delays: list[float] = []  # commit → revised text, of every revision that changed a text
    closing: list[float] = []  # seconds close() waited for the revisions left at each call's end
    degraded = revised = 0
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.perf_counter()
    with (out / "live-first.jsonl").open("w", encoding="utf-8") as first, \
            (out / "live.jsonl").open("w", encoding="utf-8") as last:
        for call in calls:
            source = ReplaySource(audio[call["id"]], speed=args.speed)
            segments = []
            started = time.monotonic()
            live = LiveTranscriber(transcriber, ("op", "caller"), segments.append, options=options)
            for block in source.blocks():
                live.feed(block)
            live.flush()
            ended = time.monotonic()
            live.close()
            closing.append(time.monotonic() - ended)
            degraded += live.degraded
            finals = sorted((s for s in segments if s.final and s.text and not s.revised), key=lambda s: s.start)
            lags = [s.decoded_at - (started + s.end / args.speed) for s in finals]
            rows = [{"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text, "latency": round(lag, 3)}
                    for s, lag in zip(finals, lags, strict=True)]
            commits += [(lag, call["id"], row) for lag, row in zip(lags, rows, strict=True)]
            first.write(json.dumps({"id": call["id"], "text": "".join(s.text for s in finals), "segments": rows},
                                   ensure_ascii=False) + "\n")
            latest = {(s.speaker, s.start): s for s in finals}
            for s in segments:
                if s.revised and (s.speaker, s.start) in latest:
                    delays.append(s.decoded_at - latest[s.speaker, s.start].decoded_at)
                    latest[s.speaker, s.start] = s
                    revised += 1
            now = sorted(latest.values(), key=lambda s: s.start)
            last.write(json.dumps({"id": call["id"], "text": "".join(s.text for s in now),
                                   "segments": [{"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text,
                                                 "revised": s.revised} for s in now]},
                                  ensure_ascii=False) + "\n")
            print(f"... {call['id']}: {len(finals)} segments, {sum(s.revised for s in now)} revised",
                  file=sys.stderr, flush=True)
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
                t = transcriber.transcribe_file(audio[call["id"]])
                f.write(json.dumps({"id": call["id"], "text": t.text}, ensure_ascii=False) + "\n")
    first_cer, live_cer = score_cer(gold, out / "live-first.jsonl")["cer"], score_cer(gold, out / "live.jsonl")["cer"]
    file_cer = score_cer(gold, file_hyp)["cer"]
    lat = [lag for lag, _, _ in commits]
    print(f"\n{len(calls)} calls at {args.speed:g}x; files in {out}\n")
    print("| commit latency median (s) | p95 (s) | CER first commits | CER revised | file CER | first / file "
          "| revised / file | revised (of commits) | revision delay median (s) | p95 (s) | close wait max (s) "
          "| CPU share | peak RSS (MB) | calls degraded |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {statistics.median(lat):.2f} | {pct(lat, 0.95):.2f} | {first_cer:.4f} | {live_cer:.4f} | {file_cer:.4f} "
          f"| {first_cer / file_cer:.3f} | {live_cer / file_cer:.3f} | {revised} ({len(commits)}) "
          f"| {statistics.median(delays) if delays else float('nan'):.2f} | {pct(delays, 0.95):.2f} "
          f"| {max(closing):.1f} | {cpu:.0%} | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} "
          f"| {degraded} |")
    slowest = sorted(commits, key=lambda c: c[0], reverse=True)[:5]
    print("\nslowest commits (latency s, call, speaker, utterance length s, characters):")
    for lag, cid, seg in slowest:
        print(f"  {lag:.2f}  {cid}  {seg['speaker']}  {seg['end'] - seg['start']:.1f}  {len(seg['text'])}")


if __name__ == "__main__":
    main()
