"""Repeat callers on SQLite and PostgreSQL: the caller's earlier tickets within the window, search by phone, name
or number with the group, the likely repeats of a new call, 并单 with its rules and audit, batch flags, and
撤销并单."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.audio.calls import CallContext, CallInput
from assistant.batch.jobs import Job, Plan
from assistant.batch.runner import run_batch
from assistant.batch.worker import Outcome
from assistant.draft.model import FieldValue, TicketDraft
from assistant.errors import AccessError, TicketError
from assistant.store import workflow
from assistant.store.case import archive, visit
from assistant.store.history import history_lines
from assistant.store.likeness import AGREE, particulars, weighed
from assistant.store.merging import merge, unmerge
from assistant.store.models import Ticket, TicketEvent
from assistant.store.repeat_review import flagged, groups, scan
from assistant.store.repeats import (
    ACCOUNT_THRESHOLD,
    brief,
    earlier_tickets,
    flag,
    likely_repeats,
    search,
    window_days,
)
from assistant.store.tickets import create_ticket, get, transition
from assistant.transcript.model import Segment, Transcript

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
HOSPITAL = "青石区人民医院"
CALLER = "13900010001"
# The matter every table row is measured against: a CT scan charged twice at the orthopaedics department.
CT_TWICE = {
    "unit": HOSPITAL, "category": "收费价格", "appeal_type": "投诉", "urgency": "一般", "caller_name": "欧阳明远",
    "phone": CALLER, "location": HOSPITAL, "institution": HOSPITAL, "department": "骨科",
    "title": "骨科CT检查重复收费", "demand": "退还多收的费用",
    "summary": "来电人反映本月3日在青石区人民医院骨科做CT检查，同一项目收了两次费，共640元，要求退还多收的320元。"
               "票据尾号4417。",
}
# Other open tickets of the same unit and category: what the hospital's charging complaints look like that month.
SAME_UNIT = [
    ("儿科输液收费偏高", "来电人反映孩子在青石区人民医院儿科输液三天，每天收费180元，认为偏高，要求说明依据。", "儿科"),
    ("眼科验光费用不明", "来电人称在眼科验光，收费清单上多了一项检查费60元，问窗口说不清楚，要求核实。", "眼科"),
    ("口腔科补牙收费", "来电人表示口腔科补牙前说好200元，结账时收了450元，认为乱收费。", "口腔科"),
    ("妇科彩超排队收费", "来电人反映妇科彩超预约后没做成，缴的150元一直没退，要求退费。", "妇科"),
    ("住院押金未退", "来电人反映家属出院已两周，住院押金2000元没有退回，住院处让等通知。", "普外科"),
]


def add(session, when: datetime, **values) -> Ticket:
    return create_ticket(session, hotline="12320", values=values, operator_id="2041", actor="接线员2041", now=when)


def close(session, number: str) -> None:
    """The ticket answered on the call (当场办结): no longer open."""
    transition(session, get(session, number), workflow.SOLVED_ON_CALL, actor="班长", role="supervisor",
               note="当场答复")


def setting(engine, extra=()) -> Ticket:
    """The CT matter filed five days ago, the hospital's other charging complaints, and ``extra`` tickets."""
    with Session(engine) as session, session.begin():
        root = add(session, NOW - timedelta(days=5), **CT_TWICE)
        for i, (title, summary, dept) in enumerate(SAME_UNIT):
            add(session, NOW - timedelta(days=4, hours=i), **{**CT_TWICE, "phone": f"1370002000{i}",
                                                                "caller_name": "路人", "title": title,
                                                                "summary": summary, "department": dept})
        for when, values in extra:
            add(session, when, **values)
        return root.number


# 1. A caller's earlier tickets: by the number however written, newest first, within the window


