"""``hotline db`` and ``hotline tickets``: the store from the command line.

Each command checks what the user typed (dates, states, files) before it opens the database, and runs its
database work inside ``storage_errors`` so that any failure there is one Chinese message, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from assistant.cli.args import iso_date, non_negative_int
from assistant.cli.common import (
    ACTOR_HELP,
    DB_HELP,
    FULL_HELP,
    ROLE_HELP,
    check_role,
    open_engine,
    state_line,
    storage_command,
)
from assistant.draft.fields import label

# A ticket in one line of `tickets list`: urgency and both deadlines beside the state, the title last.
LIST_COLUMNS = ("number", "status", "urgency", "dispatch_deadline", "deadline", "overdue", "appeal_type", "category",
                "unit", "caller_name", "phone", "title")


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
        p.add_argument("--overdue", action="store_true",
                       help="只看已超期的：未办结超过办理时限，或仍未派单（已受理、退回）超过派单时限")
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
    show = _case_parser(tsub, "show", "查看一张工单及其历史", "查看一张工单及其历史")
    show.add_argument("--full", action="store_true", help=FULL_HELP)
    show.set_defaults(run=run_show)
    imp = tsub.add_parser("import", help="把 hotline draft 的输出登记为工单",
                          description="把 hotline draft 的输出登记为工单：先检查每一行，全部无误才一次写入")
    imp.add_argument("drafts", metavar="文件", help="hotline draft 的 JSONL 输出（- 为标准输入）")
    imp.add_argument("--db", help=DB_HELP)
    imp.add_argument("--actor", default="cli", help=ACTOR_HELP)
    imp.set_defaults(run=run_import)
    move = _case_parser(tsub, "move", f"改变工单状态（{'、'.join(STATES)}）", (
        f"改变工单状态。可走的步骤：{moves_help()}。退回要在 --note 写明原因，已办结要在 --note 写明办理结果；"
        "转办、改派、回访另有专门的命令（dispatch、reroute、visit）"))
    move.add_argument("status", metavar="状态", help=f"新状态：{'、'.join(STATES)}")
    move.add_argument("--note", help="备注（写入工单历史）；退回时为退回原因，已办结时为办理结果")
    move.set_defaults(run=run_move)
    dispatch = _case_parser(tsub, "dispatch", "转办：把工单派给承办单位（已受理、退回 → 已派单）", (
        "把已受理或被退回的工单转办给承办单位：单位须在单位目录中（可写简称），不写 --unit 时派给工单上的单位。"
        "派单时限见 tickets show。需要 operator、supervisor 或 admin 角色"))
    dispatch.add_argument("--unit", metavar="单位", help="承办单位（名称或简称，须在单位目录中）")
    dispatch.add_argument("--note", help="转办意见（写入工单历史）")
    dispatch.set_defaults(run=run_dispatch)
    reroute = _case_parser(tsub, "reroute", "改派：换一个承办单位（已受理、退回、已派单）", (
        "把工单改派给另一个承办单位，原单位和新单位记入工单历史。被退回的工单改派后为已派单。"
        "需要 operator、supervisor 或 admin 角色"))
    reroute.add_argument("--unit", metavar="单位", required=True, help="新的承办单位（名称或简称，须在单位目录中）")
    reroute.add_argument("--note", help="改派原因（写入工单历史）")
    reroute.set_defaults(run=run_reroute)
    back = _case_parser(tsub, "return", "退回：承办单位把不属于自己的工单退回热线中心", (
        "承办单位退回工单（已派单、办理中 → 退回），必须写明原因；工单回到热线中心重新派单，"
        "派单时限从退回之日重新计算。需要 unit、supervisor 或 admin 角色"))
    back.add_argument("--reason", metavar="原因", help="退回原因（必填）")
    back.set_defaults(run=run_return)
    finish = _case_parser(tsub, "finish", "办结：记录承办单位的办理结果（→ 已办结）", (
        "承办单位办结工单，必须写明答复或处理结果；尚未签收的已派单工单同时签收。需要 unit、supervisor 或 admin 角色"))
    finish.add_argument("--reply", metavar="结果", help="办理结果（必填）")
    finish.set_defaults(run=run_finish)
    visit = _case_parser(tsub, "visit", "回访：记录回访方式、满意度和意见（已办结、当场办结 → 已回访）", (
        "记录回访：怎样联系到来电人、满意度（满意、基本满意、不满意）和意见。不满意时可加 --reopen 重新办理："
        "回到原承办单位的办理中（当场办结的回到已受理），办理时限从当天重新计算。"
        "需要 operator、supervisor 或 admin 角色"))
    visit.add_argument("--method", metavar="方式", help="回访方式，如 电话、短信（本中心可用的方式见 workflow.toml）")
    visit.add_argument("--satisfaction", metavar="满意度", help="满意、基本满意 或 不满意")
    visit.add_argument("--comment", help="来电人的意见（写入工单历史）")
    visit.add_argument("--reopen", action="store_true", help="不满意时重新办理")
    visit.set_defaults(run=run_visit)
    edit = _case_parser(tsub, "edit", "更正已登记工单的字段（班长/质检）", (
        "更正一张已登记工单的字段，如 hotline tickets edit 编号 category=食品安全 紧急程度=紧急。"
        "字段可写英文名或中文名；值为空（category=）表示清空。全部改动在一次事务中写入，"
        "记入工单历史和更正记录（用于 hotline learn）。需要 supervisor 或 admin 角色"))
    edit.add_argument("values", nargs="+", metavar="字段=值", help="要改的字段和新值，可写多个")
    edit.set_defaults(run=run_edit)
    repeats.register(tsub)


def _case_parser(tsub, name: str, helptext: str, description: str):
    """A command on one ticket (a step, a look, an edit): its number, the database, who acts and in what role."""
    p = tsub.add_parser(name, help=helptext, description=description)
    p.add_argument("number", metavar="编号", help="工单编号，如 12345-20260105-0001")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--actor", default="cli", help=ACTOR_HELP)
    p.add_argument("--role", help=ROLE_HELP)
    return p


def _filters(args):
    from assistant.store.tickets import Filters

    return Filters(start=args.start, end=args.end, status=args.status, category=args.category, unit=args.unit,
                   overdue=args.overdue, search=args.search)


@storage_command
def run_upgrade(args) -> int:
    from assistant.store.db import make_engine, safe_url
    from assistant.store.migrate import upgrade

    engine = make_engine(args.db)
    upgrade(engine)
    print(f"数据库已是最新结构：{safe_url(engine.url)}")
    return 0


def _select_rows(session, args, filters, limit=None, offset=0) -> list[dict]:
    """The filtered tickets as rows, a full read written to the audit log in the caller's transaction (by the
    database on PostgreSQL)."""
    from assistant.store.access import read_personal
    from assistant.store.tickets import query, row

    tickets = list(session.scalars(query(filters, limit=limit, offset=offset)))
    if args.full:
        read_personal(session, tickets, actor=args.actor, note="列表/导出中查看完整来电人信息")
    return [row(t, full=args.full) for t in tickets]


@storage_command
def run_list(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.export import COLUMNS, HEADERS

    filters = _filters(args)  # an unknown state is refused before the database is opened
    names = dict(zip(COLUMNS, HEADERS, strict=True))
    with Session(open_engine(args)) as session, session.begin():
        check_role(args, session)
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

        table = Table(*(names[c] for c in LIST_COLUMNS))
        for r in rows:
            table.add_row(*(r[c] or "" for c in LIST_COLUMNS[:-1]), (r["title"] or "")[:30])
        Console(width=200).print(table)
        print(f"共 {len(rows)} 条", file=sys.stderr)
    return 0


@storage_command
def run_export(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.export import check_target, write_tickets

    out = Path(args.out)
    check_target(out)
    filters = _filters(args)
    with Session(open_engine(args)) as session, session.begin():
        check_role(args, session)
        rows = _select_rows(session, args, filters)
        write_tickets(out, rows)  # inside the transaction: no audit entry for an export that was not written
    print(f"已导出 {len(rows)} 条工单到 {out}")
    return 0


@storage_command
def run_stats(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.tickets import stats

    filters = _filters(args)
    with Session(open_engine(args)) as session:
        result = stats(session, filters)
    for key, rows in result.items():
        print(f"按{label(key)}：")
        for value, n in rows:
            print(f"  {value}\t{n}")
    return 0


@storage_command
def run_show(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.access import read_personal
    from assistant.store.export import COLUMNS, HEADERS
    from assistant.store.tickets import get, history_lines, row

    with Session(open_engine(args)) as session, session.begin():
        check_role(args, session)
        ticket = get(session, args.number)
        if args.full:  # audited in this transaction: by the database on PostgreSQL
            read_personal(session, [ticket], actor=args.actor, note="查看来电人完整信息")
        data = row(ticket, full=args.full)
        history = history_lines(ticket)
    for header, column in zip(HEADERS, COLUMNS, strict=True):
        print(f"{header}：{data.get(column) or ''}")
    print("历史：")
    for line in history:
        print(f"  {line}")
    return 0


@storage_command
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
    with Session(open_engine(args, creates=True)) as session, session.begin():  # one transaction: all or none
        numbers = import_drafts(session, drafts, actor=args.actor)
    print("\n".join(numbers))
    print(f"已导入 {len(numbers)} 张工单", file=sys.stderr)
    return 0


def _step(args, step, take) -> int:
    """Take ``step`` on the ticket in one transaction and print its new state (and the unit and deadline the
    step set). What the user typed was checked before; the role is the database session's on PostgreSQL (a
    login's group role, which ``--role`` may only repeat) and the configured one on SQLite."""
    from sqlalchemy.orm import Session

    from assistant.store.roles import current_role
    from assistant.store.tickets import get
    from assistant.store.values import check_actor
    from assistant.store.workflow import check_may

    check_actor(args.actor)
    engine = open_engine(args)
    role = current_role(args.role, engine)
    if step is not None:
        check_may(role, step)
    with Session(engine) as session, session.begin():
        ticket = take(session, get(session, args.number), role)
        shown = state_line(ticket)
    print(shown)
    return 0


