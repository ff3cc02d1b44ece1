"""When it happened: relative and absolute time expressions resolved against the call's start.

昨天下午三点, 前天, 上周三, 这个礼拜四, 上个月十号, 这个月二十号, 3月5号, 晚上十一点半 … → ``2026-03-18T23:30``
(or a date alone when no hour is said). The operator's confirmed read-back usually restates the date outright and wins
(with the caller's hour of that day when the read-back has none); otherwise the caller's first time
expression is taken. A caller who says only a time of day (中午十二点吃的, 凌晨三点四十破水了, 我六点十分打的120)
is telling what happened just now: the latest such time before the call, today or yesterday. Weekdays said as a
schedule (周六周日不开, 周一到周五) are no date. A call with no time expression has no incident time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import cn2an

from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.transcript.model import Speaker

_NUM = r"(?:\d{1,2}|[零一二两三四五六七八九十]{1,3})"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "1": 0, "2": 1, "3": 2, "4": 3,
            "5": 4, "6": 5, "7": 6}
_DAY_WORDS = {"今天": 0, "今早": 0, "今儿": 0, "今晚": 0, "今天早上": 0, "昨天": -1, "昨晚": -1, "昨儿": -1,
              "昨日": -1, "前天": -2, "前儿": -2, "大前天": -3}
# 日 as ASR hears it after a month and a day (七月二十亿): 亿 can follow no date otherwise.
_DAY_END = r"(?:日|号|亿)"
_EXPR = re.compile(
    rf"(?P<md>(?:(?P<year>\d{{4}})年)?(?P<month>{_NUM})月(?P<day>{_NUM}){_DAY_END})"
    rf"|(?P<lastmonth>上个?月)(?P<lmday>{_NUM})(?:日|号)"
    rf"|(?P<thismonth>这个?月|本月)(?P<tmday>{_NUM})(?:日|号)"
    rf"|(?P<week>(?:上上|上|这|本|下)?(?:个)?(?:周|礼拜|星期))(?P<wd>[一二三四五六日天1-7])"
    r"|(?P<rel>大前天|前天|前儿|昨天|昨晚|昨儿|昨日|今天|今早|今儿|今晚)"
)
_HOUR = re.compile(
    rf"(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜|今晚|昨晚)?[^，。？！\d]{{0,3}}?"
    rf"(?P<h>{_NUM})点(?:(?P<half>半)|(?P<m>{_NUM})分?)?"
)
_PM = ("下午", "傍晚", "晚上", "夜里", "今晚", "昨晚")
# A time of day said alone. Without a part of the day it needs minutes, 半, 钟, 多 or 左右 (一点半, 三点四十), so
# 好一点了, 快一点 are no time.
_CLOCK = re.compile(
    rf"(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜)?(?P<h>{_NUM})点"
    rf"(?:(?P<half>半)|(?P<m>{_NUM})分?|(?P<about>钟|多|左右))?"
)
# … unless it is a plan, a habit or a question (明天下午三点, 每天晚上九点, 几点).
_NOT_THEN = re.compile(
    r"明天|明早|明晚|后天|下周|下礼拜|待会|等会|到时|约[了的好]|预约|每天|每晚|天天|每次|一般|平时|经常|几点"
)
# A weekday wished for rather than past (哪怕周六上午开半天, 能不能周日也开).
_WISH = re.compile(r"哪怕|如果|要是|假如|希望|最好|能不能|可不可以")
_WEEKDAY_WORD = r"(?:周|礼拜|星期)[一二三四五六日天1-7]"
_SCHEDULE = re.compile(rf"^(?:[到至和、]|{_WEEKDAY_WORD})")


def _num(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int(cn2an.cn2an(text.replace("两", "二"), "smart"))


def _resolve(m: re.Match, today: date) -> date | None:
    try:
        if m.group("md"):
            month, day = _num(m.group("month")), _num(m.group("day"))
            year = int(m.group("year")) if m.group("year") else today.year
            when = date(year, month, day)
            if not m.group("year") and when > today + timedelta(days=1):
                when = date(year - 1, month, day)  # "12月20号" said in January
            return when
        if m.group("lastmonth"):
            first = today.replace(day=1) - timedelta(days=1)
            return first.replace(day=_num(m.group("lmday")))
        if m.group("thismonth"):
            return today.replace(day=_num(m.group("tmday")))
        if m.group("week"):
            target = _WEEKDAY[m.group("wd")]
            monday = today - timedelta(days=today.weekday())
            prefix = m.group("week")
            if prefix.startswith("下"):
                return monday + timedelta(days=7 + target)  # the future: not an incident time
            if prefix.startswith("上上"):
                return monday - timedelta(days=14) + timedelta(days=target)
            if prefix.startswith("上"):
                return monday - timedelta(days=7) + timedelta(days=target)
            when = monday + timedelta(days=target)
            return when if when <= today or prefix[0] in "这本" else when - timedelta(days=7)
        if m.group("rel"):
            return today + timedelta(days=_DAY_WORDS[m.group("rel")])
    except (ValueError, KeyError):
        return None
    return None


_PART = re.compile(r"凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜")


def _hour_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An hour said right after the date (上午十点, 晚上，快十一点半), or just before it (7点半…昨天早上); not one
    that follows another date (前天做的手术，今晚一点多: 一点 is tonight's)."""
    after = text[end : end + 14]
    following = _EXPR.search(after)
    if following:
        after = after[: following.start()]
    m = _HOUR.search(after)
    if m is None:
        m = _HOUR.search(text[max(0, start - 10) : start])
    if m is None:
        return None
    part_m = _PART.search(after[:4])
    part = m.group("part") or (part_m.group(0) if part_m else "")
    try:
        hour = _num(m.group("h"))
        minute = 30 if m.group("half") else (_num(m.group("m")) if m.group("m") else 0)
    except (ValueError, TypeError):
        return None
    if part in _PM and hour < 12:
        hour += 12
    if part == "中午" and hour < 6:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def extract_incident_time(turns: list[Turn], call_start: datetime, *, consultation: bool = False) -> FieldValue:
    """The incident time; for a consultation (咨询) only a date the operator's read-back states counts,
    since callers asking a question mention days (今天, 礼拜一) that are not an incident."""
    today = call_start.date()
    readbacks = [t for t in turns if t.readback and t.confirmed] + [t for t in turns if t.readback and not t.confirmed]
    ordered = readbacks + ([] if consultation else [t for t in turns if t.speaker != Speaker.OPERATOR])
    found = [(turn, m, when, _hour_near(turn.text, m.start(), m.end())) for turn in ordered
             for m in turn.finditer(_EXPR) if (when := _resolve(m, today)) is not None and when <= today
             and not _schedule(turn.text, m)]
    if not found:
        return FieldValue.empty() if consultation else _clock_alone(turns, call_start)
    turn, m, when, hm = found[0]
    evidence = [turn.cite(m.start(), m.end())]
    if hm is None:  # a read-back that kept the day but lost the hour (ASR): the caller's hour of that day
        same_day = next((f for f in found[1:]
                         if f[2] == when and f[3] is not None and f[0].speaker != Speaker.OPERATOR), None)
        if same_day is not None:
            hm = same_day[3]
            evidence.append(same_day[0].cite(same_day[1].start(), same_day[1].end()))
    value = when.isoformat() + (f"T{hm[0]:02d}:{hm[1]:02d}" if hm else "")
    confidence = (0.9 if turn.confirmed else 0.8) if turn.readback else 0.7
    return FieldValue(value, confidence, tuple(evidence))


