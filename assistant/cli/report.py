"""``hotline report``: the supervisor's report of a period, as an Excel workbook or a page that works offline."""

from __future__ import annotations

from pathlib import Path

from assistant.cli.args import iso_date
from assistant.cli.common import DB_HELP


def register(sub) -> None:
    p = sub.add_parser("report", help="统计报表（XLSX 或 HTML）", description=(
        "统计一段时间内登记的工单：承办单位 × 问题分类、周环比与上升项（按统计检验标记）、投诉热点（地点和单位）、"
        "各单位超期率与平均办理时长、回访满意度、重复来电、质检评分，附图表。.xlsx 为 Excel 工作簿，"
        ".html 为单个网页文件（离线可看）。报表不含来电人姓名和号码"))
    p.add_argument("--from", dest="start", required=True, type=iso_date, metavar="YYYY-MM-DD", help="起始日期（含）")
    p.add_argument("--to", dest="end", required=True, type=iso_date, metavar="YYYY-MM-DD", help="截止日期（含）")
    p.add_argument("--out", required=True, metavar="FILE", help="输出文件：.xlsx 或 .html；文件夹须已存在")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(run=run_report)


def run_report(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.report import build_report, check_period, check_target, write_report
    from assistant.store.db import default_url, make_engine, storage_errors
    from assistant.store.migrate import ensure_schema

    out = Path(args.out)
    check_period(args.start, args.end)  # mistakes the user typed are named before the database is opened
    check_target(out)
    with storage_errors(args.db or default_url()):
        engine = make_engine(args.db, must_exist=True)
        ensure_schema(engine)
        with Session(engine) as session:
            report = build_report(session, args.start, args.end)
    write_report(report, out)
    total = next(value for label, value, _ in report.summary if label == "工单总数")
    print(f"已生成报表 {out}：{report.period}，工单 {total:,} 张")
    return 0