def test_earlier_tickets_within_the_window_newest_first(engine):
    with Session(engine) as session, session.begin():
        old = add(session, NOW - timedelta(days=40), **CT_TWICE).number
        mid = add(session, NOW - timedelta(days=12), **{**CT_TWICE, "title": "再次反映CT收费"}).number
        new = add(session, NOW - timedelta(hours=2), **{**CT_TWICE, "title": "第三次来电"}).number
        add(session, NOW - timedelta(days=1), **{**CT_TWICE, "phone": "13900010002"})  # another caller
    with Session(engine) as session:
        shown = [t.number for t in earlier_tickets(session, "+86 139-0001-0001", now=NOW)]
        assert shown == [new, mid]  # the default window: 30 days
        assert [t.number for t in earlier_tickets(session, CALLER, now=NOW, days=60)] == [new, mid, old]
        assert [t.number for t in earlier_tickets(session, CALLER, now=NOW, days=7)] == [new]
        newest = get(session, new)
        assert [t.number for t in earlier_tickets(session, CALLER, now=NOW, exclude=newest.id)] == [mid]
        assert earlier_tickets(session, None, now=NOW) == [] and earlier_tickets(session, "12", now=NOW) == []


def test_the_window_is_configured(engine, monkeypatch, hotline_home):
    assert window_days() == 30
    monkeypatch.setenv("HOTLINE_REPEAT_DAYS", "7")
    assert window_days() == 7
    with Session(engine) as session, session.begin():
        add(session, NOW - timedelta(days=10), **CT_TWICE)
    with Session(engine) as session:
        assert earlier_tickets(session, CALLER, now=NOW) == []
        assert len(earlier_tickets(session, CALLER, now=NOW, days=11)) == 1


def test_a_brief_masks_the_caller_unless_full(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, NOW, **CT_TWICE)
        masked, full = brief(ticket), brief(ticket, full=True)
    assert (masked["phone"], masked["caller_name"]) == ("139****0001", "欧***")
    assert (full["phone"], full["caller_name"]) == (CALLER, "欧阳明远")
    assert masked["number"] == full["number"] and masked["title"] == "骨科CT检查重复收费"


# 2. The likely repeats of a new call: one row per way of telling, the matter it repeats or none

REWORDED = {"title": "CT重复收费未退", "department": "骨科", "location": None, "institution": None,
            "summary": "来电人再次来电，说上周在骨科拍CT被扣了两次钱，票据尾号4417，至今没退，要求尽快退费。",
            "demand": "尽快退费"}
RELATIVE = {"phone": "13700030003", "caller_name": "欧阳晓", "title": "骨科CT检查收费两次",
            "summary": "来电人称其父亲本月3日在青石区人民医院骨科做CT检查，同一项目被收费两次，共640元，"
                       "要求退还多收的320元，票据尾号4417。"}
NOODLES = {"unit": "柳湾区市场监督管理局", "category": "食品安全", "location": "柳湾路52号", "institution": None,
           "department": None, "title": "面馆后厨卫生差", "demand": "检查处理",
           "summary": "来电人反映柳湾路52号一家面馆后厨脏乱，吃后腹泻，要求市场监管部门检查。"}
OTHER_CHARGE = {"phone": "13700030004", "caller_name": "钟声", "title": "骨科石膏费用偏高", "department": "骨科",
                "summary": "来电人反映在骨科打石膏收费800元，比别家医院贵很多，要求解释。"}

ROWS = [
    # (what the new call says, on top of the CT matter's fields; whether the CT ticket is offered, and why)
    pytest.param(REWORDED, "同一来电人", id="the same caller tells it again in other words"),
    pytest.param({**REWORDED, "category": "医疗质量"}, "同一来电人", id="the same caller, another category drafted"),
    pytest.param({**REWORDED, "phone": "+86 139 0001 0001"}, "同一来电人", id="the same number written otherwise"),
    pytest.param(RELATIVE, "同一单位、同一分类，诉求相近", id="a relative's number, the same account"),
    pytest.param(OTHER_CHARGE, None, id="another caller, the same department, another charge"),
    pytest.param({**RELATIVE, "summary": RELATIVE["summary"].replace("640", "900").replace("320", "450")}, None,
                 id="another caller, the same words, other amounts"),
    pytest.param(NOODLES, None, id="the same caller about another matter elsewhere"),
    pytest.param({**RELATIVE, "unit": "柳湾区中医医院"}, None, id="another caller at another unit"),
]


