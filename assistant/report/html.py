"""The report as one HTML file that needs nothing else: styles inline, charts and the font as data: URIs.

The page is read where the supervisor opens it, often offline, so it loads nothing: no script, no stylesheet or
font from elsewhere. It carries the glyphs of its own text (``fonts.css_font_face``), so Chinese shows the same
on a machine without a Chinese font. Tables keep their header in view while scrolling, as the workbook's frozen
row does; numbers are right-aligned and formatted as in the workbook.
"""

from __future__ import annotations

import base64
from html import escape

from assistant.report.fonts import CSS_STACK, css_font_face
from assistant.report.model import Report, Section, shown

NUMERIC = ("int", "signed", "pct", "days", "score", "p")

STYLE = """
body { font-family: %(stack)s; margin: 0; color: #1f2933; background: #f5f7fa; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 6px; border-bottom: 2px solid #2f6db5; padding-bottom: 4px; }
.meta { color: #52606d; margin: 0 0 16px; }
.note { color: #52606d; font-size: 13px; margin: 4px 0 10px; line-height: 1.6; }
nav { font-size: 14px; margin: 12px 0; line-height: 2; }
nav a { color: #2f6db5; margin-right: 14px; text-decoration: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { background: #fff; border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 12px; color: #52606d; }
.card .value { font-size: 20px; margin-top: 4px; }
.scroll { max-height: 480px; overflow: auto; border: 1px solid #d9e2ec; background: #fff; }
table { border-collapse: collapse; font-size: 13px; width: 100%%; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e7eb; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #dce6f1; text-align: center; z-index: 1; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f0f4f8; }
td.flag { color: #c8423b; font-weight: bold; }
img { max-width: 100%%; display: block; margin: 8px 0; background: #fff; }
.empty { color: #9aa5b1; padding: 8px; }
"""


def _table(section: Section) -> str:
    table = section.table
    if not table.rows:
        return '<p class="empty">（无数据）</p>'
    head = "".join(f"<th>{escape(c.title)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            text = escape(shown(value, column.kind)) if value is not None else "—"
            css = "num" if column.kind in NUMERIC else ("flag" if value == "上升" else "")
            cells.append(f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>")
        total = ' class="total"' if row[0] == "合计" else ""
        body.append(f"<tr{total}>{''.join(cells)}</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _chart(section: Section) -> str:
    if not section.chart:
        return ""
    data = base64.b64encode(section.chart).decode("ascii")
    return f'<img alt="{escape(section.chart_title)}" src="data:image/png;base64,{data}">'


def render_html(report: Report) -> str:
    cards = "".join(f'<div class="card"><div class="label">{escape(label)}</div>'
                    f'<div class="value">{escape(shown(value, kind))}</div></div>'
                    for label, value, kind in report.summary if kind != "text")
    rules = "".join(f'<p class="note">{escape(value)}</p>' for _, value, kind in report.summary if kind == "text")
    nav = "".join(f'<a href="#s{i}">{escape(s.title)}</a>' for i, s in enumerate(report.sections, start=1))
    meta = f"统计区间 {report.period}　统计时点 {report.as_of:%Y-%m-%d}　生成于 {report.generated}"
    parts = [f"<h1>{escape(report.title)}</h1>", f'<p class="meta">{meta}</p>',
             f'<div class="cards">{cards}</div>{rules}<nav>{nav}</nav>']
    for i, s in enumerate(report.sections, start=1):
        parts.append(f'<section id="s{i}"><h2>{escape(s.title)}</h2><p class="note">{escape(s.note)}</p>'
                     f"{_chart(s)}{_table(s)}</section>")
    body = "".join(parts)
    text = "".join(c for c in body if not c.isascii()) + "".join(chr(c) for c in range(0x20, 0x7F))
    style = css_font_face(text) + STYLE % {"stack": CSS_STACK}
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(report.title)} {report.period}</title><style>{style}</style></head>"
            f"<body><main>{body}</main></body></html>\n")
