"""``hotline tickets search``, ``repeats``, ``merge`` and ``unmerge``: a caller's tickets, the groups of tickets
that repeat one matter (重复诉求并单) with the likely repeats still to review, the merge itself and its undoing.

The database plumbing, the role check and the wording of the shared flags are ``cli/common.py``'s, the ones
``cli/store.py`` uses, so that these commands mask, audit and fail exactly as ``tickets list`` does.
"""

from __future__ import annotations

import sys

from assistant.cli.args import iso_date, positive_int
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


def register(tsub) -> None:
    """Add the repeat callers' commands to ``hotline tickets``."""
    s = tsub.add_parser("search", help="按来电电话、姓名或编号查找工单（连同并单）", description=(
        "按来电电话、来电人姓名或工单编号查找工单，最新的在前；并过单的工单连同主单和其他重复工单一起列出。"
        "来电人信息默认打码"))
    which = s.add_mutually_exclusive_group(required=True)
    which.add_argument("--phone", metavar="电话", help="来电电话（完整号码，写法不限：139 1234 5678、+86…）")
    which.add_argument("--name", metavar="姓名", help="来电人姓名（完全一致）")
    which.add_argument("--number", metavar="编号", help="工单编号：列出它所在的并单组")
    s.add_argument("--limit", type=positive_int, default=50, metavar="N", help="最多找多少张（默认 50）")
    s.add_argument("--db", help=DB_HELP)
    s.add_argument("--full", action="store_true", help=FULL_HELP)
    s.add_argument("--actor", default="cli", help=ACTOR_HELP)
    s.add_argument("--role", help=ROLE_HELP)
    s.set_defaults(run=run_search)
    r = tsub.add_parser("repeats", help="并单组和疑似重复的工单", description=(
        "列出并单组（主单和并入它的重复工单），以及疑似重复、尚未并单的工单：批量处理时标记的，"
        "加 --scan 时再按相似度查一遍所选时段的未办结工单"))
    r.add_argument("--from", dest="start", type=iso_date, metavar="YYYY-MM-DD", help="起始日期（含）")
    r.add_argument("--to", dest="end", type=iso_date, metavar="YYYY-MM-DD", help="截止日期（含）")
    r.add_argument("--open", action="store_true", help="只看主单仍未办结的")
    r.add_argument("--scan", action="store_true",
                   help="再按相似度查找疑似重复（默认查最近 repeat_days 天，可用 --from/--to 指定）")
    r.add_argument("--days", type=positive_int, metavar="N",
                   help="相似度查找时向前看多少天内的工单（默认 config.toml 的 repeat_days，30）")
    r.add_argument("--db", help=DB_HELP)
    r.set_defaults(run=run_repeats)
    m = tsub.add_parser("merge", help="并单：把重复诉求的工单并入更早的工单", description=(
        "并单：把一张工单作为重复诉求并入同一诉求更早的、未办结的工单（主单）。主单保留办理时限，"
        "并入的工单随主单的时限；两张工单的历史中都记下这次并单。需要 operator、supervisor 或 admin 角色"))
    m.add_argument("number", metavar="编号", help="重复诉求的工单编号（较晚的）")
    m.add_argument("into", metavar="主单编号", help="并入的工单编号（较早的）")
    m.add_argument("--note", help="备注（写入两张工单的历史）")
    m.add_argument("--db", help=DB_HELP)
    m.add_argument("--actor", default="cli", help=ACTOR_HELP)
    m.add_argument("--role", help=ROLE_HELP)
    m.set_defaults(run=run_merge)
    u = tsub.add_parser("unmerge", help="撤销并单：把并错的工单从主单分出", description=(
        "撤销并单：并入主单的工单重新独立，恢复并单前的办理时限和派单时限（并单后另有改动的保留现值），"
        "两张工单的历史中都记下撤销和理由。必须用 --note 写明理由；已归档的工单不能撤销。"
        "需要 operator、supervisor 或 admin 角色，与并单相同"))
    u.add_argument("number", metavar="编号", help="工单编号，如 12345-20260105-0001")
    u.add_argument("--db", help=DB_HELP)
    u.add_argument("--actor", default="cli", help=ACTOR_HELP)
    u.add_argument("--role", help=ROLE_HELP)
    u.add_argument("--note", metavar="理由", help="撤销的理由（必填，写入两张工单的历史）")
    u.set_defaults(run=run_unmerge)


def _when(moment) -> str:
    from assistant.store.repeats import utc

    return f"{utc(moment).astimezone():%Y-%m-%d %H:%M}"


