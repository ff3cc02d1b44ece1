"""The project's own demo centre: a small 12320 centre of the fictional city 临江市 and one call to it.

What the console's first run shows: ``hotline console --replay demo`` plays the call with this directory unless
``--units`` names another. Nothing else falls back on it: a command that needs a directory and has none stops
with an error asking for ``--units`` or ``hotline units import``. Written for the project; the shared sample
corpus that the tests and benchmarks measure on is not part of the package.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
DEMO_CALL = FOLDER / "demo-call.mp3"
DEMO_SCRIPT = FOLDER / "demo_call.jsonl"
DEMO_UNITS = FOLDER / "centre" / "units.csv"
