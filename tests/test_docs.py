"""The user documents stay short, valid and impersonal.

Every TOML example a user may copy must parse, and a deadlines example must load as the product loads
``deadlines.toml``; the README stays a page a user reads; the documents speak of the project, not of who
worked on it when.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from assistant.store.deadlines import DeadlineRules

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").rglob("*.md"))
CHANGELOG = ROOT / "CHANGELOG.md"
MARKDOWN = [README, *DOCS]

_TOML_BLOCK = re.compile(r"^```toml[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_NARRATION = re.compile(r"\bsessions?[ -]\d|\bthis\s+session\b|本次会话", re.IGNORECASE)
README_MAX_LINES = 220


def _toml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for path in MARKDOWN:
        for n, match in enumerate(_TOML_BLOCK.finditer(path.read_text(encoding="utf-8")), start=1):
            blocks.append((f"{path.relative_to(ROOT)}#{n}", match.group(1)))
    return blocks


TOML_BLOCKS = _toml_blocks()
DEADLINE_BLOCKS = [(name, text) for name, text in TOML_BLOCKS if "holidays" in text or "days" in text]


def test_the_documents_have_toml_examples():
    assert TOML_BLOCKS, "no ```toml block found: the pattern or the documents changed"
    assert DEADLINE_BLOCKS, "no deadlines.toml example found"


@pytest.mark.parametrize(("name", "text"), TOML_BLOCKS, ids=[name for name, _ in TOML_BLOCKS])
def test_toml_example_parses(name, text):
    tomllib.loads(text)


@pytest.mark.parametrize(("name", "text"), DEADLINE_BLOCKS, ids=[name for name, _ in DEADLINE_BLOCKS])
def test_deadlines_example_loads(name, text, tmp_path):
    path = tmp_path / "deadlines.toml"
    path.write_text(text, encoding="utf-8")
    rules = DeadlineRules.load(path)
    data = tomllib.loads(text)
    for appeal_type, days in data.get("days", {}).items():
        assert rules.days[appeal_type] == days
    assert len(rules.holidays) == len(data.get("holidays", []))
    assert len(rules.workdays) == len(data.get("workdays", []))


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move details to docs/"


@pytest.mark.parametrize("path", [*MARKDOWN, CHANGELOG], ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_do_not_narrate_work_periods(path):
    hits = [f"{n}: {line.strip()}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if _NARRATION.search(line)]
    assert not hits, f"{path.relative_to(ROOT)} speaks of work periods instead of dates:\n" + "\n".join(hits)
