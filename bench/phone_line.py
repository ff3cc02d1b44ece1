"""Real read speech over a telephone line: the AISHELL clips passed through the channel the dev calls went through.

    python bench/phone_line.py [--out DIR]

The dev calls are synthetic voices; the AISHELL clips are real ones but studio-clean at 16 kHz. Passing the real
voices through the same channel as the calls (``shared/tools/synth_calls.py``'s ``telephone``: sox to 8 kHz G.711
μ-law with ``sinc 300-3400`` and ``norm -3``, then Gaussian line noise at −52…−40 dB drawn from an RNG seeded by the
clip's id) separates what the pipeline gains on the line from what it gains on the voices. The clips are built
once into a cache folder (default ``/tmp/hotline-bench/aishell-phone/``) and only the missing ones are built again.

The audio goes in and out through sox rather than a Python audio library, so the set needs nothing the project
does not depend on already besides sox itself; μ-law is decoded and encoded by the standard G.711 tables either way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from scoring import SHARED

AISHELL = SHARED / "corpus" / "aishell"
FOLDER = Path("/tmp/hotline-bench/aishell-phone")
OUT_SR = 8000


def aishell_refs() -> list[tuple[str, str]]:
    """(clip id, reference text) of every AISHELL clip, in the order of ``refs.tsv``."""
    with (AISHELL / "refs.tsv").open(encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in f if line.strip()]


def rng_for(key: str) -> np.random.Generator:
    """The generator ``synth_calls.py`` seeds from a call's id, here from a clip's."""
    return np.random.default_rng(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16))


def _sox(*args: str, stdin: bytes | None = None) -> bytes:
    # -R: sox seeds its dither with a fixed number, so a rebuilt clip is the same clip
    return subprocess.run(["sox", "-q", "-R", *args], input=stdin, capture_output=True, check=True).stdout


def telephone(source: Path, rng: np.random.Generator, path: Path) -> None:
    """Band-limit ``source`` to the telephone band, pass it through μ-law, add line noise, write 8 kHz μ-law WAV."""
    with tempfile.TemporaryDirectory() as d:
        mid = os.path.join(d, "m.wav")
        noise_db = float(rng.uniform(-52, -40))
        _sox(str(source), "-r", str(OUT_SR), "-e", "u-law", "-b", "8", mid, "sinc", "300-3400", "norm", "-3")
        pcm = np.frombuffer(_sox(mid, "-t", "f32", "-"), dtype=np.float32)
        pcm = pcm + rng.normal(0, 10 ** (noise_db / 20), pcm.shape).astype(np.float32)
        pcm = np.clip(pcm, -1, 1).astype(np.float32)
        # -D: no dither on the way back, the line noise is already in the samples
        _sox("-t", "f32", "-r", str(OUT_SR), "-c", "1", "-", "-e", "u-law", "-b", "8", "-D", str(path),
             stdin=pcm.tobytes())


def phone_line_clips(ids: Iterable[str] | None = None, folder: Path = FOLDER) -> dict[str, Path]:
    """{clip id: its phone-line WAV} for ``ids`` (default: every clip of ``refs.tsv``), building the missing ones."""
    if shutil.which("sox") is None:
        raise SystemExit("找不到 sox：电话线路集要用它生成（apt-get install sox）")
    ids = [i for i, _ in aishell_refs()] if ids is None else list(ids)
    folder.mkdir(parents=True, exist_ok=True)
    clips = {}
    for cid in ids:
        path = folder / f"{cid}.wav"
        if not path.exists():
            part = path.with_suffix(".part.wav")  # an interrupted build leaves no clip that looks finished
            telephone(AISHELL / "audio" / f"{cid}.flac", rng_for(cid), part)
            os.replace(part, path)
        clips[cid] = path
    return clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=FOLDER, help=f"folder of the clips (default {FOLDER})")
    args = parser.parse_args()
    clips = phone_line_clips(folder=args.out)
    print(f"电话线路录音 {len(clips)} 段：{args.out}")


if __name__ == "__main__":
    main()