@storage_command
def run_search(args) -> int:
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy.orm import Session

    from assistant.store.access import read_personal
    from assistant.store.repeats import brief, search

    check_role(args)
    with Session(open_engine(args)) as session, session.begin():
        found = search(session, phone=args.phone, name=args.name, number=args.number, limit=args.limit)
        if args.full:  # audited by the database where the login may not read the columns itself
            read_personal(session, [t for group in found for t in group.tickets], actor=args.actor,
                          note="查找来电人工单时查看完整来电人信息")
        rows = []
        for group in found:
            for t in group.tickets:
                link = (f"主单（并入 {len(group.repeats)} 张）" if group.repeats and t is group.root
                        else f"并入 {group.root.number}" if t is not group.root else "")
                rows.append((brief(t, full=args.full), link))
    if not rows:
        print("没有找到工单", file=sys.stderr)
        return 0
    table = Table("编号", "并单", "状态", "受理时间", "承办单位", "来电人", "电话", "标题")
    for data, link in rows:
        table.add_row(data["number"], link, data["status"], _when(data["created_at"]), data["unit"] or "",
                      data["caller_name"] or "", data["phone"] or "", (data["title"] or "")[:30])
    Console(width=200).print(table)
    print(f"共 {len(found)} 组、{len(rows)} 张工单", file=sys.stderr)
    return 0


def _line(t) -> str:
    return f"{t.number}  {t.status}  {_when(t.created_at)}  {t.unit or '（无单位）'}  {(t.title or '')[:30]}"


@storage_command
def run_repeats(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.repeat_review import flagged, groups, scan

    with Session(open_engine(args)) as session:
        found = groups(session, start=args.start, end=args.end, open_only=args.open)
        suspects = flagged(session, start=args.start, end=args.end, open_only=args.open)
        if args.scan:
            seen = {s.ticket.id for s in suspects}
            suspects += [s for s in scan(session, start=args.start, end=args.end, days=args.days)
                         if s.ticket.id not in seen]
        print(f"并单组：{len(found)} 组")
        for group in found:
            print(f"  主单 {_line(group.root)}")
            for t in group.repeats:
                print(f"    └ {_line(t)}")
        print(f"疑似重复、尚未并单：{len(suspects)} 张")
        for s in suspects:
            how = f"批量标记于 {_when(s.flagged_at)}" if s.flagged_at else "相似度查找"
            print(f"  {_line(s.ticket)}（{how}，相似度 {s.score:.2f}）")
            for t in s.candidates:
                print(f"    ≈ {_line(t)}")
    if suspects:
        print("核实后用 hotline tickets merge 编号 主单编号 并单", file=sys.stderr)
    return 0


def _acting(args):
    """The engine and the role a merge or its undoing acts in: the login's on PostgreSQL (``--role`` may only
    repeat it), the configured one on SQLite, as for the workflow's steps."""
    from assistant.store.roles import current_role

    engine = open_engine(args)
    return engine, current_role(args.role, engine)


@storage_command
def run_merge(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.store.merging import merge
    from assistant.store.tickets import get
    from assistant.store.values import check_actor

    check_actor(args.actor)
    engine, role = _acting(args)
    with Session(engine) as session, session.begin():  # both tickets and both events, or nothing
        ticket = merge(session, get(session, args.number), get(session, args.into), actor=args.actor,
                       note=args.note, role=role)
        number, deadline = ticket.number, ticket.deadline
    print(f"{number} 已并入 {args.into}（办理时限 {deadline or '无'}）")
    return 0


@storage_command
def run_unmerge(args) -> int:
    """撤销并单 in one transaction (both tickets and both events, or nothing); the reason and the actor are checked
    before the database is opened."""
    from sqlalchemy.orm import Session

    from assistant.store.case import require
    from assistant.store.history import DETAIL_NAMES
    from assistant.store.merging import UNMERGE_REASON, unmerge
    from assistant.store.tickets import get
    from assistant.store.values import check_actor

    check_actor(args.actor)
    require(args.note, *UNMERGE_REASON)
    engine, role = _acting(args)
    with Session(engine) as session, session.begin():
        ticket = unmerge(session, get(session, args.number), actor=args.actor, note=args.note, role=role)
        number, detail, shown = ticket.number, ticket.events[-1].detail, state_line(ticket)
    kept = "、".join(DETAIL_NAMES[k] for k in detail.get("kept", {}))
    kept = f"（{kept}并单后已改过，保留现值）" if kept else ""
    print(f"{number} 已撤销并单，不再并入 {detail['repeat_of']}{kept}")
    print(shown)
    return 0