def _schedule(text: str, m: re.Match) -> bool:
    """A weekday said without 上/这/本 next to another weekday (周六周日, 周一到周五: opening hours) or wished for
    (哪怕周六开半天): no date."""
    if not m.group("week") or m.group("week")[0] in "上这本下":
        return False
    before = text[max(0, m.start() - 3) : m.start()]
    clause = re.split(r"[，。？！,]", text[: m.start()])[-1]
    return bool(_SCHEDULE.match(text[m.end() :]) or re.search(rf"{_WEEKDAY_WORD}[到至和、]?$", before)
                or _WISH.search(clause))


def _clock_alone(turns: list[Turn], call_start: datetime) -> FieldValue:
    """The first time of day said with no date, in a read-back or else by the caller: the latest such time before
    the call."""
    ordered = [t for t in turns if t.readback] + [t for t in turns if t.speaker != Speaker.OPERATOR]
    for turn in ordered:
        for m in turn.finditer(_CLOCK):
            if not (m.group("part") or m.group("half") or m.group("m") or m.group("about")):
                continue
            clause = re.split(r"[，。？！,]", turn.text[: m.start()])[-1]
            if _NOT_THEN.search(clause + m.group(0)):
                continue
            try:
                hour = _num(m.group("h"))
                minute = 30 if m.group("half") else (_num(m.group("m")) if m.group("m") else 0)
            except (ValueError, TypeError):
                continue
            part = m.group("part") or ""
            if (part in _PM or (part == "中午" and hour < 6)) and hour < 12:
                hour += 12
            if hour > 23 or minute > 59:
                continue
            when = call_start.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=None)
            if when > call_start.replace(tzinfo=None):
                when -= timedelta(days=1)
            return FieldValue(when.strftime("%Y-%m-%dT%H:%M"), 0.5, (turn.cite(m.start(), m.end()),))
    return FieldValue.empty()
