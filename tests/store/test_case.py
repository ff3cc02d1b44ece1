"""The case after the call in the store, on SQLite and PostgreSQL: each step's checks, its audit event, the
deadlines it moves, who may take it, and the lists that put urgent and late tickets first."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.errors import AccessError, ConfigError, TicketError
from assistant.lexicon.units import Unit, UnitDirectory
from assistant.store import case, workflow
from assistant.store.deadlines import DeadlineRules
from assistant.store.models import Ticket, TicketEvent
from assistant.store.tickets import Filters, create_ticket, get, history_lines, list_tickets, replace_units, row
from assistant.store.workflow import CaseRules, Role, Step, may_solve_on_call, steps_for

RULES = DeadlineRules()  # no holidays: the dates below are the calendar's working days
MONDAY = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing, 01:30 UTC: the same day everywhere east
VALUES = {"appeal_type": "投诉", "category": "医保报销", "urgency": "一般", "caller_name": "周立群",
          "phone": "13700001111", "title": "门诊报销比例算错"}


def add(session, *, now=MONDAY, status=workflow.ACCEPTED, **values):
    return create_ticket(session, hotline="12320", values={**VALUES, **values}, operator_id="0815",
                         actor="接线员0815", now=now, rules=RULES, status=status, role="supervisor")


def at(hours: float) -> datetime:
    return MONDAY + timedelta(hours=hours)


def events(session, ticket) -> int:
    return session.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.ticket_id == ticket.id))


def test_the_whole_case_from_dispatch_to_archive(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session)
        assert (ticket.dispatch_deadline, ticket.deadline) == (date(2026, 11, 3), date(2026, 11, 16))
        case.dispatch(session, ticket, actor="接线员0815", role="operator", unit="市卫健委", note="请核实报销比例",
                      now=at(1))
        assert ticket.status == workflow.DISPATCHED and ticket.unit == "临江市卫生健康委员会"
        assert ticket.dispatched_at == at(1)
        case.return_ticket(session, ticket, actor="卫健委办公室", role="unit", reason="报销比例归医保局管", now=at(5),
                           rules=RULES)
        assert ticket.status == workflow.RETURNED and ticket.unit == "临江市卫生健康委员会"
        assert ticket.dispatch_deadline == date(2026, 11, 3) and ticket.deadline == date(2026, 11, 16)
        case.reroute(session, ticket, actor="班长陈", role="supervisor", unit="医保局", note="改由医保局答复",
                     now=at(24))
        assert ticket.status == workflow.DISPATCHED and ticket.unit == "临江市医疗保障局"
        case.finish(session, ticket, actor="医保局窗口", role="unit", reply="已重新核算并退还差额", now=at(48))
        assert ticket.status == workflow.DONE and ticket.reply == "已重新核算并退还差额" and ticket.done_at == at(48)
        case.visit(session, ticket, actor="回访员", role="operator", method="电话", satisfaction="不满意",
                   comment="差额还没到账", reopen=True, now=at(72), rules=RULES)
        assert ticket.status == workflow.IN_PROGRESS and ticket.unit == "临江市医疗保障局"
        assert ticket.deadline == date(2026, 11, 19) and ticket.done_at is None  # 10 working days from Thursday
        assert (ticket.satisfaction, ticket.visit_method, ticket.visit_comment) == ("不满意", "电话", "差额还没到账")
        case.finish(session, ticket, actor="医保局窗口", role="unit", reply="差额已到账", now=at(96))
        case.visit(session, ticket, actor="回访员", role="operator", method="短信", satisfaction="满意", now=at(120))
        case.archive(session, ticket, actor="班长陈", role="supervisor", now=at(121))
        number = ticket.number
    with Session(engine) as session:
        ticket = get(session, number)
        steps = [(e.action, e.from_status, e.to_status, (e.detail or {}).get("step")) for e in ticket.events]
        assert steps == [
            ("create", None, "已受理", None), ("transition", "已受理", "已派单", "dispatch"),
            ("transition", "已派单", "退回", "return"), ("transition", "退回", "已派单", "reroute"),
            ("transition", "已派单", "办理中", "start"), ("transition", "办理中", "已办结", "finish"),
            ("transition", "已办结", "已回访", "visit"), ("transition", "已回访", "办理中", "reopen"),
            ("transition", "办理中", "已办结", "finish"), ("transition", "已办结", "已回访", "visit"),
            ("transition", "已回访", "已归档", "archive")]
        reroute = ticket.events[3]
        assert reroute.detail["unit"] == ["临江市卫生健康委员会", "临江市医疗保障局"] and reroute.actor == "班长陈"
        assert ticket.events[7].detail["deadline"] == ["2026-11-16", "2026-11-19"]
        lines = history_lines(ticket)
        assert lines[1].endswith("接线员0815 已受理 → 已派单 转办至 临江市卫生健康委员会：请核实报销比例")
        assert "由 临江市卫生健康委员会 退回：报销比例归医保局管" in lines[2]
        assert "改派 临江市卫生健康委员会 → 临江市医疗保障局：改由医保局答复" in lines[3]
        assert "回访（电话，不满意）：差额还没到账" in lines[6] and "办理时限改为 2026-11-19" in lines[7]
        assert all(line[:16].count(":") == 1 and line[16] == " " for line in lines)  # to the minute, no seconds


def test_archived_is_final(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, status=workflow.SOLVED_ON_CALL)
        case.archive(session, ticket, actor="班长陈", role="supervisor")
        before = events(session, ticket)
        attempts = [
            lambda: case.dispatch(session, ticket, actor="a", role="admin", unit="医保局"),
            lambda: case.reroute(session, ticket, actor="a", role="admin", unit="医保局"),
            lambda: case.return_ticket(session, ticket, actor="a", role="admin", reason="不归我们"),
            lambda: case.finish(session, ticket, actor="a", role="admin", reply="已办"),
            lambda: case.visit(session, ticket, actor="a", role="admin", method="电话", satisfaction="满意"),
            lambda: case.reopen_case(session, ticket, actor="a", role="admin", reason="再办"),
            lambda: case.move(session, ticket, workflow.ACCEPTED, actor="a", role="admin"),
        ]
        for attempt in attempts:
            with pytest.raises(TicketError):
                attempt()
        assert ticket.status == workflow.ARCHIVED and events(session, ticket) == before


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_return_needs_a_reason_and_a_finish_a_reply(engine, reason):
    with Session(engine) as session, session.begin():
        ticket = add(session, unit="临江市医疗保障局")
        case.dispatch(session, ticket, actor="接线员0815", role="operator")
        before = events(session, ticket)
        with pytest.raises(TicketError, match="退回工单必须写明原因") as caught:
            case.return_ticket(session, ticket, actor="医保局", role="unit", reason=reason)
        assert "--reason" in caught.value.hint
        with pytest.raises(TicketError, match="办结必须填写办理结果"):
            case.finish(session, ticket, actor="医保局", role="unit", reply=reason)
        with pytest.raises(TicketError, match="退回工单必须写明原因") as moved:
            case.move(session, ticket, workflow.RETURNED, actor="医保局", role="unit", note=reason)
        assert "--note" in moved.value.hint
        assert ticket.status == workflow.DISPATCHED and events(session, ticket) == before


def test_units_are_checked_against_the_directory(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session)
        with pytest.raises(TicketError, match="单位目录中没有承办单位“市卫生委”") as unknown:
            case.dispatch(session, ticket, actor="接线员0815", role="operator", unit="市卫生委")
        assert "临江市卫生健康委员会" in unknown.value.hint  # the closest names are offered
        with pytest.raises(TicketError, match="还没有承办单位"):
            case.dispatch(session, ticket, actor="接线员0815", role="operator")
        own = UnitDirectory((Unit("清水县人民医院", ("县医院",), "医院", "清水县", ()),))
        replace_units(session, own)  # the directory imported into the store wins over the profile's file
        with pytest.raises(TicketError, match="市卫健委"):
            case.dispatch(session, ticket, actor="接线员0815", role="operator", unit="市卫健委")
        case.dispatch(session, ticket, actor="接线员0815", role="operator", unit="县医院")
        assert ticket.unit == "清水县人民医院" and ticket.events[-1].detail["unit"] == [None, "清水县人民医院"]


def test_a_returned_ticket_goes_back_to_its_unit_only_with_a_reason(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, unit="临江市医疗保障局")
        case.dispatch(session, ticket, actor="接线员0815", role="operator", now=at(1))
        case.return_ticket(session, ticket, actor="医保局", role="unit", reason="不属本局", now=at(80), rules=RULES)
        assert ticket.dispatch_deadline == date(2026, 11, 6)  # one working day from Thursday's return
        with pytest.raises(TicketError, match="再派给它要写明理由"):
            case.dispatch(session, ticket, actor="接线员0815", role="operator")
        with pytest.raises(TicketError, match="已是 临江市医疗保障局"):
            case.reroute(session, ticket, actor="接线员0815", role="operator", unit="医保局")
        case.dispatch(session, ticket, actor="接线员0815", role="operator", note="报销属医保局职责，请办理")
        assert ticket.status == workflow.DISPATCHED and "unit" not in ticket.events[-1].detail


def test_who_may_take_which_step(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, unit="临江市医疗保障局")
        with pytest.raises(AccessError, match="承办单位.*不能转办") as denied:
            case.dispatch(session, ticket, actor="医保局", role="unit")
        assert "operator" in denied.value.hint
        case.dispatch(session, ticket, actor="接线员0815", role="operator")
        with pytest.raises(AccessError, match="接线员.*不能退回"):
            case.return_ticket(session, ticket, actor="接线员0815", role="operator", reason="不归这里")
        with pytest.raises(AccessError, match="接线员.*不能办结"):
            case.finish(session, ticket, actor="接线员0815", role="operator", reply="已办")
        assert ticket.status == workflow.DISPATCHED
        other = add(session)
        with pytest.raises(AccessError, match="不能当场办结") as solve:
            case.solve_on_call(session, other, actor="接线员0815", role="operator")
        assert "supervisor" in solve.value.hint and "workflow.toml" in solve.value.hint
        case.solve_on_call(session, other, actor="班长陈", role="supervisor", reply="已当场解释报销政策")
        assert other.status == workflow.SOLVED_ON_CALL and other.done_at is not None
    with Session(engine) as session, session.begin(), pytest.raises(AccessError):
        create_ticket(session, hotline="12320", values=VALUES, operator_id="0815", actor="接线员0815",
                      status=workflow.SOLVED_ON_CALL, role="operator")


def test_solve_on_call_roles_come_from_the_profile(tmp_path):
    assert may_solve_on_call("supervisor") and may_solve_on_call(Role.ADMIN)
    assert not may_solve_on_call("operator") and not may_solve_on_call("unit")
    path = tmp_path / "workflow.toml"
    path.write_text('solve_on_call = ["operator", "supervisor"]\nvisit_methods = ["电话", "上门"]\n',
                    encoding="utf-8")
    rules = CaseRules.load(path)
    assert may_solve_on_call("operator", rules) and not may_solve_on_call("admin", rules)
    assert rules.visit_methods == ("电话", "上门")
    assert Step.SOLVE in steps_for(workflow.ACCEPTED, "operator", rules)
    assert steps_for(workflow.ACCEPTED, "operator") == (Step.DISPATCH, Step.REROUTE)
    assert steps_for(workflow.DISPATCHED, "unit") == (Step.START, Step.FINISH, Step.RETURN)
    assert steps_for(workflow.ARCHIVED, "admin") == ()
    path.write_text('solve_on_call = ["boss"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="boss") as bad:
        CaseRules.load(path)
    assert "supervisor" in bad.value.hint


def test_visits_check_method_and_satisfaction_and_reopen_only_the_unsatisfied(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, unit="临江市医疗保障局")
        case.dispatch(session, ticket, actor="接线员0815", role="operator")
        case.finish(session, ticket, actor="医保局", role="unit", reply="已答复")
        for method, satisfaction, reopen, words in (
                (None, "满意", False, "回访方式"), ("飞鸽", "满意", False, "飞鸽"), ("电话", None, False, "满意度"),
                ("电话", "还行", False, "还行"), ("电话", "基本满意", True, "不能重新办理")):
            with pytest.raises(TicketError, match=words):
                case.visit(session, ticket, actor="回访员", role="operator", method=method,
                           satisfaction=satisfaction, reopen=reopen)
        assert ticket.status == workflow.DONE
        case.visit(session, ticket, actor="回访员", role="operator", method="电话", satisfaction="基本满意")
        with pytest.raises(workflow.WorkflowError, match="不能重新办理"):
            case.reopen_case(session, ticket, actor="回访员", role="operator", reason="再看看")


def test_an_unsatisfied_solved_on_call_ticket_goes_back_to_the_centre(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, status=workflow.SOLVED_ON_CALL)
        case.visit(session, ticket, actor="回访员", role="operator", method="电话", satisfaction="不满意",
                   now=at(72))
        with pytest.raises(workflow.WorkflowError, match="应回到“已受理”"):
            case.move(session, ticket, workflow.IN_PROGRESS, actor="回访员", role="operator", note="要求转办")
        case.move(session, ticket, workflow.ACCEPTED, actor="回访员", role="operator", note="要求转办", now=at(73))
        assert ticket.status == workflow.ACCEPTED
        assert (ticket.dispatch_deadline, ticket.deadline) == (date(2026, 11, 6), date(2026, 11, 19))


def test_urgent_tickets_come_first_and_pages_cross_the_boundary(engine):
    with Session(engine) as session, session.begin():
        numbers = {}
        for i, urgency in enumerate(["一般", "紧急", "一般", "紧急", "一般", None]):
            numbers[i] = add(session, now=at(i), urgency=urgency).number
    with Session(engine) as session:
        listed = [t.number for t in list_tickets(session, Filters())]
        assert listed == [numbers[i] for i in (3, 1, 5, 4, 2, 0)]  # urgent newest first, then the others
        paged = [t.number for k in range(3) for t in list_tickets(session, Filters(), limit=2, offset=2 * k)]
        assert paged == listed


def test_overdue_covers_tickets_late_on_dispatch_and_says_which_deadline(engine):
    today = date(2026, 11, 5)
    with Session(engine) as session, session.begin():
        add(session, title="等待派单")  # dispatch deadline 11-03, handling 11-16
        sent = add(session, title="已派出", unit="临江市医疗保障局")
        case.dispatch(session, sent, actor="接线员0815", role="operator", now=at(30))
        late = add(session, title="咨询已超期", appeal_type="咨询", unit="临江市医疗保障局")  # handling 11-04
        case.dispatch(session, late, actor="接线员0815", role="operator", now=at(2))
        urgent = add(session, title="紧急未派", urgency="紧急").number  # handling the same day: both missed
        add(session, title="今天受理", now=datetime(2026, 11, 5, 1, tzinfo=UTC))
    with Session(engine) as session:
        shown = {t.title: row(t, today=today)["overdue"] for t in
                 list_tickets(session, Filters(overdue=True), today=today)}
        assert list(shown) == ["紧急未派", "等待派单", "咨询已超期"]
        assert shown["等待派单"] == "超过派单时限 2026-11-03"
        assert shown["咨询已超期"] == "超过办理时限 2026-11-04"
        assert shown["紧急未派"] == "超过派单时限 2026-11-02；超过办理时限 2026-11-02"
        assert row(get(session, urgent), today=today)["dispatch_deadline"] == "2026-11-02"  # same day
        assert session.scalar(select(func.count()).select_from(Ticket)) == 5
