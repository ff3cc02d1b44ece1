"""``hotline db`` and ``hotline tickets``: the store from the command line.

Each command checks what the user typed (dates, states, files) before it opens the database, and runs its
database work inside ``storage_errors`` so that any failure there is one Chinese message, never a traceback.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from pathlib import Path

from assistant.cli.args import iso_date, non_negative_int
from assistant.draft.fields import LIST_FIELDS, label

DB_HELP = ("数据库地址，如 sqlite:///hotline.db 或 postgresql+psycopg://用户@主机/库名"
           "（默认 HOTLINE_DB，或 HOTLINE_HOME 中的 SQLite 文件）")
ACTOR_HELP = "操作人姓名或工号（写入审计日志，默认 cli）"
FULL_HELP = "显示完整的来电人信息（需班长/质检或管理员角色，写入审计日志）"
ROLE_HELP = ("角色：operator（接线员）、unit（承办单位）、supervisor（班长/质检）、admin（管理员）；"
             "默认 HOTLINE_ROLE 或 operator")


def register(sub) -> None:
    from assistant.cli import access, repeats
    from assistant.store.workflow import STATES, moves_help

    db = sub.add_parser("db", help="数据库", description="数据库维护")
    dsub = db.add_subparsers(dest="db_command", required=True, metavar="操作")
    up = dsub.add_parser("upgrade", help="创建或升级数据库结构", description="创建或升级数据库结构")
    up.add_argument("--db", help=DB_HELP)
    up.set_defaults(run=run_upgrade)
    access.register(dsub)

    t = sub.add_parser("tickets", help="工单", description="查询、导出和统计工单")
    tsub = t.add_subparsers(dest="tickets_command", required=True, metavar="操作")
    for name, helptext in (("list", "列出工单"), ("export", "导出工单（CSV 或 XLSX）"), ("stats", "统计")):
        p = tsub.add_parser(name, help=helptext, description=helptext)
        p.add_argument("--db", help=DB_HELP)
        p.add_argument("--from", dest="start", type=iso_date, metavar="YYYY-MM-DD", help="起始日期（含）")
        p.add_argument("--to", dest="end", type=iso_date, metavar="YYYY-MM-DD", help="截止日期（含）")
        p.add_argument("--status", metavar="STATUS", help=f"只看这一状态的工单：{'、'.join(STATES)}")
        p.add_argument("--category", metavar="CATEGORY", help="只看这一问题分类")
        p.add_argument("--unit", metavar="UNIT", help="只看这一承办单位")
        p.add_argument("--overdue", action="store_true", help="只看已超期未办结的")
        p.add_argument("--search", metavar="TEXT", help="在工单编号和标题中搜索（不搜摘要，以保证查询速度）")
        if name != "stats":  # counts show no caller, so there is no full view to ask for or to audit
            p.add_argument("--full", action="store_true", help=FULL_HELP)
            p.add_argument("--actor", default="cli", help=ACTOR_HELP)
            p.add_argument("--role", help=ROLE_HELP)
        if name == "list":
            p.add_argument("--format", default="table", choices=("table", "csv", "json"),
                           help="输出格式：table（表格，默认）、csv 或 json")
            p.add_argument("--limit", type=non_negative_int, default=50, metavar="N", help="最多列出多少条（默认 50）")
            p.add_argument("--offset", type=non_negative_int, default=0, metavar="N",
                           help="跳过前多少条，用于翻页（默认 0）")
            p.set_defaults(run=run_list)
        elif name == "export":
            p.add_argument("--out", required=True, metavar="FILE", help="输出文件，.csv 或 .xlsx；文件夹须已存在")
            p.set_defaults(run=run_export)
        else:
            p.set_defaults(run=run_stats)
    show = tsub.add_parser("show", help="查看一张工单及其历史", description="查看一张工单及其历史")
    show.add_argument("number", metavar="编号", help="工单编号，如 12345-20260105-0001")
    show.add_argument("--db", help=DB_HELP)
    show.add_argument("--full", action="store_true", help=FULL_HELP)
    show.add_argument("--actor", default="cli", help=ACTOR_HELP)
    show.add_argument("--role", help=ROLE_HELP)
    show.set_defaults(run=run_show)
    imp = tsub.add_parser("import", help="把 hotline draft 的输出登记为工单",
                          description="把 hotline draft 的输出登记为工单：先检查每一行，全部无误才一次写入")
    imp.add_argument("drafts", metavar="文件", help="hotline draft 的 JSONL 输出（- 为标准输入）")
    imp.add_argument("--db", help=DB_HELP)
    imp.add_argument("--actor", default="cli", help=ACTOR_HELP)
    imp.set_defaults(run=run_import)
    move = tsub.add_parser("move", help=f"改变工单状态（{'、'.join(STATES)}）",
                           description=f"改变工单状态。可走的步骤：{moves_help()}")
    move.add_argument("number", metavar="编号", help="工单编号，如 12345-20260105-0001")
    move.add_argument("status", metavar="状态", help=f"新状态：{'、'.join(STATES)}")
    move.add_argument("--note", help="备注（写入工单历史）")
    move.add_argument("--db", help=DB_HELP)
    move.add_argument("--actor", default="cli", help=ACTOR_HELP)
    move.set_defaults(run=run_move)
    edit = tsub.add_parser("edit", help="更正已登记工单的字段（班长/质检）", description=(
        "更正一张已登记工单的字段，如 hotline tickets edit 编号 category=食品安全 紧急程度=紧急。"
        "字段可写英文名或中文名；值为空（category=）表示清空。全部改动在一次事务中写入，"
        "记入工单历史和更正记录（用于 hotline learn）。需要 supervisor 或 admin 角色"))
    edit.add_argument("number", metavar="编号", help="工单编号，如 12345-20260105-0001")
    edit.add_argument("values", nargs="+", metavar="字段=值", help="要改的字段和新值，可写多个")
    edit.add_argument("--db", help=DB_HELP)
    edit.add_argument("--actor", default="cli", help=ACTOR_HELP)
    edit.add_argument("--role", help=ROLE_HELP)
    edit.set_defaults(run=run_edit)
    repeats.register(tsub)


def _url(args) -> str:
    from assistant.store.db import default_url

    return getattr(args, "db", None) or default_url()


def _storage(run):
    """Run a command with every database failure turned into one StorageError naming the database."""

    @functools.wraps(run)
    def wrapped(args) -> int:
        from assistant.store.db import storage_errors

        with storage_errors(_url(args)):
            return run(args)

    return wrapped


def _engine(args, *, creates: bool = False):
    """The engine at the current schema; a SQLite file must exist unless the command ``creates`` tickets."""
    from assistant.store.db import make_engine
    from assistant.store.migrate import ensure_schema

    engine = make_engine(getattr(args, "db", None), must_exist=not creates)
    ensure_schema(engine)
    return engine


def _filters(args):
    from assistant.store.tickets import Filters

    return Filters(start=args.start, end=args.end, status=args.status, category=args.category, unit=args.unit,
                   overdue=args.overdue, search=args.search)


@_storage
def run_upgrade(args) -> int:
    from assistant.store.db import make_engine, safe_url
    from assistant.store.migrate import upgrade

    engine = make_engine(args.db)
    upgrade(engine)
    print(f"数据库已是最新结构：{safe_url(engine.url)}")
    return 0


def _check_role(args) -> None:
    from assistant.store.roles import current_role, require_full_access

    role = current_role(getattr(args, "role", None))
    if getattr(args, "full", False):
        require_full_access(role)


def _select_rows(session, args, filters, limit=None, offset=0) -> list[dict]:
    """The filtered tickets as rows, each full read written to the audit log in the caller's transaction."""
    from assistant.store.tickets import audit_full_read, query, row

    stmt = query(filters)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    tickets = list(session.scalars(stmt))
    if args.full:
        for t in tickets:
            audit_full_read(t, args.actor, "列表/导出中查看完整来电人信息")
    return [row(t, full=args.full) for t in tickets]


