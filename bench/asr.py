"""Benchmark: the hotline pipeline vs plain faster-whisper on phone calls and read speech.

    python bench/asr.py [--sets dev demo aishell aishell-phone] [--limit N] [--aishell-limit M]
                        [--set key=value ...] [--skip-plain] [--out DIR] [--cache DIR] [--ablate key=value ...]

The sets (``--sets``, default all four): ``dev``, the 60 synthetic calls of ``shared/corpus/dev`` (``--limit``:
the first N, -1: none) with the city's directory ``shared/corpus/units.csv``; ``demo``, the project's own demo
call with the demo centre's directory (``assistant.demo``); ``aishell``, the real read speech of
``shared/corpus/aishell`` (``--aishell-limit``: the first M clips, -1: none, for both aishell sets); and
``aishell-phone``, the same clips and references over a telephone line (``bench/phone_line.py``).

Plain faster-whisper runs as a user would run it: the same model, ``language="zh"``, ``vad_filter=True``,
everything else default, the file as it is (stereo downmixed). Both are scored by ``shared/tools/score.py
cer``. Each system runs in its own process so its peak memory is its own. Prints a Markdown table. The dev calls
are also scored in two fixed disjoint halves (A: the calls at even places of ``calls.jsonl``, B: the odd ones), so
that a change can be chosen on one half and checked on the other.

``--cache DIR``: the pipeline's first pass (``Transcriber.decode_words``, one channel's words) is kept on disk,
keyed by the samples and the options that change decoding; a run served from it shows its RTF as "cached". The
key does not cover the code: empty the folder after changing how decoding works.

``--ablate key=value ...``: after the pipeline's run (with ``--set``), it runs once more on the dev calls per pair,
with that one option added (the change turned off), through the first-pass cache (``--cache``, by default
``cache/`` in ``--out``), and a second table says whether the change helps on both halves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from phone_line import aishell_refs, phone_line_clips
from scoring import ROOT, SHARED, score_cer

SETS = ("dev", "demo", "aishell", "aishell-phone")
HALVES = ("A", "B")
# The options the first pass (``decode_words``) depends on: the first-pass cache's key. Every other option acts on
# its words afterwards, so turning one off reuses the cache; an option added later that changes the first pass
# must be named here (or start with ``vad_``), else the cache would serve words decoded without it.
DECODING = frozenset({"model", "beam_size", "language", "no_speech_threshold", "digits_as_characters", "prompt",
                      "use_unit_prompt", "condition_on_previous_text", "batch_size", "compute_type"})
_UNSAFE = re.compile(r"[^\w.=-]")  # in a HYP file's name


@dataclass(frozen=True)
class BenchSet:
    key: str
    name: str
    gold: Path
    items: tuple[tuple[str, str], ...]  # (id, audio path)
    duration: float
    units: str
    halves: tuple[tuple[str, Path], ...] = ()  # (half, gold file of that half's calls)


def _cache_first_pass(transcriber, folder: Path) -> dict:
    """Serve ``transcriber.decode_words`` from ``folder`` where it decoded the same samples the same way before;
    returns the counts of hits and misses, kept up to date."""
    import numpy as np

    from assistant.transcript.model import Word

    folder.mkdir(parents=True, exist_ok=True)
    options = transcriber.options
    setting = {f.name: getattr(options, f.name) for f in fields(options)
               if f.name in DECODING or f.name.startswith("vad_")}
    setting["built_prompt"] = transcriber.prompt  # the directory's names go into it with use_unit_prompt
    setting = json.dumps(setting, sort_keys=True, default=str).encode()
    decode = transcriber.decode_words
    counts = {"hits": 0, "misses": 0}

    def decode_words(samples, step=None):
        samples = np.ascontiguousarray(samples)
        key = hashlib.sha256(str(samples.dtype).encode() + samples.tobytes() + setting).hexdigest()
        path = folder / f"{key}.json"
        if path.exists():
            counts["hits"] += 1
            return [Word(**w) for w in json.loads(path.read_text(encoding="utf-8"))]
        counts["misses"] += 1
        words = decode(samples, step)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_text(json.dumps([asdict(w) for w in words], ensure_ascii=False), encoding="utf-8")
        os.replace(part, path)
        return words

    transcriber.decode_words = decode_words
    return counts


def _run_system(system: str, items, out: str, overrides: dict, units: str, cache: str | None) -> dict:
    """Child process: transcribe every (id, path) and write HYP JSONL; return wall seconds, peak RSS MB and the
    first-pass cache's hits and misses."""
    sys.path.insert(0, str(ROOT))
    from assistant.asr.model import load_model

    wall = 0.0
    counts = {"hits": 0, "misses": 0}
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

            transcriber = Transcriber(AsrOptions(**overrides), load_units(units))
            if cache:
                counts = _cache_first_pass(transcriber, Path(cache))
            for cid, path in items:
                t0 = time.perf_counter()
                transcript = transcriber.transcribe_file(path)
                wall += time.perf_counter() - t0
                data = transcript.to_dict(words=False)
                data["id"] = cid
                f.write(json.dumps(data, ensure_ascii=False) + "\n")
    return {"wall": wall, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **counts}


