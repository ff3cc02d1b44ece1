"""The figures as the report's sections: Chinese tables, each with how it was counted and its chart.

Units and categories are shown by name, a ticket without one as （未派单位） / （未分类）; categories follow the
centre's taxonomy order, so the same column is in the same place every month. Rows that are counted from a few
tickets are kept (a supervisor wants to see the unit with two tickets and both overdue); sorting puts what needs
attention first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import timedelta

from assistant.report import charts
from assistant.report.figures import WEEK, Figures, Timeliness
from assistant.report.model import Column, Section, Table
from assistant.report.places import NO_DISTRICT, NO_STREET, UNKNOWN, Places
from assistant.report.rising import RULE, Change, changes

NO_UNIT, NO_CATEGORY, TOTAL = "（未派单位）", "（未分类）", "合计"
LEVELS = ("满意", "基本满意", "不满意")
TOP = 15  # rows of a chart; the tables keep every row


def _unit(name: str | None) -> str:
    return name or NO_UNIT


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def unit_by_category(f: Figures, category_order: Sequence[str]) -> Section:
    units: Counter[str] = Counter()
    cats: Counter[str] = Counter()
    cell: Counter[tuple[str, str]] = Counter()
    for (unit, category), n in f.unit_category.items():
        u, c = _unit(unit), category or NO_CATEGORY
        units[u] += n
        cats[c] += n
        cell[(u, c)] += n
    known = [c for c in category_order if c in cats]
    columns = known + sorted(c for c in cats if c not in known and c != NO_CATEGORY)
    columns += [NO_CATEGORY] if NO_CATEGORY in cats else []
    rows = [(u, *(cell[(u, c)] for c in columns), n) for u, n in sorted(units.items(), key=lambda x: (-x[1], x[0]))]
    rows.append((TOTAL, *(cats[c] for c in columns), f.total))
    top = [r[0] for r in rows[:-1][:TOP]]
    chart = charts.heatmap(top, columns, [[cell[(u, c)] for c in columns] for u in top],
                           "各承办单位的工单分类") if top else None
    return Section("单位×分类", "承办单位 × 问题分类",
                   "统计区间内登记的工单（不含草稿），按承办单位和问题分类计数；单位按工单数从多到少排列。",
                   Table((Column("承办单位"), *(Column(c, "int") for c in columns), Column(TOTAL, "int")),
                         tuple(rows), key_columns=1), chart, "各承办单位的工单分类")


def weekly(f: Figures) -> Section:
    def tickets(first, last) -> int:
        return sum(n for d, n in f.days.items() if first <= d <= last)

    rows = []
    last = f.end
    while last >= f.start:
        first = max(last - timedelta(days=WEEK - 1), f.start)
        n = tickets(first, last)
        full = (last - first).days + 1 == WEEK
        before = tickets(first - timedelta(days=WEEK), first - timedelta(days=1)) if full else None
        rows.append((first, last, (last - first).days + 1, n, before, n - before if full else None,
                     _rate(n - before, before) if full else None))
        last -= timedelta(days=WEEK)
    rows.reverse()
    labels = [f"{a:%m-%d}至{b:%m-%d}" for a, b, *_ in rows]
    return Section("周环比", "每周工单量",
                   f"以截止日 {f.end:%Y-%m-%d} 往前每 7 天为一周，与紧邻的前 7 天比较（可早于统计区间）；"
                   "区间开头不足 7 天的一段只列件数。",
                   Table((Column("起", "date"), Column("止", "date"), Column("天数", "int"), Column("工单数", "int"),
                          Column("前7天", "int"), Column("较前7天", "signed"), Column("环比", "pct")), tuple(rows)),
                   charts.weekly(labels, [r[3] for r in rows], "每周工单量") if rows else None, "每周工单量")


def rising(f: Figures) -> Section:
    by: dict[str, dict[str, list[int]]] = {"分类": defaultdict(lambda: [0, 0]), "单位": defaultdict(lambda: [0, 0]),
                                           "单位×分类": defaultdict(lambda: [0, 0])}
    for (unit, category), (now, before) in f.recent.items():
        for dim, key in (("分类", category or NO_CATEGORY), ("单位", _unit(unit)),
                         ("单位×分类", f"{_unit(unit)}｜{category or NO_CATEGORY}")):
            by[dim][key][0] += now
            by[dim][key][1] += before
    rows: list[tuple[str, Change]] = []
    for dim, counts in by.items():
        found = changes({k: (a, b) for k, (a, b) in counts.items()})
        if dim == "单位×分类":  # hundreds of pairs: the rising ones and those with a week's worth of tickets
            found = [c for c in found if c.rising or c.this_week >= 5]
        rows += [(dim, c) for c in found]
    rows.sort(key=lambda r: (not r[1].rising, r[1].p if r[1].rising else 0, ("分类", "单位", "单位×分类").index(r[0]),
                             -r[1].change, r[1].item))
    flagged = [c for _, c in rows if c.rising]
    shown = flagged[:TOP] or sorted((c for d, c in rows if d == "分类"), key=lambda c: -c.change)[:TOP]
    chart = charts.bars([c.item for c in shown], [c.this_week for c in shown],
                        "最近 7 天标记为上升的项目" if flagged else "最近 7 天各分类工单数（无上升项）",
                        highlight=[c.rising for c in shown]) if shown else None
    this = f"{f.end - timedelta(days=WEEK - 1):%m-%d}至{f.end:%m-%d}"
    return Section("上升项", "周环比上升项", RULE + f"最近 7 天为 {this}。",
                   Table((Column("维度"), Column("项目"), Column("最近7天", "int"), Column("之前7天", "int"),
                          Column("变化", "signed"), Column("环比", "pct"), Column("p 值", "p"), Column("上升")),
                         tuple((d, c.item, c.this_week, c.last_week, c.change, c.ratio, c.p, "上升" if c.rising else "")
                               for d, c in rows)), chart, "上升项")


def hot_places(f: Figures, places: Places) -> Section:
    items = list(f.complaints_by_place.items())
    placed = Places.settle([places.place(location, unit) for (location, unit), _ in items])
    count: Counter[tuple[str, str]] = Counter()
    units: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for ((_, unit), n), p in zip(items, placed, strict=True):
        count[(p.district, p.street)] += n
        units[(p.district, p.street)][_unit(unit)] += n
    total = sum(count.values())
    ranked = sorted(count.items(), key=lambda x: (-x[1], x[0]))
    rows = tuple((d, s, n, _rate(n, total), "、".join(u for u, _ in units[(d, s)].most_common(3)))
                 for (d, s), n in ranked)
    top = [item for item in ranked if item[0][0] not in (UNKNOWN, NO_DISTRICT) and item[0][1] != NO_STREET][:TOP]
    chart = charts.bars([f"{d} {s}" for (d, s), _ in top], [n for _, n in top], "投诉最多的地点") if top else None
    return Section("投诉地点", "投诉热点：地点",
                   "诉求类型为“投诉”的工单，按事发地点归到区县和街道/道路（地点未写区县时，用同一街道在其他投诉中写明的"
                   "区县，否则用承办单位所在区县）；图中只列区县和街道都能确定的地点。"
                   "“主要涉及单位”列出投诉最多的三个。",
                   Table((Column("区县"), Column("街道/道路"), Column("投诉数", "int"), Column("占投诉", "pct"),
                          Column("主要涉及单位")), rows), chart, "投诉最多的地点")


def hot_units(f: Figures) -> Section:
    complaints: Counter[str] = Counter()
    for (_, unit), n in f.complaints_by_place.items():
        complaints[_unit(unit)] += n
    tickets = {_unit(u): t.tickets for u, t in f.timeliness.items()}
    ranked = sorted(complaints.items(), key=lambda x: (-x[1], x[0]))
    rows = tuple((u, n, tickets.get(u, 0), _rate(n, tickets.get(u, 0))) for u, n in ranked)
    top = ranked[:TOP]
    chart = charts.bars([u for u, _ in top], [n for _, n in top], "被投诉最多的单位") if top else None
    return Section("被投诉单位", "投诉热点：单位",
                   "诉求类型为“投诉”的工单按承办单位计数；投诉占比为该单位投诉数占其全部工单。",
                   Table((Column("承办单位"), Column("投诉数", "int"), Column("工单数", "int"),
                          Column("投诉占比", "pct")), rows), chart, "被投诉最多的单位")


def overall(rows: dict[str | None, Timeliness]) -> Timeliness:
    done = sum(t.done for t in rows.values())
    weighted = sum(t.mean_days * t.done for t in rows.values() if t.mean_days is not None)
    timed = sum(t.done for t in rows.values() if t.mean_days is not None)
    return Timeliness(sum(t.tickets for t in rows.values()), sum(t.with_deadline for t in rows.values()),
                      sum(t.overdue for t in rows.values()), sum(t.overdue_open for t in rows.values()), done,
                      weighted / timed if timed else None, sum(t.repeats for t in rows.values()))


def timeliness(f: Figures) -> Section:
    def row(name: str, t: Timeliness) -> tuple:
        return (name, t.tickets, t.with_deadline, t.overdue, t.overdue_open, _rate(t.overdue, t.with_deadline),
                t.done, t.mean_days)

    ranked = sorted(f.timeliness.items(), key=lambda x: (-(_rate(x[1].overdue, x[1].with_deadline) or 0),
                                                          -x[1].tickets, _unit(x[0])))
    rows = [row(_unit(u), t) for u, t in ranked] + [row(TOTAL, overall(f.timeliness))]
    top = rows[:-1][:TOP]
    chart = charts.bars([r[0] for r in top], [r[5] or 0 for r in top], "各单位超期率", percent=True) if top else None
    return Section("办理时效", "超期率与办理时长",
                   f"超期：办结日晚于办理时限，或到统计时点 {f.as_of:%Y-%m-%d} 仍未办结且已过时限；"
                   "超期率以有时限的工单为分母。办理时长为登记到办结的天数（只计已办结的）。",
                   Table((Column("承办单位"), Column("工单数", "int"), Column("有时限", "int"), Column("超期", "int"),
                          Column("其中未办结", "int"), Column("超期率", "pct"), Column("已办结", "int"),
                          Column("平均办理时长（天）", "days")), tuple(rows)), chart, "各单位超期率")


def satisfaction(f: Figures) -> Section:
    def row(name: str, levels: dict[str, int]) -> tuple:
        n = sum(levels.values())
        return (name, n, *(levels.get(level, 0) for level in LEVELS),
                _rate(levels.get("满意", 0) + levels.get("基本满意", 0), n), _rate(levels.get("不满意", 0), n))

    total: Counter[str] = Counter()
    for levels in f.satisfaction.values():
        total.update(levels)
    ranked = sorted(f.satisfaction.items(), key=lambda x: (-(_rate(x[1].get("不满意", 0), sum(x[1].values())) or 0),
                                                            _unit(x[0])))
    rows = [row(_unit(u), lv) for u, lv in ranked] + [row(TOTAL, dict(total))]
    top = rows[:-1][:TOP]
    shares = {level: [r[2 + i] / r[1] for r in top] for i, level in enumerate(LEVELS)}
    chart = charts.stacked([r[0] for r in top], shares, "各单位回访满意度") if top else None
    return Section("满意度", "回访满意度",
                   "已回访工单的满意度；满意率 = (满意 + 基本满意) ÷ 回访数。单位按不满意率从高到低排列。",
                   Table((Column("承办单位"), Column("回访数", "int"), *(Column(lv, "int") for lv in LEVELS),
                          Column("满意率", "pct"), Column("不满意率", "pct")), tuple(rows)), chart, "各单位回访满意度")


def repeats(f: Figures) -> Section:
    rows = [(_unit(u), t.tickets, t.repeats, _rate(t.repeats, t.tickets))
            for u, t in sorted(f.timeliness.items(), key=lambda x: (-x[1].repeats, _unit(x[0])))]
    rows.append((TOTAL, f.total, f.repeats, _rate(f.repeats, f.total)))
    grouped: Counter[str] = Counter()
    for n, callers in sorted(f.callers_by_count.items()):
        grouped[f"{n} 次" if n < 5 else "5 次及以上"] += callers
    chart = (charts.bars(list(grouped), list(grouped.values()), "多次来电的来电人：按来电次数")
             if grouped else None)
    callers = sum(f.callers_by_count.values())
    their = sum(n * c for n, c in f.callers_by_count.items())
    share = their / f.with_phone if f.with_phone else 0
    return Section("重复来电", "重复来电",
                   "并单：登记为某张在办工单的重复诉求。多次来电按来电号码统计（报表不含号码）："
                   f"区间内来电 2 次及以上的来电人 {callers:,} 位，共 {their:,} 张工单，"
                   f"占留有电话的 {f.with_phone:,} 张工单的 {share:.1%}。",
                   Table((Column("承办单位"), Column("工单数", "int"), Column("并单", "int"), Column("并单率", "pct")),
                         tuple(rows)), chart, "多次来电的来电人：按来电次数")


def qa(f: Figures) -> Section:
    ranked = sorted(f.qa.items(), key=lambda x: (x[1][1], x[0] or ""))
    rows = tuple((op or "（未知）", n, mean, low, high) for op, (n, mean, low, high) in ranked)
    chart = charts.bars([r[0] for r in rows[:TOP]], [r[2] for r in rows[:TOP]], "各接线员质检平均分") if rows else None
    note = "质检记录按质检时间落在统计区间内计；分数为检查项通过的比例（0–100）。接线员按平均分从低到高排列。"
    if not rows:
        note += "本期没有质检记录。"
    return Section("质检评分", "质检评分",
                   note, Table((Column("接线员工号"), Column("质检次数", "int"), Column("平均分", "score"),
                                Column("最低分", "score"), Column("最高分", "score")), rows),
                   chart, "各接线员质检平均分")
