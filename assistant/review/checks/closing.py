"""结束时告知办理时限: at the close the operator tells the caller when they will hear back.

The close is the operator's last turns. A time limit is a definite time (三个工作日内, 24小时内, 一周内, 12月4日前,
明天下班前) in the same sentence as a word of hearing back (答复, 回复, 联系, 回电, 反馈 …): 尽快, 过几天, or when the
ticket is sent on (今天就转给医院) tell the caller nothing of when to expect an answer. A call the operator says
is answered on the spot (the script's phrases with 当场 or 不转办: 当场答复, 本次不转办) passes, there being nothing
to hear back about.
"""

from __future__ import annotations

import re

from assistant.centre import Script
from assistant.draft.text import Turn
from assistant.review.checks.spoken import Said, find_said, operator_turns

CLOSING_TURNS = 3  # the read-back's answer, the time limit, the thanks and goodbye
_NUM = r"(?:\d+|[一二三四五六七八九十两半]+)"
_WITHIN = r"(?:之内|以内|内|里|之前|以前|前)"
TIME_LIMIT = re.compile(
    rf"{_NUM}个?(?:工作日|自然日|天|日|小时|钟头|周|星期|礼拜|个?月|分钟){_WITHIN}"
    rf"|(?:{_NUM}月)?{_NUM}[日号]{_WITHIN}"
    rf"|(?:今天|明天|后天|本周|这周|下周[一二三四五六日]?|周[一二三四五六日末]|星期[一二三四五六日天])"
    rf"(?:{_WITHIN}|下班前|上午|下午|晚上|中午)?")
HEAR_BACK = re.compile(r"答复|回复|联系|回电|回话|反馈|告知|通知|回访|给您打|打给您|上门")
_SENTENCE = re.compile(r"[^。！？!?；;]+")
ON_THE_SPOT_WORDS = ("当场", "不转办")


def _on_the_spot(script: Script) -> tuple[str, ...]:
    return tuple(p for p in script.phrases if any(w in p for w in ON_THE_SPOT_WORDS)) or ("当场答复", "本次不转办")


def check_closing(turns: list[Turn], script: Script) -> tuple[bool, str, Said | None]:
    closing = [t for _, t in operator_turns(turns)[-CLOSING_TURNS:]]
    for turn in reversed(closing):
        for sentence in _SENTENCE.finditer(turn.text):
            if not HEAR_BACK.search(sentence.group(0)):
                continue
            limit = TIME_LIMIT.search(sentence.group(0))
            if limit:
                said = Said(turn, sentence.start() + limit.start(), sentence.end())
                return True, f"结束时告知“{said.words}”", said
    for turn in closing:
        for phrase in _on_the_spot(script):
            start = next(find_said(turn.text, phrase), None)
            if start is not None:
                said = Said(turn, start, start + len(phrase))
                return True, f"当场答复，无需告知时限：“{said.words}”", said
    if not closing:
        return False, "接线员没有说话", None
    return False, f"结束时未告知何时答复（最后说的是“{closing[-1].text[:24]}”）", None
