"""The report as files people open: the workbook read back with openpyxl, the page opened in headless Chromium.

The page is opened offline, from disk, by the Debian ``chromium`` that ``scripts/setup`` installs (Playwright
drives it; no browser is downloaded): it must load with no console error and no request, show its font and its
charts, and leave a screenshot.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.report import build_report, write_report
from assistant.report.model import shown
from assistant.report.xlsx import width
from tests.report.conftest import NOW

CHROMIUM = "/usr/bin/chromium"


def test_the_workbook_opens_with_frozen_headers_sized_columns_and_charts(report, tmp_path):
    import openpyxl

    out = tmp_path / "月报.xlsx"
    write_report(report, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["概览", *(s.name for s in report.sections)]
    overview = book["概览"]
    assert overview.freeze_panes == "A2"
    values = {overview.cell(row=r, column=1).value: overview.cell(row=r, column=2) for r in range(2, 40)}
    assert values["生成时间"].value == "2026-04-03 09:30"  # no seconds, no microseconds
    assert values["统计时点（判断超期）"].value.date() == date(2026, 4, 3)
    assert values["统计时点（判断超期）"].number_format == "yyyy-mm-dd"
    assert values["工单总数"].value == 5000 and values["超期率"].number_format == "0.0%"
    for section in report.sections:
        sheet = book[section.name]
        assert sheet.freeze_panes == ("B2" if section.table.key_columns else "A2")
        headers = [c.value for c in sheet[1]][: len(section.table.columns)]
        assert headers == [c.title for c in section.table.columns]
        assert len(sheet._images) == (1 if section.chart else 0), section.name
        for i, column in enumerate(section.table.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            longest = max([width(column.title)] + [width(shown(r[i - 1], column.kind)) for r in section.table.rows])
            assert sheet.column_dimensions[letter].width >= min(longest, 58), (section.name, column.title)
            for row in range(2, min(sheet.max_row, 6) + 1):
                cell = sheet.cell(row=row, column=i)
                if column.kind == "pct" and cell.value is not None:
                    assert cell.number_format == "0.0%"
                if column.kind == "date":
                    assert isinstance(cell.value, datetime) and cell.number_format == "yyyy-mm-dd"
    pivot = book["单位×分类"]
    assert pivot.cell(row=pivot.max_row, column=1).value == "合计"
    assert pivot.cell(row=pivot.max_row, column=pivot.max_column).value == 5000


def test_the_page_works_offline_in_chromium(report, tmp_path):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "月报.html"
    write_report(report, out)
    page_text = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page_text), "the page loads something"
    assert "<script" not in page_text and "<link" not in page_text
    shot = tmp_path / "月报.png"
    problems, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
                else None)
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.goto(out.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        images = page.evaluate("[...document.images].map(i => [i.alt, i.complete && i.naturalWidth > 0])")
        font = page.evaluate("document.fonts.check('16px \"Noto Sans SC\"', '工单')")
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
        heading = page.inner_text("h1")
        cards = page.inner_text(".cards")
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert problems == [] and requests == []
    assert len(images) == sum(1 for s in report.sections if s.chart) and all(ok for _, ok in images), images
    assert font and any("Noto Sans SC" in f for f in loaded), loaded
    assert "工单统计报表" in heading and "5,000" in cards
    assert shot.stat().st_size > 50_000


def test_an_empty_period_still_makes_both_files(month, tmp_path):
    engine, _ = month
    with Session(engine) as session:
        report = build_report(session, date(2020, 1, 1), date(2020, 1, 31), now=NOW)
    summary = {label: value for label, value, _ in report.summary}
    assert summary["工单总数"] == 0 and summary["超期率"] is None
    for name in ("空.xlsx", "空.html"):
        write_report(report, tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
    assert "（无数据）" in (tmp_path / "空.html").read_text(encoding="utf-8")


def test_a_failed_write_leaves_no_file(report, tmp_path):
    from assistant.errors import InputFileError

    with pytest.raises(InputFileError, match="不支持的报表格式"):
        write_report(report, tmp_path / "月报.pdf")
    with pytest.raises(InputFileError, match="不存在"):
        write_report(report, tmp_path / "没有的文件夹" / "月报.xlsx")
    assert list(Path(tmp_path).iterdir()) == []


def test_a_write_that_fails_midway_keeps_the_earlier_report(report, tmp_path, monkeypatch):
    from assistant.errors import InputFileError
    from assistant.report import xlsx

    out = tmp_path / "月报.xlsx"
    write_report(report, out)
    before = out.read_bytes()

    def full_disk(report, path):
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx, "write_xlsx", full_disk)
    with pytest.raises(InputFileError, match="无法写入报表 .*月报.xlsx") as caught:
        write_report(report, out)
    assert "没有写出任何内容" in caught.value.hint
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["月报.xlsx"]