def _in_child(system: str, bench: BenchSet, hyp: Path, overrides: dict, cache: Path | None) -> dict:
    """Run one system in a fresh interpreter, so that its peak memory is its own."""
    job = hyp.with_suffix(".job.json")
    job.write_text(json.dumps({"system": system, "items": bench.items, "out": str(hyp), "overrides": overrides,
                               "units": bench.units, "cache": str(cache) if cache else None}), encoding="utf-8")
    done = subprocess.run([sys.executable, __file__, "--child", str(job)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{system} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


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


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _seconds(paths) -> float:
    import av

    total = 0.0
    for p in paths:
        with av.open(str(p)) as c:
            total += float(c.duration or 0) / 1e6
    return total


def _bench_sets(keys: list[str], limit: int, aishell_limit: int, out: Path) -> list[BenchSet]:
    from assistant.demo import DEMO_CALL, DEMO_SCRIPT, DEMO_UNITS

    units = str(SHARED / "corpus/units.csv")
    sets = []
    if "dev" in keys and limit >= 0:
        calls = [json.loads(line) for line in (SHARED / "corpus/dev/calls.jsonl").open(encoding="utf-8")]
        calls = calls[:limit] if limit else calls
        halves = tuple((h, _write_jsonl(out / f"dev-gold-{h}.jsonl", calls[i::2])) for i, h in enumerate(HALVES))
        items = tuple((c["id"], str(SHARED / "corpus/dev" / c["audio"])) for c in calls)
        sets.append(BenchSet("dev", "phone calls (dev)", _write_jsonl(out / "dev-gold.jsonl", calls), items,
                             sum(c["duration"] for c in calls), units, halves))
    if "demo" in keys:
        call = json.loads(DEMO_SCRIPT.read_text(encoding="utf-8").splitlines()[0])
        sets.append(BenchSet("demo", "demo call (demo)", DEMO_SCRIPT, ((call["id"], str(DEMO_CALL)),),
                             call["duration"], str(DEMO_UNITS)))
    if aishell_limit >= 0 and {"aishell", "aishell-phone"} & set(keys):
        refs = aishell_refs()[: aishell_limit or None]
        gold = out / "aishell-refs.tsv"
        gold.write_text("".join(f"{i}\t{t}\n" for i, t in refs), encoding="utf-8")
        if "aishell" in keys:
            items = tuple((i, str(SHARED / "corpus/aishell/audio" / f"{i}.flac")) for i, _ in refs)
            sets.append(BenchSet("aishell", "read speech (aishell)", gold, items,
                                 _seconds(p for _, p in items), units))
        if "aishell-phone" in keys:
            clips = phone_line_clips(i for i, _ in refs)
            items = tuple((i, str(p)) for i, p in clips.items())
            sets.append(BenchSet("aishell-phone", "read speech over a phone line (aishell)", gold, items,
                                 _seconds(clips.values()), units))
    return sets


def _score(bench: BenchSet, hyp: Path) -> dict:
    """score_cer's figures, and the CER of each half (its gold against its own HYP lines) for a set with halves."""
    score = score_cer(bench.gold, hyp)
    lines = [line for line in hyp.read_text(encoding="utf-8").splitlines() if line.strip()]
    for half, gold in bench.halves:
        ids = {json.loads(line)["id"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}
        part = hyp.with_name(f"{hyp.stem}-{half}.jsonl")
        part.write_text("".join(line + "\n" for line in lines if json.loads(line)["id"] in ids), encoding="utf-8")
        score[half] = score_cer(gold, part)["cer"]
    return score


def _first_pass(run: dict) -> str:
    return f" (first pass: {run['hits']} cached, {run['misses']} decoded)" if run["hits"] + run["misses"] else ""


def _rtf(run: dict, duration: float) -> str:
    if run["hits"]:
        return f"cached: {run['wall']:.1f} s after the first pass" if not run["misses"] else "partly cached"
    return f"{run['wall'] / duration:.3f}"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS), help="which sets (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="first N dev calls (0: all, -1: none)")
    parser.add_argument("--aishell-limit", type=int, default=0, help="first M aishell clips (0: all, -1: none)")
    parser.add_argument("--set", nargs="*", default=[], help="AsrOptions overrides, key=value")
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--out", help="folder for the HYP files (default: a temporary folder)")
    parser.add_argument("--cache", type=Path, help="folder of the pipeline's first-pass cache")
    parser.add_argument("--ablate", nargs="+", default=[], metavar="KEY=VALUE",
                        help="AsrOptions that turn one change off, each run on the dev calls")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job = json.loads(Path(args.child).read_text(encoding="utf-8"))
        print(json.dumps(_run_system(job["system"], job["items"], job["out"], job["overrides"], job["units"],
                                     job["cache"])))
        return
    overrides = _parse_overrides(args.set)
    ablations = [(pair, _parse_overrides([pair])) for pair in args.ablate]
    if ablations and ("dev" not in args.sets or args.limit < 0):
        raise SystemExit("--ablate 在 dev 通话上运行：--sets 要包含 dev，--limit 不能是 -1")
    out = Path(args.out or tempfile.mkdtemp(prefix="bench-asr-"))
    out.mkdir(parents=True, exist_ok=True)
    cache = args.cache or (out / "cache" if ablations else None)

    sets = _bench_sets(args.sets, args.limit, args.aishell_limit, out)
    systems = ["hotline"] if args.skip_plain else ["plain", "hotline"]
    rows = []
    for bench in sets:
        for system in systems:
            hyp = out / f"{system}-{bench.key}.jsonl"
            run = _in_child(system, bench, hyp, overrides, cache if system == "hotline" else None)
            score = _score(bench, hyp)
            rows.append((bench, system, score, run))
            print(f"... {bench.name} {system}: CER {score['cer']:.4f}{_first_pass(run)}", file=sys.stderr, flush=True)

    cached = f"; first-pass cache in {cache}" if cache else ""
    print(f"\noverrides: {overrides or 'none'}; HYP files in {out}{cached}\n")
    print("| set | system | files | audio (s) | CER | CER A | CER B | SPK-CER | CER − SPK-CER | RTF | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for bench, system, score, run in rows:
        spk = f"{score['spk']:.4f}" if score["spk"] is not None else "–"
        diff = f"{score['cer'] - score['spk']:+.4f}" if score["spk"] is not None else "–"
        halves = [f"{score[h]:.4f}" if h in score else "–" for h in HALVES]
        cells = [bench.name, system, len(bench.items), f"{bench.duration:.0f}", f"{score['cer']:.4f}", *halves, spk,
                 diff, _rtf(run, bench.duration), f"{run['peak']:.0f}"]
        print("| " + " | ".join(map(str, cells)) + " |")
    by = {(bench.key, system): score["cer"] for bench, system, score, _ in rows}
    for bench in sets:
        if (bench.key, "plain") in by and (bench.key, "hotline") in by:
            print(f"\n{bench.name}: hotline / plain CER = {by[(bench.key, 'hotline')] / by[(bench.key, 'plain')]:.3f}")
    if ablations:
        _ablate(ablations, sets, rows, overrides, out, cache)


def _ablate(ablations, sets, rows, overrides: dict, out: Path, cache: Path) -> None:
    """The pipeline on the dev calls once per pair, with that change turned off; the second table."""
    dev = next(bench for bench in sets if bench.key == "dev")
    with_ = next(score for bench, system, score, _ in rows if bench.key == "dev" and system == "hotline")
    lines = []
    for pair, change in ablations:
        hyp = out / f"hotline-dev-without-{_UNSAFE.sub('_', pair)}.jsonl"
        run = _in_child("hotline", dev, hyp, {**overrides, **change}, cache)
        without = _score(dev, hyp)
        print(f"... without {pair}: CER {without['cer']:.4f}{_first_pass(run)}", file=sys.stderr, flush=True)
        helps = all(with_[h] < without[h] for h in HALVES)
        lines.append([pair, f"{with_['A']:.4f}", f"{without['A']:.4f}", f"{with_['B']:.4f}", f"{without['B']:.4f}",
                      "yes" if helps else "no", f"{run['wall']:.1f}"])
    # With --cache the first pass is served from the cache, so the seconds are those of the stages after it.
    print("\n| without | CER A with | CER A without | CER B with | CER B without | helps on both halves | seconds |")
    print("|---|---|---|---|---|---|---|")
    for cells in lines:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