@pytest.mark.parametrize(("said", "reason"), ROWS)
def test_likely_repeats_of_a_new_call(engine, said, reason):
    root = setting(engine)
    with Session(engine) as session:
        fields = {**CT_TWICE, **said}
        found = likely_repeats(session, fields, now=NOW)
        if reason is None:
            assert found == [], [(r.ticket.title, round(r.score, 3)) for r in found]
        else:
            assert [r.ticket.number for r in found][:1] == [root] and found[0].reason == reason
            assert 0 < found[0].score <= 1


@pytest.mark.parametrize(("one", "other", "same"), [
    ("共三百二十元", "共320元", True),
    ("青石区柳湾路52号一家面馆", "柳湾路五十二号的面馆", True),
    ("柳湾路52号", "柳湾路25号", False),
    ("收了640元", "收了460块", False),
    ("花了一千二百多元", "一共1264块钱", True),  # 一千二百多 is 1200 to 1299
    ("花了一千二百多元", "一共1364块钱", False),
    ("住在十四床", "14号床的病人", True),
    ("住在十四床", "41床", False),
    ("发票尾号0358", "单子后四位0358", True),
    ("发票尾号0358", "票据尾号3580", False),
    ("晚上八点左右去的", "大概8点多", True),
    ("两点左右去的", "下午三点", False),
    ("一家三口都吐了", "3个人都", True),
    ("姓窦的护士", "窦护士说", True),
    ("姓窦的护士", "一位姓洪的", False),
    ("那家店叫孔记", "孔记面馆", True),
    ("在松涛路那家烧烤店", "松涛路的烧烤摊", True),
    ("在松涛路那家烧烤店", "在翠竹巷那家烧烤店", False),
])
def test_particulars_both_accounts_give_weigh_the_likeness(one, other, same):
    a, b = particulars({"summary": one}), particulars({"summary": other})
    assert weighed(0.5, a, b) == pytest.approx(0.5 + AGREE if same else 0.0)
    assert weighed(0.5, a, particulars({"summary": "没有金额也没有门牌"})) == 0.5  # not given: no evidence
    dept = particulars({"summary": one, "department": "骨科"})
    assert weighed(0.5, dept, particulars({"summary": one, "department": "眼科"})) == 0.0


@pytest.mark.parametrize("text", [
    "污水流到路上，走错路，问路没人理", "希望快一点处理", "主任医生和责任护士", "本子上没登记，回家等通知",
    "12月3日去的，上个月底又去", "一直没人管",
])
def test_words_that_name_no_particular_give_none(text):
    assert particulars({"summary": text}).facts == frozenset()


def test_the_institutions_own_name_is_no_road():
    clinic = "松涛路社区卫生服务站"
    one = particulars({"institution": clinic, "summary": f"在{clinic}打疫苗没货"})
    other = particulars({"institution": clinic, "summary": f"{clinic}的疫苗打完发烧"})
    assert one.facts == other.facts == frozenset()
    assert particulars({"summary": f"在{clinic}打疫苗没货"}).facts == {("street", "松涛路")}


def test_closed_tickets_later_ones_and_the_window_are_not_offered(engine):
    root = setting(engine)
    relative = {**CT_TWICE, **RELATIVE}
    with Session(engine) as session:
        assert likely_repeats(session, relative, now=NOW)[0].ticket.number == root
        assert likely_repeats(session, relative, now=NOW - timedelta(days=6)) == []  # filed after that moment
        assert likely_repeats(session, relative, now=NOW + timedelta(days=40)) == []  # outside the window
        assert likely_repeats(session, relative, now=NOW + timedelta(days=40), days=60)[0].ticket.number == root
    with Session(engine) as session, session.begin():
        close(session, root)
    with Session(engine) as session:
        assert likely_repeats(session, relative, now=NOW) == []


