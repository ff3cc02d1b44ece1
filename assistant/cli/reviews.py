"""``hotline reviews``: the supervisors' QA reviews the store holds, listed, exported, and scored per operator.

A review is made in the review screen (``hotline review 工单编号``); these commands read them back. Each checks
what the user typed (dates, the output file) before the database is opened, and turns any database failure into
one Chinese message.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.cli.args import iso_date
from assistant.cli.common import DB_HELP


def register(sub) -> None:
    r = sub.add_parser("reviews", help="质检结果：列出、导出、接线员质检得分",
                       description="查看班长在质检界面（hotline review）保存的质检结果")
    rsub = r.add_subparsers(dest="reviews_command", required=True, metavar="操作")
    for name, helptext in (("list", "列出质检结果（新的在前）"), ("export", "导出质检结果（CSV 或 XLSX）"),
                           ("scores", "每位接线员的质检得分和各检查项通过率（低分在前）")):
        p = rsub.add_parser(name, help=helptext, description=helptext)
        p.add_argument("--db", help=DB_HELP)
        p.add_argument("--from", dest="start", type=iso_date, metavar="YYYY-MM-DD", help="质检日期起（含）")
        p.add_argument("--to", dest="end", type=iso_date, metavar="YYYY-MM-DD", help="质检日期止（含）")
        if name != "scores":
            p.add_argument("--operator", metavar="工号", help="只看这位接线员的通话")
        if name == "export":
            p.add_argument("--out", required=True, metavar="FILE", help="输出文件，.csv 或 .xlsx；文件夹须已存在")
        p.set_defaults(run={"list": run_list, "export": run_export, "scores": run_scores}[name])


def _rows(args):
    from sqlalchemy.orm import Session

    from assistant.errors import InputFileError
    from assistant.store.db import make_engine, storage_errors
    from assistant.store.migrate import ensure_schema
    from assistant.store.reviews import list_reviews, operator_scores

    if args.start and args.end and args.start > args.end:
        raise InputFileError(f"--from {args.start} 晚于 --to {args.end}", "起始日期应不晚于截止日期")
    engine = make_engine(args.db, must_exist=True)
    with storage_errors(engine.url):
        ensure_schema(engine)
        with Session(engine) as session:
            if args.reviews_command == "scores":
                return operator_scores(session, start=args.start, end=args.end)
            return list_reviews(session, operator=args.operator, start=args.start, end=args.end)


def run_list(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from assistant.store.reviews import COLUMNS, HEADERS

    rows = _rows(args)
    table = Table(*HEADERS)
    for row in rows:
        cells = row.cells()
        table.add_row(*(str(cells[c]) for c in COLUMNS))
    Console(width=200).print(table)
    print(f"共 {len(rows)} 条质检结果", file=sys.stderr)
    return 0


def run_export(args) -> int:
    from assistant.store.export import check_target
    from assistant.store.reviews import write_reviews

    out = Path(args.out)
    check_target(out)  # a target that cannot be written is refused before the database is read
    rows = _rows(args)
    write_reviews(out, rows)
    print(f"已导出 {len(rows)} 条质检结果到 {out}")
    return 0


def run_scores(args) -> int:
    from rich.console import Console
    from rich.table import Table

    scores = _rows(args)
    labels = list(dict.fromkeys(label for s in scores for label in s.passed))
    table = Table("接线员工号", "质检次数", "平均得分", *(f"{label}通过率" for label in labels))
    for s in scores:
        table.add_row(s.operator_id, str(s.reviews), f"{s.score:g}",
                      *(f"{s.passed[label]:g}%" if label in s.passed else "" for label in labels))
    Console(width=200).print(table)
    print(f"共 {len(scores)} 位接线员", file=sys.stderr)
    return 0
