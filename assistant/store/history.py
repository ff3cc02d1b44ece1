"""A ticket's history in Chinese, one line per audit event, as `tickets show` and the console print it:

    2026-12-07 09:15 接线员0815 已受理 → 已派单 转办至 临江市卫生健康委员会：请核实后答复

Times are the local clock to the minute (SQLite hands back naive UTC, PostgreSQL an aware time: both are
shown the same). What an event changed besides the state comes from its ``detail``; an event of a kind this
module does not know (another part of the product may add some) is still shown, with its detail as written.
"""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.store.models import Ticket, TicketEvent

# What each audit action is called when it has no step of the workflow.
ACTIONS = {"create": "创建", "transition": "改状态", "edit": "修改", "read_personal": "查看来电人完整信息",
           "reroute": "改派", "merge": "并单", "unmerge": "撤销并单", "review": "质检",
           "repeat_suspect": "疑似重复来电"}
DETAIL_NAMES = {"unit": "承办单位", "deadline": "办理时限", "dispatch_deadline": "派单时限", "repeat_of": "并入",
                "repeat": "重复工单"}


def local(moment: datetime | None) -> datetime | None:
    """``moment`` on the local clock; a naive time is UTC (how SQLite gives back what was stored)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def stamp(moment: datetime | None, seconds: bool = False) -> str | None:
    """A time as people read it: local, no microseconds, no zone (2026-12-07 09:15)."""
    if moment is None:
        return None
    return f"{local(moment):%Y-%m-%d %H:%M:%S}" if seconds else f"{local(moment):%Y-%m-%d %H:%M}"


def describe(event: TicketEvent) -> str:
    """What the event did, after who and when: the move and the step with its reason."""
    detail = dict(event.detail or {})
    step = detail.pop("step", None)
    note = event.note or ""
    moved = f"{event.from_status} → {event.to_status}" if event.from_status and event.to_status else ""
    if event.action == "create":
        return f"创建（{event.to_status}）" + (f" {note}" if note else "")
    if event.action == "unmerge":
        return _unmerge_text(detail, note)
    what = _step_text(step, detail, note)
    if what is None and event.action == "transition" and moved:  # a move of the generic kind, before steps
        what = note + _rest(detail)
    elif what is None:
        what = ACTIONS.get(event.action, event.action) + _colon(note) + _rest(detail)
    elif moved and event.from_status == event.to_status:
        moved = f"（{event.to_status}）"
    return f"{moved} {what}".strip()


def _colon(note: str) -> str:
    return f"：{note}" if note else ""


def _pair(value) -> str:
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{value[0] or '（空）'} → {value[1] or '（空）'}"
    return str(value)


def _rest(detail: dict) -> str:
    shown = [f"{DETAIL_NAMES.get(k, k)} {_pair(v)}" for k, v in detail.items() if v is not None]
    return f"（{'；'.join(shown)}）" if shown else ""


def _unmerge_text(detail: dict, note: str) -> str:
    """撤销并单 on the repeat (the root it left, the deadlines given back or kept) or on the root (which repeat)."""
    if "repeat" in detail:
        return f"撤销并单（重复工单 {detail['repeat']} 不再并入本单）{_colon(note)}"
    changed = [f"{DETAIL_NAMES[k]} {_pair(detail[k])}" for k in ("deadline", "dispatch_deadline") if detail.get(k)]
    changed += [f"{DETAIL_NAMES.get(k, k)}并单后已改过，保留 {v or '（空）'}"
                for k, v in (detail.get("kept") or {}).items()]
    return (f"撤销并单（原并入 {detail.get('repeat_of')}）{_colon(note)}"
            + (f"（{'；'.join(changed)}）" if changed else ""))


def _step_text(step: str | None, detail: dict, note: str) -> str | None:
    if step == "dispatch":
        return f"转办至 {detail.get('dispatched_to')}{_colon(note)}"
    if step == "reroute":
        old = (detail.get("unit") or [None])[0]
        return f"改派 {old or '（无）'} → {detail.get('dispatched_to')}{_colon(note)}"
    if step == "return":
        by = detail.get("by")
        again = (detail.get("dispatch_deadline") or [None, None])[1]
        who = f"由 {by} " if by else ""
        return f"{who}退回{_colon(note)}" + (f"（派单时限改为 {again}）" if again else "")
    if step == "finish":
        return f"办结{_colon(note)}"
    if step == "visit":
        return f"回访（{detail.get('method')}，{detail.get('satisfaction')}）{_colon(note)}"
    if step == "reopen":
        new = (detail.get("deadline") or [None, None])[1]
        return f"重新办理{_colon(note)}" + (f"（办理时限改为 {new}）" if new else "")
    names = {"accept": "受理", "start": "签收", "solve": "当场办结", "archive": "归档"}
    if step in names:
        return names[step] + _colon(note)
    return None


def history_lines(ticket: Ticket) -> list[str]:
    """The ticket's events, one line each, oldest first: what `tickets show` and the console display."""
    return [f"{stamp(e.at)} {e.actor} {describe(e)}".rstrip() for e in ticket.events]