def test_a_stored_ticket_is_checked_against_earlier_ones_only(engine):
    root = setting(engine, [(NOW, {**CT_TWICE, **RELATIVE})])
    with Session(engine) as session:
        new = session.scalars(select(Ticket).where(Ticket.phone == RELATIVE["phone"])).one()
        assert [r.ticket.number for r in likely_repeats(session, new)] == [root]
        assert likely_repeats(session, get(session, root)) == []  # nothing before it repeats


def test_a_repeat_found_through_a_merged_ticket_offers_its_root(engine):
    root = setting(engine, [(NOW - timedelta(days=1), {**CT_TWICE, **RELATIVE})])
    with Session(engine) as session, session.begin():
        repeat = session.scalars(select(Ticket).where(Ticket.phone == RELATIVE["phone"])).one()
        merge(session, repeat, get(session, root), actor="班长")
    # worded like the repeat, not like the root: still the root is offered, once
    said = {**CT_TWICE, **RELATIVE, "phone": "13700030009", "summary": RELATIVE["summary"] + "家属又来电催问。"}
    with Session(engine) as session:
        found = likely_repeats(session, said, now=NOW)
        assert [r.ticket.number for r in found] == [root]
        assert found[0].score >= ACCOUNT_THRESHOLD


# 3. 并单: the rules, the deadline, the audit on both tickets, one transaction


def two(engine, **later) -> tuple[str, str]:
    with Session(engine) as session, session.begin():
        first = add(session, NOW - timedelta(days=3), **CT_TWICE)
        second = add(session, NOW, **{**CT_TWICE, **REWORDED, "appeal_type": "求助", **later})
        assert first.deadline != second.deadline  # 投诉 10 working days, 求助 5 from another day
        return first.number, second.number


def test_merge_links_the_repeat_takes_the_deadline_and_audits_both(engine):
    first, second = two(engine)
    with Session(engine) as session:
        deadline, dispatch = get(session, second).deadline, get(session, second).dispatch_deadline
    with Session(engine) as session, session.begin():
        merge(session, get(session, second), get(session, first), actor="班长王", note="同一CT收费")
    with Session(engine) as session:
        root, repeat = get(session, first), get(session, second)
        assert repeat.repeat_of_id == root.id and root.repeat_of_id is None
        assert (repeat.deadline, repeat.dispatch_deadline) == (root.deadline, root.dispatch_deadline)
        for ticket in (root, repeat):
            event = ticket.events[-1]
            assert (event.action, event.actor) == ("merge", "班长王") and "同一CT收费" in event.note
        moved = [deadline.isoformat(), root.deadline.isoformat()]
        dispatch_moved = [dispatch.isoformat(), root.dispatch_deadline.isoformat()]
        assert repeat.events[-1].detail == {"repeat_of": first, "deadline": moved, "dispatch_deadline": dispatch_moved}
        assert root.events[-1].detail == {"repeat": second} and second in root.events[-1].note
        # either number leads to the whole group
        for number in (first, second):
            [group] = search(session, number=number)
            assert [t.number for t in group.tickets] == [first, second]
        [group] = search(session, phone=CALLER)
        assert [t.number for t in group.tickets] == [first, second]
        assert [[t.number for t in g.tickets] for g in groups(session)] == [[first, second]]


