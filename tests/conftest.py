"""Shared fixtures: the shared corpus, a private HOTLINE_HOME, one real model for the whole session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session", autouse=True)
def hotline_home(tmp_path_factory):
    """Every test run assembles and uses its own model copy and config, never the user's."""
    home = os.environ.get("HOTLINE_TEST_HOME") or str(tmp_path_factory.mktemp("hotline-home"))
    old = os.environ.get("HOTLINE_HOME")
    os.environ["HOTLINE_HOME"] = home
    os.environ.pop("HOTLINE_CENTRE", None)  # the centre in use is the test's own choice
    yield Path(home)
    if old is None:
        os.environ.pop("HOTLINE_HOME", None)
    else:
        os.environ["HOTLINE_HOME"] = old


@pytest.fixture(scope="session")
def units_csv() -> Path:
    return CORPUS / "units.csv"


@pytest.fixture(scope="session")
def directory(units_csv):
    from assistant.lexicon.units import load_units

    return load_units(units_csv)


@pytest.fixture(scope="session")
def dev_calls() -> dict[str, dict]:
    with (CORPUS / "dev" / "calls.jsonl").open(encoding="utf-8") as f:
        return {c["id"]: c for c in map(json.loads, f)}


@pytest.fixture(scope="session")
def aishell_refs() -> dict[str, str]:
    """Reference text of each read-speech clip in corpus/aishell, by clip name."""
    with (CORPUS / "aishell" / "refs.tsv").open(encoding="utf-8-sig") as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f)


@pytest.fixture(scope="session")
def transcriber(hotline_home, directory):
    from assistant.asr.pipeline import Transcriber

    return Transcriber(directory=directory)


def run_hotline(*args: str, env: dict | None = None, cwd=None, timeout: float = 900) -> subprocess.CompletedProcess:
    """The `hotline` command as a user runs it, in a child process with this interpreter."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env={**os.environ, **(env or {})})


def pytest_collection_modifyitems(config, items):
    """Tests that load the Whisper model are ``slow``: ``pytest -m "not slow"`` is the fast lane without it."""
    for item in items:
        if "transcriber" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