@storage_command
def run_move(args) -> int:
    from assistant.store.case import move
    from assistant.store.workflow import parse_status

    target = parse_status(args.status)  # an unknown state is refused before the database is opened
    return _step(args, None, lambda session, ticket, role: move(session, ticket, target, actor=args.actor, role=role,
                                                                note=args.note))


@storage_command
def run_dispatch(args) -> int:
    from assistant.store.case import dispatch
    from assistant.store.workflow import Step

    return _step(args, Step.DISPATCH, lambda session, ticket, role: dispatch(
        session, ticket, actor=args.actor, role=role, unit=args.unit, note=args.note))


@storage_command
def run_reroute(args) -> int:
    from assistant.store.case import require, reroute
    from assistant.store.workflow import Step

    require(args.unit, "承办单位不能为空", "用 --unit 写明改派给哪个承办单位")
    return _step(args, Step.REROUTE, lambda session, ticket, role: reroute(
        session, ticket, actor=args.actor, role=role, unit=args.unit, note=args.note))


@storage_command
def run_return(args) -> int:
    from assistant.store.case import RETURN_REASON, require, return_ticket
    from assistant.store.workflow import Step

    require(args.reason, *RETURN_REASON)
    return _step(args, Step.RETURN, lambda session, ticket, role: return_ticket(
        session, ticket, actor=args.actor, role=role, reason=args.reason))


