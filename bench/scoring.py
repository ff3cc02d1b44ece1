"""What the benchmarks share: where the shared corpus is, and CER as ``shared/tools/score.py cer`` reports it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "tools" / "score.py"


def score_cer(gold: Path, hyp: Path) -> dict:
    """{"cer": …, "spk": SPK-CER or None when the hypotheses carry no speakers}."""
    text = subprocess.run([sys.executable, str(SCORE), "cer", str(gold), str(hyp)], capture_output=True, text=True,
                          check=True).stdout
    cer = float(re.search(r"^CER ([\d.]+)", text, re.M).group(1))
    spk = re.search(r"^SPK-CER ([\d.]+)", text, re.M)
    return {"cer": cer, "spk": float(spk.group(1)) if spk else None}
