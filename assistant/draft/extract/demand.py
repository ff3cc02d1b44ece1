"""Demand (诉求), title (工单标题) and summary, written from what was said.

The operator's confirmed read-back is the call already summarised ("我核对一下：…您要求…，对吗？"), so the
summary is that read-back in the third person, and the demand is its 要求/希望 clause. Without a read-back the
caller's own 要求 / 希望 sentence and longest account are used.
"""

from __future__ import annotations

import re

from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.transcript.model import Speaker

_DEMAND = re.compile(r"(?:您的诉求是|诉求是|您要求|您希望|要求|希望|想让|请求|想请)([^。？！]*)")
_LEAD = re.compile(r"^.*?(?:核对|确认|复述|记录|重复|核实|理)一下[：:，,]?")
_TAIL = re.compile(r"[，,]?\s*(对吗|是吗|对不对|是不是|没错吧)[？?。]*$")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")


def _third_person(text: str) -> str:
    return text.replace("您的", "来电人的").replace("您", "来电人")


def _readback(turns: list[Turn]) -> Turn | None:
    backs = [t for t in turns if t.readback]
    confirmed = [t for t in backs if t.confirmed]
    return (confirmed or backs or [None])[-1]


def extract_demand(turns: list[Turn]) -> FieldValue:
    back = _readback(turns)
    if back is not None:
        m = _DEMAND.search(back.text)
        if m:
            clause = _TAIL.sub("", m.group(0)).strip("，, ")
            return FieldValue(_third_person(clause) + "。", 0.8, (back.cite(m.start(), m.end()),))
    for turn in reversed([t for t in turns if t.speaker != Speaker.OPERATOR]):
        m = _DEMAND.search(turn.text)
        if m and len(m.group(1)) >= 4:
            return FieldValue(m.group(0).strip("，, ") + "。", 0.6, (turn.cite(m.start(), m.end()),))
    return FieldValue.empty()


def extract_summary(turns: list[Turn]) -> FieldValue:
    back = _readback(turns)
    if back is not None:
        lead = _LEAD.match(back.text)
        start = lead.end() if lead else 0
        body = _TAIL.sub("", back.text[start:]).strip()
        if len(body) >= 15:
            return FieldValue("来电人反映：" + _third_person(body).rstrip("。") + "。", 0.8,
                              (back.cite(start, start + len(body)),))
    caller = [t for t in turns if t.speaker != Speaker.OPERATOR]
    if not caller:
        return FieldValue.empty()
    longest = max(caller, key=lambda t: len(t.text))
    sentences = _SENTENCE.findall(longest.text)[:3]
    text = "".join(sentences).strip()
    return FieldValue("来电人反映：" + text, 0.5, (longest.cite(0, len(text)),)) if text else FieldValue.empty()


def make_title(institution: str | None, department: str | None, category: str | None, appeal: str | None,
               short_name: str | None, demand: str | None) -> FieldValue:
    """工单标题, 15-30 characters: who, about what, what kind of appeal."""
    who = (short_name or institution or "") + (department or "")
    subject = category or "问题"
    kind = appeal or "反映"
    title = f"{who}{subject}{kind}" if who else f"关于{subject}的{kind}"
    if demand:
        core = re.sub(r"^(来电人)?(要求|希望|请求|想让|诉求是)", "", demand).rstrip("。")
        title = f"{title}：{core}"
    if len(title) > 30:
        title = title[:29] + "…"
    if len(title) < 15:
        title = title + "（来电工单）" if len(title) <= 9 else title + "的工单"
    return FieldValue(title, 0.5)
