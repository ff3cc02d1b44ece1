"""``hotline report`` as a supervisor runs it, on both engines: the file written, every mistake one Chinese line."""

from __future__ import annotations

import re

import pytest

from assistant.cli import main
from tests.conftest import run_hotline as hotline


def test_the_report_of_a_month(month, store_url, tmp_path):
    """One child process per engine, the workbook from SQLite and the page from PostgreSQL."""
    _, store = month
    out = tmp_path / ("月报.xlsx" if store_url.startswith("sqlite") else "月报.html")
    done = hotline("report", "--from", f"{store.start}", "--to", f"{store.end}", "--out", str(out),
                   "--db", store_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已生成报表 {out}：2026-03-01 至 2026-03-31，工单 5,000 张"
    assert out.stat().st_size > 100_000
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def fails(capsys, args: list[str], *words: str) -> None:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, err
    first = err.splitlines()[0]
    assert first.startswith("错误：") and re.search(r"[\u4e00-\u9fff]", first[3:]), err
    for word in words:
        assert word in err, (word, err)


@pytest.mark.parametrize(("start", "end", "out", "words"), [
    ("2026-03-31", "2026-03-01", "a.xlsx", ("起始日期 2026-03-31 晚于截止日期 2026-03-01",)),
    ("2026-03-01", "2026-03-31", "a.pdf", ("不支持的报表格式", ".pdf")),
    ("2026-03-01", "2026-03-31", "x/a.html", ("报表文件夹", "不存在")),
    ("2026-3-1", "2026-03-31", "a.xlsx", ("2026-3-1", "YYYY-MM-DD")),
    ("2026-03-01", "2026-03-31", "a.xlsx", ("none.db", "不存在")),
])
def test_mistakes_are_one_chinese_line(capsys, tmp_path, start, end, out, words):
    db = f"sqlite:///{tmp_path / 'none.db'}"
    fails(capsys, ["report", "--from", start, "--to", end, "--out", str(tmp_path / out), "--db", db], *words)
    assert list(tmp_path.iterdir()) == []