@_storage
def run_list(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.export import COLUMNS, HEADERS

    _check_role(args)
    filters = _filters(args)  # an unknown state is refused before the database is opened
    with Session(_engine(args)) as session, session.begin():
        rows = _select_rows(session, args, filters, args.limit, args.offset)
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

        table = Table(*(label(c) for c in LIST_FIELDS))
        for r in rows:
            table.add_row(*(r[c] or "" for c in LIST_FIELDS[:-1]), (r["title"] or "")[:30])
        Console(width=200).print(table)
        print(f"共 {len(rows)} 条", file=sys.stderr)
    return 0


@_storage
def run_export(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.export import check_target, write_tickets

    out = Path(args.out)
    check_target(out)
    _check_role(args)
    filters = _filters(args)
    with Session(_engine(args)) as session, session.begin():
        rows = _select_rows(session, args, filters)
        write_tickets(out, rows)  # inside the transaction: no audit entry for an export that was not written
    print(f"已导出 {len(rows)} 条工单到 {out}")
    return 0


@_storage
def run_stats(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import stats

    filters = _filters(args)
    with Session(_engine(args)) as session:
        result = stats(session, filters)
    for key, rows in result.items():
        print(f"按{label(key)}：")
        for value, n in rows:
            print(f"  {value}\t{n}")
    return 0


@_storage
def run_show(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.export import COLUMNS, HEADERS
    from assistant.store.tickets import get, history_lines, read_full, row

    _check_role(args)
    with Session(_engine(args)) as session, session.begin():
        ticket = read_full(session, args.number, actor=args.actor) if args.full else get(session, args.number)
        data = row(ticket, full=args.full)
        history = history_lines(ticket)
    for header, column in zip(HEADERS, COLUMNS, strict=True):
        print(f"{header}：{data.get(column) or ''}")
    print("历史：")
    for line in history:
        print(f"  {line}")
    return 0


@_storage
def run_import(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.importing import import_drafts, parse_drafts, read_lines
    from assistant.store.values import check_actor

    check_actor(args.actor)
    name = "标准输入" if args.drafts == "-" else args.drafts
    drafts = parse_drafts(read_lines(args.drafts), name)  # every line checked before the database is touched
    if not drafts:
        print(f"{name} 中没有工单，未导入", file=sys.stderr)
        return 0
    with Session(_engine(args, creates=True)) as session, session.begin():  # one transaction: all or none
        numbers = import_drafts(session, drafts, actor=args.actor)
    print("\n".join(numbers))
    print(f"已导入 {len(numbers)} 张工单", file=sys.stderr)
    return 0


@_storage
def run_move(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import get, transition
    from assistant.store.workflow import parse_status

    target = parse_status(args.status)  # an unknown state is refused before the database is opened
    with Session(_engine(args)) as session, session.begin():
        ticket = transition(session, get(session, args.number), target, actor=args.actor, note=args.note)
        number, status = ticket.number, ticket.status
    print(f"{number}：{status}")
    return 0


def _assignments(pairs: list[str]) -> dict[str, str]:
    """``字段=值`` words → {stored field: value}; each mistake named before the database is opened."""
    from assistant.errors import TicketError
    from assistant.store.edits import field_name

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise TicketError(f"“{pair}”不是 字段=值 的形式", "例如 category=食品安全 或 紧急程度=紧急")
        field = field_name(name)
        if field in values:
            raise TicketError(f"字段 {label(field)}（{field}）写了两次", "每个字段只写一次")
        values[field] = value.strip()
    return values


@_storage
def run_edit(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.centre import active_centre
    from assistant.errors import AccessError
    from assistant.store.edits import check_values, update_ticket
    from assistant.store.roles import FULL_ACCESS, current_role
    from assistant.store.tickets import get
    from assistant.store.values import check_actor

    role = current_role(args.role)
    if role not in FULL_ACCESS:
        raise AccessError(f"角色“{role.label}”不能更正已登记的工单",
                          "需要 supervisor（班长/质检）或 admin 角色：--role supervisor")
    check_actor(args.actor)
    values = _assignments(args.values)
    taxonomy = active_centre().taxonomy
    check_values(values, taxonomy)  # a label the taxonomy lacks is refused before the database is opened
    with Session(_engine(args)) as session, session.begin():  # one transaction: every field or none
        ticket = get(session, args.number)
        changed = update_ticket(session, ticket, values, actor=args.actor, taxonomy=taxonomy)
        number = ticket.number
        shown = [(name, getattr(ticket, name)) for name in changed]
    if not changed:
        print(f"{number}：没有改动（新值与原值相同）")
        return 0
    for name, value in shown:
        print(f"{number}：{label(name)} → {value or '（空）'}")
    return 0