@storage_command
def run_finish(args) -> int:
    from assistant.store.case import FINISH_REPLY, finish, require
    from assistant.store.workflow import Step

    require(args.reply, *FINISH_REPLY)
    return _step(args, Step.FINISH, lambda session, ticket, role: finish(
        session, ticket, actor=args.actor, role=role, reply=args.reply))


@storage_command
def run_visit(args) -> int:
    from assistant.store.case import check_visit, visit
    from assistant.store.workflow import Step

    check_visit(args.method, args.satisfaction, reopen=args.reopen)  # the role is checked with the database
    return _step(args, Step.VISIT, lambda session, ticket, role: visit(
        session, ticket, actor=args.actor, role=role, method=args.method, satisfaction=args.satisfaction,
        comment=args.comment, reopen=args.reopen))


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


@storage_command
def run_edit(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.centre import active_centre
    from assistant.errors import AccessError
    from assistant.store.edits import check_values, update_ticket
    from assistant.store.roles import FULL_ACCESS
    from assistant.store.tickets import get, reading_role
    from assistant.store.values import check_actor

    check_actor(args.actor)
    values = _assignments(args.values)
    taxonomy = active_centre().taxonomy
    check_values(values, taxonomy)  # a label the taxonomy lacks is refused before the database is opened
    with Session(open_engine(args)) as session, session.begin():  # one transaction: every field or none
        role = reading_role(session, args.role)  # the login's on PostgreSQL, the configured one on SQLite
        if role not in FULL_ACCESS:
            raise AccessError(f"角色“{role.label}”不能更正已登记的工单",
                              "需要 supervisor（班长/质检）或 admin 角色：--role supervisor")
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
