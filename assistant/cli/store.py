"""``hotline db`` and ``hotline tickets``: the store from the command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

from assistant.errors import AssistantError

COLUMNS = ("number", "status", "created_at", "deadline", "hotline", "appeal_type", "category", "unit", "urgency",
           "institution", "department", "caller_name", "phone", "incident_time", "location", "title", "demand",
           "summary")
HEADERS = ("工单编号", "状态", "创建时间", "办理时限", "热线", "诉求类型", "问题分类", "承办单位", "紧急程度",
           "涉及机构", "科室", "来电人", "联系电话", "事发时间", "地点", "标题", "诉求", "摘要")


def register(sub) -> None:
    db = sub.add_parser("db", help="数据库", description="数据库维护")
    dsub = db.add_subparsers(dest="db_command", required=True, metavar="操作")
    up = dsub.add_parser("upgrade", help="创建或升级数据库结构")
    up.add_argument("--db", help="数据库地址（默认 HOTLINE_DB 或 SQLite 文件）")
    up.set_defaults(run=run_upgrade)

    t = sub.add_parser("tickets", help="工单", description="查询、导出和统计工单")
    tsub = t.add_subparsers(dest="tickets_command", required=True, metavar="操作")
    for name, helptext in (("list", "列出工单"), ("export", "导出工单（CSV 或 XLSX）"), ("stats", "统计")):
        p = tsub.add_parser(name, help=helptext)
        p.add_argument("--db", help="数据库地址")
        p.add_argument("--from", dest="start", type=date.fromisoformat, help="起始日期 YYYY-MM-DD")
        p.add_argument("--to", dest="end", type=date.fromisoformat, help="截止日期 YYYY-MM-DD")
        p.add_argument("--status", help="状态，如 已受理")
        p.add_argument("--category", help="问题分类")
        p.add_argument("--unit", help="承办单位")
        p.add_argument("--overdue", action="store_true", help="只看已超期未办结的")
        p.add_argument("--search", help="在编号、标题、摘要中搜索")
        p.add_argument("--full", action="store_true", help="显示完整的来电人信息（需班长/质检角色，写入审计日志）")
        p.add_argument("--actor", default="cli", help="操作人（写入审计日志）")
        p.add_argument("--role", help="角色：operator、unit、supervisor、admin（默认 HOTLINE_ROLE 或 operator）")
        if name == "list":
            p.add_argument("--format", default="table", choices=("table", "csv", "json"))
            p.add_argument("--limit", type=int, default=50)
            p.add_argument("--offset", type=int, default=0)
            p.set_defaults(run=run_list)
        elif name == "export":
            p.add_argument("--out", required=True, help="输出文件 .csv 或 .xlsx")
            p.set_defaults(run=run_export)
        else:
            p.set_defaults(run=run_stats)
    show = tsub.add_parser("show", help="查看一张工单及其历史")
    show.add_argument("number")
    show.add_argument("--db")
    show.add_argument("--full", action="store_true", help="显示完整的来电人信息（需班长/质检角色，写入审计日志）")
    show.add_argument("--actor", default="cli")
    show.add_argument("--role", help="角色：operator、unit、supervisor、admin")
    show.set_defaults(run=run_show)
    imp = tsub.add_parser("import", help="把 hotline draft 的输出登记为工单")
    imp.add_argument("drafts", help="hotline draft 的 JSONL 输出（- 为标准输入）")
    imp.add_argument("--db")
    imp.add_argument("--actor", default="cli")
    imp.set_defaults(run=run_import)
    move = tsub.add_parser("move", help="改变工单状态")
    move.add_argument("number")
    move.add_argument("status")
    move.add_argument("--note")
    move.add_argument("--db")
    move.add_argument("--actor", default="cli")
    move.set_defaults(run=run_move)


def _engine(args):
    from assistant.store.db import make_engine

    return make_engine(getattr(args, "db", None))


def _filters(args):
    from assistant.store.tickets import Filters

    return Filters(start=args.start, end=args.end, status=args.status, category=args.category, unit=args.unit,
                   overdue=args.overdue, search=args.search)


def run_upgrade(args) -> int:
    from assistant.store.db import safe_url
    from assistant.store.migrate import upgrade

    engine = _engine(args)
    upgrade(engine)
    print(f"数据库已是最新结构：{safe_url(str(engine.url))}")
    return 0


def _check_role(args) -> None:
    from assistant.store.roles import current_role, require_full_access

    role = current_role(getattr(args, "role", None))
    if getattr(args, "full", False):
        require_full_access(role)


def _rows(args, limit=None, offset=0):
    from sqlalchemy.orm import Session

    from assistant.store.tickets import audit_full_read, query, row

    _check_role(args)
    engine = _engine(args)
    with Session(engine) as session, session.begin():
        stmt = query(_filters(args))
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        tickets = list(session.scalars(stmt))
        if args.full:
            for t in tickets:
                audit_full_read(t, args.actor, "列表/导出中查看完整来电人信息")
        return [row(t, full=args.full) for t in tickets]


def run_list(args) -> int:
    rows = _rows(args, args.limit, args.offset)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows([[r.get(c) or "" for c in COLUMNS] for r in rows])
        print(out.getvalue(), end="")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*("工单编号", "状态", "时限", "诉求类型", "问题分类", "承办单位", "来电人", "电话", "标题"))
        for r in rows:
            table.add_row(r["number"], r["status"], r["deadline"] or "", r["appeal_type"] or "",
                          r["category"] or "", r["unit"] or "", r["caller_name"] or "", r["phone"] or "",
                          (r["title"] or "")[:30])
        Console(width=200).print(table)
        print(f"共 {len(rows)} 条", file=sys.stderr)
    return 0


def run_export(args) -> int:
    rows = _rows(args)
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "工单"
        sheet.append(HEADERS)
        for r in rows:
            sheet.append([r.get(c) for c in COLUMNS])
        book.save(out)
    elif out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens it as UTF-8
            writer = csv.writer(f)
            writer.writerow(HEADERS)
            writer.writerows([[r.get(c) or "" for c in COLUMNS] for r in rows])
    else:
        raise AssistantError(f"不支持的导出格式 {out.suffix}", "请用 .csv 或 .xlsx")
    print(f"已导出 {len(rows)} 条工单到 {out}")
    return 0


def run_stats(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import stats

    names = {"status": "状态", "category": "问题分类", "unit": "承办单位", "appeal_type": "诉求类型"}
    with Session(_engine(args)) as session:
        result = stats(session, _filters(args))
    for key, rows in result.items():
        print(f"按{names[key]}：")
        for label, n in rows:
            print(f"  {label}\t{n}")
    return 0


def run_show(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import get, history_lines, read_full, row

    _check_role(args)
    with Session(_engine(args)) as session, session.begin():
        ticket = read_full(session, args.number, actor=args.actor) if args.full else get(session, args.number)
        data = row(ticket, full=args.full)
        for header, column in zip(HEADERS, COLUMNS, strict=True):
            print(f"{header}：{data.get(column) or ''}")
        print("历史：")
        for line in history_lines(ticket):
            print(f"  {line}")
    return 0


def run_import(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import create_ticket

    source = sys.stdin if args.drafts == "-" else open(args.drafts, encoding="utf-8")
    engine = _engine(args)
    numbers = []
    with source:
        for n, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                draft = json.loads(line)
                values = draft["ticket"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise AssistantError(f"{args.drafts} 第 {n} 行不是 hotline draft 的输出") from exc
            with Session(engine) as session, session.begin():
                ticket = create_ticket(session, hotline=draft.get("hotline") or "12345", values=values,
                                       operator_id=draft.get("operator_id"), actor=args.actor, drafted=values)
                numbers.append(ticket.number)
    print("\n".join(numbers))
    return 0


def run_move(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import get, transition

    with Session(_engine(args)) as session, session.begin():
        ticket = transition(session, get(session, args.number), args.status, actor=args.actor, note=args.note)
        print(f"{ticket.number}：{ticket.status}")
    return 0