@pytest.mark.parametrize(("case", "words"), [
    ("itself", ("它自己",)),
    ("later", ("晚", "hotline tickets merge")),
    ("closed root", ("当场办结", "不能并单")),
    ("into a repeat", ("已并入", "请并入主单")),
    ("already merged", ("已并入",)),
    ("a root", ("已有工单并入",)),
    ("a unit", ("承办单位", "不能并单", "supervisor")),
])
def test_merge_refusals_name_what_to_do_and_write_nothing(engine, case, words):
    first, second = two(engine)
    with Session(engine) as session, session.begin():
        third = add(session, NOW + timedelta(hours=1), **{**CT_TWICE, "phone": "13700030005"}).number
        if case in ("into a repeat", "already merged", "a root"):
            merge(session, get(session, second), get(session, first), actor="班长")
        if case == "closed root":
            close(session, first)
    pairs = {"itself": (second, second), "later": (first, second), "closed root": (second, first),
             "into a repeat": (third, second), "already merged": (second, third), "a root": (first, third),
             "a unit": (second, first)}
    ticket, into = pairs[case]
    role = "unit" if case == "a unit" else None
    with Session(engine) as session:
        before = session.scalar(select(func.count()).select_from(TicketEvent))
    with Session(engine) as session, session.begin(), pytest.raises((TicketError, AccessError)) as refused:
        merge(session, get(session, ticket), get(session, into), actor="班长", role=role)
    text = f"{refused.value.message} {refused.value.hint}"
    for word in words:
        assert word in text, text
    if case == "into a repeat":
        assert f"merge {third} {first}" in refused.value.hint  # merge into the root instead
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(TicketEvent)) == before


# 4. Flags for review: a batch marks a likely repeat, nothing is merged; the supervisor's lists


def test_flag_records_the_candidates_and_the_lists_show_them_until_merged(engine):
    root = setting(engine, [(NOW, {**CT_TWICE, **RELATIVE})])
    with Session(engine) as session, session.begin():
        new = session.scalars(select(Ticket).where(Ticket.phone == RELATIVE["phone"])).one()
        event = flag(session, new, actor="batch")
        assert event.action == "repeat_suspect" and event.detail["candidates"] == [root]
        assert event.detail["score"] >= ACCOUNT_THRESHOLD and new.repeat_of_id is None
        assert flag(session, get(session, root), actor="batch") is None  # the first of its matter: no flag
        number = new.number
    with Session(engine) as session:
        [suspect] = flagged(session)
        assert suspect.ticket.number == number and [t.number for t in suspect.candidates] == [root]
        assert [s.ticket.number for s in scan(session, end=NOW.date())] == [number]
        assert groups(session) == []
    with Session(engine) as session, session.begin():
        merge(session, get(session, number), get(session, root), actor="班长")
    with Session(engine) as session:
        assert flagged(session) == [] and scan(session, end=NOW.date()) == []
        assert len(groups(session, start=NOW.date(), end=NOW.date())) == 1
        assert groups(session, start=(NOW + timedelta(days=1)).date()) == []


def _outcome(call_id: str, values: dict, when: datetime) -> Outcome:
    """What a worker hands the batch's writer for one recording: its transcript and drafted ticket."""
    context = CallContext(when, hotline="12320", operator_id="2041")
    transcript = Transcript(id=call_id, source=f"/录音/{call_id}.wav", duration=30.0, channels="op-left",
                            segments=(Segment("caller", 0.0, 30.0, values["summary"], 0.9),))
    draft = TicketDraft(call_id, context, {name: FieldValue(value, 0.9) for name, value in values.items()})
    job = Job(CallInput(Path(f"/录音/{call_id}.wav"), call_id, context), call_id.encode().hex().ljust(64, "0"), 30.0)
    return Outcome(job, transcript, draft, None, 1.0, "test", 1)


class Handed:
    """The batch's runner for outcomes already drafted (the speech model's part is tested in tests/batch)."""

    def __init__(self, outcomes):
        self.done = outcomes

    def outcomes(self, jobs):
        yield from self.done

    def abort(self):
        pass

    def close(self):
        pass


def test_a_batch_flags_the_repeat_it_files_and_merges_nothing(engine):
    base = {k: v for k, v in CT_TWICE.items() if k != "appeal_type"}
    outcomes = [_outcome("rec-0001", base, NOW), _outcome("rec-0002", {**base, **RELATIVE}, NOW),
                _outcome("rec-0003", {**base, **NOODLES, "phone": "13700030006"}, NOW)]
    summary = run_batch(Plan(tuple(o.job for o in outcomes), (), ()), engine=engine, runner=Handed(outcomes))
    numbers = [n for _, n in summary.stored]
    with Session(engine) as session:
        events = {t.number: [e for e in t.events if e.action == "repeat_suspect"]
                  for t in session.scalars(select(Ticket))}
        assert [len(events[n]) for n in numbers] == [0, 1, 0]
        assert events[numbers[1]][0].detail["candidates"] == [numbers[0]]
        assert session.scalar(select(func.count()).select_from(Ticket).where(Ticket.repeat_of_id.is_not(None))) == 0
        assert [s.ticket.number for s in flagged(session)] == [numbers[1]]


