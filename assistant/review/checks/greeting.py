"""开场问候并报工号: the parts of the centre's greeting, said in any order in the operator's first turns.

The parts come from the script's greeting template (``script.greeting``, e.g. ``您好，{hotline}{name}，工号{staff}，
请讲``): a salutation when the template has one (any 好 greeting: 您好, 你好, 早上好 …), the hotline when it names
``{hotline}`` or ``{name}`` (one of the centre's own numbers, or one of its names in full or in part: 卫健热线),
and a staff number when it has ``{staff}`` (the word before it in the template, 工号, or N号话务员, with as many
digits as ``script.staff_number_digits``). The invitation to speak (请讲, 请问有什么可以帮您) is worded freely
and not checked. Parts said later in the call do not count: the greeting is what the caller hears first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.centre import Script
from assistant.draft.text import Turn
from assistant.review.checks.spoken import (
    DIGIT_CHARS,
    Said,
    digit_runs,
    digits_of,
    find_said,
    operator_turns,
    said_in_part,
)

OPENING_TURNS = 2  # the operator's first turns: a greeting is sometimes cut by the caller's 喂？
DEFAULT_TEMPLATE = "您好，{hotline}{name}，工号{staff}"
_SALUTATION = re.compile(r"(?:您|你|大家|早上|上午|中午|下午|晚上)好")
# N号话务员 / N号为您服务: the staff number said without its cue word.
_NUMBERED = re.compile(rf"([{DIGIT_CHARS}](?:\s?[{DIGIT_CHARS}])*)号(?:话务员|接线员|坐席|座席|客服|为您服务)")
_AFTER_CUE = re.compile(rf"[是为：:\s]{{0,2}}([{DIGIT_CHARS}](?:[ \-]?[{DIGIT_CHARS}])*)")


@dataclass(frozen=True)
class Parts:
    salutation: bool
    hotline: bool
    staff: bool
    staff_cue: str  # the word the template says before the staff number


def parts_of(template: str) -> Parts:
    """The parts a greeting must have, read from the script's template."""
    template = template or DEFAULT_TEMPLATE
    places = set(re.findall(r"\{(\w+)\}", template))
    literal = re.sub(r"\{\w+\}", "|", template)
    before = re.split(r"\{staff\}", template, maxsplit=1)[0]
    cue = re.findall(r"[\u4e00-\u9fff]+", re.sub(r"\{\w+\}", "，", before))
    word = (cue[-1].rstrip("是为") if cue else "")[-2:] or "工号"
    return Parts(salutation="好" in literal, hotline=bool(places & {"hotline", "name"}), staff="staff" in places,
                 staff_cue=word)


def glued(digits: str, script: Script) -> tuple[str, str] | None:
    """(hotline, staff number) of one run of digits that is both said in a row: the number normaliser joins
    numbers said with a short pause (12345，8021号 → 123458021号)."""
    n = script.staff_number_digits
    for number in (h.number for h in script.hotlines):
        if len(digits) == len(number) + n:
            if digits.startswith(number):
                return number, digits[len(number):]
            if digits.endswith(number):
                return number, digits[:n]
    return None


def _hotline(turn: Turn, script: Script) -> Said | None:
    for digits, start, end in digit_runs(turn.text):
        if digits in {h.number for h in script.hotlines} or glued(digits, script):
            return Said(turn, start, end)
    names = sorted({n for h in script.hotlines for n in h.names}, key=len, reverse=True)
    for name in names:
        found = next(find_said(turn.text, name), None)
        if found is not None:
            return Said(turn, found, found + len(name))
    for name in names:
        span = said_in_part(turn.text, name)
        if span:
            return Said(turn, *span)
    return None


def _staff(turn: Turn, cue: str, script: Script) -> tuple[Said, str] | None:
    """Where a staff number is said, and its digits."""
    found = None
    for start in find_said(turn.text, cue):
        m = _AFTER_CUE.match(turn.text, start + len(cue))
        if m:
            found = Said(turn, start, m.end()), digits_of(m.group(1))
            break
    if found is None and (m := _NUMBERED.search(turn.text)):
        found = Said(turn, m.start(), m.end()), digits_of(m.group(1))
    if found is None:
        return None
    both = glued(found[1], script)
    return (found[0], both[1]) if both else found


def _note(said: Said | None, part: str, found: list[Said], missing: list[str]) -> None:
    if said:
        found.append(said)
    else:
        missing.append(part)


def check_greeting(turns: list[Turn], script: Script) -> tuple[bool, str, Said | None]:
    """(passed, evidence, where) of the greeting."""
    parts = parts_of(script.greeting)
    opening = [t for _, t in operator_turns(turns)[:OPENING_TURNS]]
    if not opening:
        return False, "接线员没有说话", None
    found: list[Said] = []
    missing: list[str] = []
    if parts.salutation:
        said = next((Said(t, m.start(), m.end()) for t in opening if (m := _SALUTATION.search(t.text))), None)
        _note(said, "问候语（您好）", found, missing)
    if parts.hotline:
        _note(next((s for t in opening if (s := _hotline(t, script))), None), "热线名称或号码", found, missing)
    if parts.staff:
        staff = next((s for t in opening if (s := _staff(t, parts.staff_cue, script))), None)
        if staff is None:
            missing.append("工号")
        elif len(staff[1]) != script.staff_number_digits:
            missing.append(f"工号位数不对（“{staff[0].words}”为 {len(staff[1])} 位，应为 "
                           f"{script.staff_number_digits} 位）")
            found.append(staff[0])
        else:
            found.append(staff[0])
    words = "、".join(f"“{s.words}”" for s in found)
    first = min(found, key=lambda s: s.segment) if found else None
    if missing:
        said = f"；开场说了 {words}" if words else ""
        return False, f"开场缺少{'、'.join(missing)}{said}", first
    return True, f"开场说了 {words}", first
