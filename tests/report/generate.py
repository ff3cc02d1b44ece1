"""A generated month of a centre's tickets, for the report's tests and benchmark: bulk-inserted in seconds.

Varied on every axis the report counts: units of several districts (the demo centre's directory) and none,
every category and appeal type, locations written with a district, with only a street, with neither, or not
at all; every state, with tickets finished on time, finished late (by the centre's clock, eight hours ahead of
UTC, so that a finish late in a UTC evening is the next local day) and left open past their deadline; return
visits with each level of satisfaction; callers who ring several times, some tickets merged as repeats; QA
reviews by operator. One pair of unit and category rises sharply in the last week (``RISING``), so the rising
rule has something to find. Every sentence and number here is made up for the project.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from assistant.centre import load_centre, shipped_centre_folder
from assistant.lexicon.units import load_units
from assistant.store import workflow
from assistant.store.models import Review, Ticket, Unit
from assistant.store.privacy import phone_key

CENTRE_TZ = timezone(timedelta(hours=8))
APPEALS = (("投诉", 30), ("咨询", 30), ("求助", 15), ("举报", 10), ("建议", 10), ("表扬", 5))
STATES = ((workflow.ACCEPTED, 6), (workflow.DISPATCHED, 8), (workflow.IN_PROGRESS, 12), (workflow.RETURNED, 2),
          (workflow.DONE, 20), (workflow.VISITED, 30), (workflow.ARCHIVED, 14), (workflow.SOLVED_ON_CALL, 8))
FINISHED = (workflow.DONE, workflow.VISITED, workflow.ARCHIVED)
VISITED = (workflow.VISITED, workflow.ARCHIVED)
LEVELS = (("满意", 60), ("基本满意", 25), ("不满意", 15))
# Places of the made-up city: some in the directory's districts, one district the directory lacks.
STREETS = {"江北区": ("滨江路", "北岸街道", "望山路", "梧桐巷"), "江南区": ("东湖街道", "南门大街", "清溪镇", "柳岸路"),
           "青松区": ("松涛路", "白石镇")}
SPOTS = ("口的药店", "18号", "旁边的诊所", "一带", "附近的小区", "菜市场")
OPERATORS = tuple(f"{n:04d}" for n in (1101, 1102, 1207, 1311, 1316, 1420, 1502, 1533, 1618, 1702, 1745, 1809))


@dataclass(frozen=True)
class Store:
    start: date
    end: date
    tickets: int
    rising: tuple[str, str]  # the (unit, category) planted to rise in the last 7 days


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _location(rng: random.Random) -> str | None:
    district = rng.choice(tuple(STREETS))
    street = rng.choice(STREETS[district])
    form = rng.random()
    if form < 0.45:
        return f"{district}{street}{rng.choice(SPOTS)}"
    if form < 0.6:
        return f"临江市{district}{street}"
    if form < 0.8:
        return f"{street}{rng.choice(SPOTS)}"  # no district: the unit's is used
    if form < 0.9:
        return rng.choice(("医院门口", "家里", "单位楼下"))
    return None


def generate(engine, tickets: int = 5000, *, end: date = date(2026, 3, 31), days: int = 31, seed: int = 7,
             reviews: int = 400) -> Store:
    """Fill an empty store (``migrate.reset``) with ``tickets`` tickets filed over ``days`` days ending at ``end``,
    plus two weeks before them (so the first week has a week to be compared with), and ``reviews`` QA reviews."""
    rng = random.Random(seed)
    directory = load_units(shipped_centre_folder() / "units.csv")
    units = [u.name for u in directory.units]
    categories = list(load_centre(shipped_centre_folder()).taxonomy.labels("category"))
    rising = (units[6], categories[2])
    start = end - timedelta(days=days - 1)
    first = start - timedelta(days=14)
    # The month's tickets (one in 120 the rising pair, in its last week), its drafts, the two weeks before it.
    plan = [(end - timedelta(days=rng.randrange(7)), True, None) if i % 120 == 0
            else (start + timedelta(days=rng.randrange(days)), False, None) for i in range(tickets)]
    plan += [(start + timedelta(days=rng.randrange(days)), False, workflow.DRAFT) for _ in range(tickets // 100)]
    plan += [(first + timedelta(days=rng.randrange(14)), False, None) for _ in range(tickets * 14 // days)]
    plan.sort(key=lambda p: p[0])  # ids in filing order: a repeat points to an earlier ticket
    total = len(plan)
    callers = [f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" for _ in range(int(total * 0.75))]
    rows, seqs = [], {}
    for i, (day, planted, fixed) in enumerate(plan):
        seqs[day] = seq = seqs.get(day, 0) + 1
        local = datetime.combine(day, time(8), CENTRE_TZ) + timedelta(seconds=rng.randrange(12 * 3600))
        created = local.astimezone(UTC)
        appeal = _pick(rng, APPEALS)
        status = fixed or _pick(rng, STATES)
        unit = rising[0] if planted else (rng.choice(units) if rng.random() > 0.04 else None)
        category = rising[1] if planted else (rng.choice(categories) if rng.random() > 0.03 else None)
        deadline = None if fixed else day + timedelta(days={"咨询": 2, "求助": 5}.get(appeal, 10) + 2)
        done = None
        if status in FINISHED:
            done = created + timedelta(hours=rng.uniform(2, 24 * 1.15 * (deadline - day).days))
            if rng.random() < 0.05:  # finished in the UTC evening of the deadline: the next day at the centre
                done = datetime.combine(deadline, time(18, 30), UTC)
        phone = rng.choice(callers) if rng.random() > 0.05 else None
        rows.append({
            "id": i + 1, "number": f"12320-{day:%Y%m%d}-{seq:04d}", "hotline": "12320", "day": day, "seq": seq,
            "status": status, "appeal_type": appeal, "category": category, "unit": unit, "urgency": "一般",
            "location": _location(rng), "title": f"第{i + 1}号测试工单", "caller_name": "测试来电人", "phone": phone,
            "phone_key": phone_key(phone), "drafted": {}, "operator_id": rng.choice(OPERATORS),
            "created_at": created, "updated_at": created, "deadline": deadline,
            "dispatch_deadline": deadline and day + timedelta(days=1), "done_at": done,
            "satisfaction": _pick(rng, LEVELS) if status in VISITED and rng.random() > 0.1 else None,
            "visited_at": done + timedelta(days=1) if done and status in VISITED else None,
        })
    by_phone: dict[str, int] = {}
    for row in rows:  # about one in ten of a caller's later tickets is merged into the earlier one
        earlier = by_phone.get(row["phone"]) if row["phone"] else None
        if earlier is not None and rng.random() < 0.35:
            row["repeat_of_id"] = earlier
        elif row["phone"]:
            by_phone[row["phone"]] = row["id"]
    for row in rows:
        row.setdefault("repeat_of_id", None)
    review_rows = [{"ticket_id": rng.randrange(1, total + 1), "operator_id": rng.choice(OPERATORS[:-2]),
                    "reviewer": "质检员甲", "at": datetime.combine(first + timedelta(days=rng.randrange(days + 14)),
                                                                time(3), UTC) + timedelta(minutes=rng.randrange(600)),
                    "score": float(rng.choice((60, 70, 75, 80, 85, 90, 95, 100))), "items": []}
                   for _ in range(reviews)]
    with Session(engine) as session, session.begin():
        session.add_all(Unit(name=u.name, aliases=list(u.aliases), kind=u.kind, district=u.district,
                             handles=list(u.handles)) for u in directory.units)
        for k in range(0, len(rows), 2000):
            session.execute(insert(Ticket), rows[k : k + 2000])
        if review_rows:
            session.execute(insert(Review), review_rows)
        if engine.dialect.name == "postgresql":  # ids were given: the sequence continues after them
            session.execute(text("SELECT setval(pg_get_serial_sequence('ticket', 'id'), (SELECT max(id) FROM ticket))"))
    return Store(start=start, end=end, tickets=total, rising=rising)