# 5. 撤销并单: the repeat leaves the group with its own deadlines back; a refusal changes nothing

REASON = "两次来电说的不是同一次检查"


def merged(engine) -> tuple[str, str, tuple, tuple]:
    """Two tickets merged: the root's and the repeat's numbers, the repeat's deadlines before and after."""
    first, second = two(engine)
    with Session(engine) as session, session.begin():
        repeat = get(session, second)
        before = (repeat.deadline, repeat.dispatch_deadline)
        merge(session, repeat, get(session, first), actor="班长王", note="同一CT收费")
        return first, second, before, (repeat.deadline, repeat.dispatch_deadline)


def pair(old, new) -> list[str]:
    return [old.isoformat(), new.isoformat()]


def test_unmerge_gives_the_repeat_its_deadlines_back_and_audits_both(engine):
    first, second, before, after = merged(engine)
    assert before[0] != after[0] and before[1] != after[1]  # the merge moved both
    with Session(engine) as session, session.begin():
        unmerge(session, get(session, second), actor="质检员林", note=f"  {REASON} ", now=NOW + timedelta(hours=2))
    with Session(engine) as session:
        root, repeat = get(session, first), get(session, second)
        assert repeat.repeat_of_id is None and (repeat.deadline, repeat.dispatch_deadline) == before
        assert (root.deadline, root.dispatch_deadline) == after
        mine, theirs = repeat.events[-1], root.events[-1]
        assert (mine.action, mine.actor, mine.note) == ("unmerge", "质检员林", REASON)
        assert mine.detail == {"repeat_of": first, "deadline": pair(after[0], before[0]),
                               "dispatch_deadline": pair(after[1], before[1])}
        assert (theirs.action, theirs.actor, theirs.detail, theirs.note) == ("unmerge", "质检员林", {"repeat": second},
                                                                             REASON)
        assert [e.action for e in repeat.events[-2:]] == ["merge", "unmerge"]  # the merge stays in the history
        assert history_lines(repeat)[-1].endswith(
            f"质检员林 撤销并单（原并入 {first}）：{REASON}（办理时限 {after[0]} → {before[0]}；"
            f"派单时限 {after[1]} → {before[1]}）")
        assert history_lines(root)[-1].endswith(f"质检员林 撤销并单（重复工单 {second} 不再并入本单）：{REASON}")
        assert [[t.number for t in g.tickets] for g in search(session, phone=CALLER)] == [[second], [first]]
        assert groups(session) == []
    with Session(engine) as session, session.begin():  # apart again, it may be merged again
        merge(session, get(session, second), get(session, first), actor="班长王")
    with Session(engine) as session:
        assert [[t.number for t in g.tickets] for g in groups(session)] == [[first, second]]


def test_unmerge_keeps_deadlines_set_after_the_merge_and_says_so(engine):
    first, second, _, after = merged(engine)
    with Session(engine) as session, session.begin():  # answered, then reopened: deadlines of its own since
        close(session, second)
        repeat = visit(session, get(session, second), actor="回访员", role="supervisor", method="电话",
                       satisfaction="不满意", reopen=True, now=NOW + timedelta(days=1))
        reopened = (repeat.deadline, repeat.dispatch_deadline)
    assert reopened[0] != after[0] and reopened[1] != after[1]
    with Session(engine) as session, session.begin():
        unmerge(session, get(session, second), actor="质检员林", note=REASON)
    with Session(engine) as session:
        repeat = get(session, second)
        assert repeat.repeat_of_id is None and (repeat.deadline, repeat.dispatch_deadline) == reopened
        assert repeat.events[-1].detail == {"repeat_of": first, "kept": {
            "deadline": reopened[0].isoformat(), "dispatch_deadline": reopened[1].isoformat()}}
        assert f"办理时限并单后已改过，保留 {reopened[0]}" in history_lines(repeat)[-1]


