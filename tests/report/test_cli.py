"""``hotline report`` as a supervisor runs it, on both engines: both files written, every mistake one Chinese line."""

from __future__ import annotations

import re

import pytest

from tests.conftest import run_hotline as hotline


def fails(done, *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("错误：") and re.search(r"[\u4e00-\u9fff]", first[3:]), done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


@pytest.mark.parametrize("name", ["月报.xlsx", "月报.html"])
def test_the_report_of_a_month(month, store_url, tmp_path, name):
    _, store = month
    out = tmp_path / name
    done = hotline("report", "--from", f"{store.start}", "--to", f"{store.end}", "--out", str(out),
                   "--db", store_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已生成报表 {out}：2026-03-01 至 2026-03-31，工单 5,000 张"
    assert out.stat().st_size > 100_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_mistakes_are_named_before_the_database_is_opened(tmp_path):
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    args = ("--db", missing)
    fails(hotline("report", "--from", "2026-03-31", "--to", "2026-03-01", "--out", str(tmp_path / "a.xlsx"), *args),
          "起始日期 2026-03-31 晚于截止日期 2026-03-01")
    fails(hotline("report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(tmp_path / "a.pdf"), *args),
          "不支持的报表格式", ".pdf")
    fails(hotline("report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(tmp_path / "x" / "a.html"),
                  *args), "报表文件夹", "不存在")
    fails(hotline("report", "--from", "2026-3-1", "--to", "2026-03-31", "--out", str(tmp_path / "a.xlsx"), *args),
          "2026-3-1", "YYYY-MM-DD")
    fails(hotline("report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(tmp_path / "a.xlsx"), *args),
          "none.db", "不存在")
    assert list(tmp_path.iterdir()) == []