@pytest.mark.parametrize(("case", "words"), [
    ("not merged", ("{third}", "没有并入其他工单")),
    ("the root", ("{first}", "是主单", "hotline tickets unmerge {second}")),
    ("no reason", ("必须写明理由", "--note")),
    ("blank reason", ("必须写明理由",)),
    ("no actor", ("操作人",)),
    ("a unit", ("承办单位", "不能撤销并单", "supervisor")),
    ("archived", ("{second}", "已归档")),
])
def test_unmerge_refusals_name_the_ticket_and_change_nothing(engine, case, words):
    first, second, _, _ = merged(engine)
    with Session(engine) as session, session.begin():
        third = add(session, NOW + timedelta(hours=1), **{**CT_TWICE, "phone": "13700030005"}).number
        if case == "archived":
            close(session, second)
            visit(session, get(session, second), actor="回访员", role="supervisor", method="电话", satisfaction="满意")
            archive(session, get(session, second), actor="班长", role="supervisor")
    number = {"not merged": third, "the root": first}.get(case, second)
    given = {"actor": "质检员林", "note": REASON, "role": None, **{
        "no reason": {"note": None}, "blank reason": {"note": "  "}, "no actor": {"actor": " "},
        "a unit": {"role": "unit"}}.get(case, {})}
    with Session(engine) as session:
        events = session.scalar(select(func.count()).select_from(TicketEvent))
        repeat = get(session, second)
        kept = (repeat.repeat_of_id, repeat.deadline, repeat.dispatch_deadline)
    with Session(engine) as session, session.begin(), pytest.raises((TicketError, AccessError)) as refused:
        unmerge(session, get(session, number), **given)
    text = f"{refused.value.message} {refused.value.hint}"
    for word in words:
        assert word.format(first=first, second=second, third=third) in text, text
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(TicketEvent)) == events
        repeat = get(session, second)
        assert (repeat.repeat_of_id, repeat.deadline, repeat.dispatch_deadline) == kept
        assert kept[0] == get(session, first).id


@pytest.mark.parametrize("another", [False, True], ids=["the root alone", "another candidate besides"])
def test_a_ticket_unmerged_from_a_root_is_no_suspect_of_it_again(engine, another):
    """The undoing is a supervisor's word that the ticket does not repeat that root: neither the batch's flag nor
    the scan lists it against the root again; another candidate it likely repeats is still listed."""
    extra = [(NOW, {**CT_TWICE, **RELATIVE})]
    if another:  # the same matter told by a third caller, not merged into the root
        extra.append((NOW - timedelta(days=2), {**CT_TWICE, **RELATIVE, "phone": "13700030007", "caller_name": "欧阳青",
                                                "summary": RELATIVE["summary"] + "家属转述。"}))
    root = setting(engine, extra)
    with Session(engine) as session, session.begin():
        new = session.scalars(select(Ticket).where(Ticket.phone == RELATIVE["phone"])).one()
        number = new.number
        candidates = flag(session, new, actor="batch").detail["candidates"]
        merge(session, new, get(session, root), actor="班长王")
    assert root in candidates and len(candidates) == 1 + another
    with Session(engine) as session, session.begin():
        unmerge(session, get(session, number), actor="质检员林", note=REASON)
    with Session(engine) as session:
        listed = {s.ticket.number: [t.number for t in s.candidates] for s in flagged(session)}
        scanned = {s.ticket.number: [t.number for t in s.candidates] for s in scan(session, end=NOW.date())}
        others = [n for n in candidates if n != root]
        if another:
            assert listed == {number: others} and scanned[number] == others
            assert scanned[others[0]] == [root]  # the third caller's ticket is still the root's suspect
        else:
            assert listed == {} and scanned == {}
