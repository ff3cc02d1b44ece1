"""Institution (the unit the matter concerns), department (科室), location and amounts of money."""

from __future__ import annotations

import re
from functools import cached_property

from assistant.draft.linking import Mention, UnitLinker
from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.lexicon.correct import primary_reading
from assistant.transcript.model import Speaker

_PLACE = re.compile(
    r"(?:在|到|去|是)((?:[\u4e00-\u9fff]{1,4}(?:区|县|镇|街道|路|街|村))?[\u4e00-\u9fff0-9]{2,14}?"
    r"(?:小区|花苑|花园|商场|超市|市场|饭店|酒店|餐馆|餐厅|食堂|学校|小学|中学|幼儿园|工厂|厂|车间|工地|店|公园|广场|村|社区|诊所|药店|药房))"
)
# Where ASR may have written a short department with sound-alikes (股科, 急症科), which the pinyin snapping
# leaves alone below three characters: two or three characters ending in 科.
_ENDS_IN_KE = re.compile(r"[\u4e00-\u9fff]{2,3}科")
# 急诊 right after a hospital: the emergency department (医院急诊, 市一院急诊).
_EMERGENCY = re.compile(r"(?:医院|院)(急诊)(?!科)")
# … unless an ambulance took the patient there: then the call is about the transport (送到市二院急诊).
_TAKEN_TO = re.compile(r"送到|送往|拉到|送去")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(?:块钱|块|元)")
# A department named right after its unit (江北区人民医院康复医学科, 社区卫生服务中心防保科, 精神卫生中心的儿童青少年
# 心理科), by the ends of department names: whatever stands between the unit and the end is the department's name,
# unless a verb or function word breaks it (市一院公众号上抢眼科 is no department of that name).
_AFTER_UNIT = re.compile(r"^(?:的|那个|那边的?|里的?)?")
_DEPARTMENT_END = re.compile(r"科|门诊|中心|病区")
_NOT_IN_A_NAME = frozenset(
    "的了在是到去给我你您他她们说看抢做住打找问这那个一有没和跟就都也还要想被把让过来里上开吃买交挂排等楼层号"
)
_LONGEST_HEAD = 8  # characters before the end of the name
_LONGEST_GAP = 4  # characters between the unit and the name (二楼, 那个)


def extract_institution(turns: list[Turn], linker: UnitLinker, appeal: str | None = None
                        ) -> tuple[FieldValue, list[tuple[Turn, Mention]]]:
    """The service unit (hospital, community centre, 120, hotline …) the caller talks about.

    Caller mentions count first, then the operator's confirmed read-back; a regulator named only by the
    operator is where the ticket goes, not what it is about. A regulator the caller names is what the call is
    about only when the appeal (``appeal``, when known) praises or complains of it; otherwise the caller names it
    as where to turn (我给疾控提个建议, 说是疾控的来消杀). A unit named by digits (120) inside a longer number
    is part of a phone number. Returns the field and all mentions found."""
    mentions = [(t, m) for t in turns for m in linker.mentions(t.text)
                if not _inside_a_number(t.text, m) and not _an_address(t.text, m)]
    found = _best_mention(mentions, linker)
    if found is None:
        return FieldValue.empty(), mentions
    best_turn, best = found
    if not linker.serves(best.unit) and (best_turn.speaker == Speaker.OPERATOR
                                         or (appeal is not None and appeal not in _ABOUT_A_REGULATOR)):
        return FieldValue.empty(), mentions
    confidence = 0.9 * best.score if linker.serves(best.unit) else 0.5
    evidence = tuple(t.cite(m.start, m.end) for t, m in mentions
                     if m.unit.name == best.unit.name and (t.speaker != Speaker.OPERATOR or t.readback))[:3]
    return FieldValue(best.unit.name, confidence, evidence), mentions


def _best_mention(mentions: list[tuple[Turn, Mention]], linker: UnitLinker) -> tuple[Turn, Mention] | None:
    """The mention the call is most likely about: a service unit before a regulator, the caller's words before the
    read-back before the operator's other words, a fuller name, the earliest."""
    def rank(item):
        turn, m = item
        source = 2 if turn.speaker != Speaker.OPERATOR else (1 if turn.readback else 0)
        return (linker.serves(m.unit), source > 0, source, m.score, -turn.index)
    candidates = [item for item in mentions if item[0].speaker != Speaker.OPERATOR or item[0].readback]
    return max(candidates, key=rank) if candidates else None


def regulator_named(mentions: list[tuple[Turn, Mention]], linker: UnitLinker) -> str | None:
    """The regulator the caller names when the call names no service unit (我给疾控提个建议, a street office as
    where the caller lives): not what the call is about, but still where its district and responsibilities point."""
    found = _best_mention(mentions, linker)
    if found is None or linker.serves(found[1].unit) or found[0].speaker == Speaker.OPERATOR:
        return None
    return found[1].unit.name


_ABOUT_A_REGULATOR = ("投诉", "表扬")  # the appeals that can be about a regulator's own staff
_ROAD = frozenset("路街巷道")


def _an_address(text: str, m: Mention) -> bool:
    """A mention the sound-alike repair made of a street (江北区人民路一家 is no 江北区人民医院): the words as said
    have a road character where the unit's name has none."""
    said = text[m.start : m.end]
    return any(c in _ROAD and c not in m.unit.name for c in said)


def _inside_a_number(text: str, m: Mention) -> bool:
    """A mention of digits (120) that a longer run of digits continues (13512045678)."""
    return (text[m.start : m.end].isdigit()
            and ((m.start > 0 and text[m.start - 1].isdigit()) or (m.end < len(text) and text[m.end].isdigit())))


class Departments:
    """The centre's departments (科室) a ticket can be about, as written and by sound; ``not_departments`` are
    places of a hospital that are no department a ticket is about (住院部, 收费处), never taken by their shape."""

    def __init__(self, names: tuple[str, ...], not_departments: frozenset[str] | tuple[str, ...] = ()):
        self.names = tuple(sorted(set(names), key=len, reverse=True))
        self.not_departments = frozenset(not_departments)
        self.pattern = re.compile("|".join(map(re.escape, self.names))) if self.names else None

    @cached_property
    def by_sound(self) -> dict[tuple[str | None, ...], str]:
        """Departments of two or three characters ending in 科, keyed by the common reading of each character."""
        out: dict[tuple[str | None, ...], str] = {}
        for dept in self.names:
            if dept.endswith("科") and len(dept) in (2, 3):
                out.setdefault(_sound_key(dept), dept)
        return out


def extract_department(turns: list[Turn], departments: Departments, institution: str | None = None,
                       mentions: list[tuple[Turn, Mention]] | None = None) -> FieldValue:
    """The 科室: one of the centre's named right after the institution (read-back first, then the caller), else
    one of the centre's as written anywhere, else as ASR wrote it by sound (股科 → 骨科), else the emergency room
    named after a hospital (市一院急诊 → 急诊科, when the centre has one), else a name of a department's shape right
    after the institution (康复医学科, 内镜中心). That last comes last because ASR also gives misheard names that
    shape (护士内科 for 呼吸内科), which the centre's names by sound catch first. When the drafter knows the
    institution (``institution`` and its ``mentions``), a call about none has no department."""
    if mentions is not None and institution is None:
        return FieldValue.empty()
    ordered = [t for t in turns if t.readback] + [t for t in turns if t.speaker != Speaker.OPERATOR]
    after = [(turn, m.end) for turn in ordered for mturn, m in (mentions or ())
             if mturn is turn and m.unit.name == institution]
    for turn, end in after:
        found = _named_after(turn, end, departments, shaped=False)
        if found is not None:
            return found
        longer = _named_after(turn, end, departments, shaped=True)  # 儿童青少年心理科, not its 心理科
        known = departments.pattern.search(longer.value) if longer and departments.pattern is not None else None
        if known and known.end() == len(longer.value):
            return longer
    found = _centres_department(ordered, departments)
    if found is not None:
        return found
    for turn, end in after:
        found = _named_after(turn, end, departments, shaped=True)
        if found is not None:
            return found
    return FieldValue.empty()


def _centres_department(ordered: list[Turn], departments: Departments) -> FieldValue | None:
    if departments.pattern is None:
        return None
    for turn in ordered:
        m = departments.pattern.search(turn.text)
        if m:
            return FieldValue(m.group(0), 0.85 if turn.readback else 0.7, (turn.cite(m.start(), m.end()),))
    for turn in ordered:
        for m in turn.finditer(_ENDS_IN_KE):
            for size in (3, 2):
                dept = departments.by_sound.get(_sound_key(m.group(0)[-size:]))
                if dept:
                    return FieldValue(dept, 0.5, (turn.cite(m.end() - size, m.end()),))
    if _EMERGENCY_ROOM in departments.names:
        for turn in ordered:
            for m in turn.finditer(_EMERGENCY):
                if not _TAKEN_TO.search(turn.text[max(0, m.start() - 10) : m.start()]):
                    return FieldValue(_EMERGENCY_ROOM, 0.5, (turn.cite(m.start(1), m.end(1)),))
    return None


def _named_after(turn: Turn, end: int, departments: Departments, *, shaped: bool) -> FieldValue | None:
    """A department named right after a unit that ends at ``end`` in ``turn``: one of the centre's, or with
    ``shaped`` a name of a department's shape (head characters, then 科 / 门诊 / 中心 / 病区)."""
    start = end + _AFTER_UNIT.match(turn.text[end:]).end()
    rest = turn.text[start : start + _LONGEST_HEAD + 2]
    if not shaped:
        m = departments.pattern.match(rest) if departments.pattern is not None else None
        if m is None:
            return None
        return FieldValue(m.group(0), 0.85 if turn.readback else 0.75, (turn.cite(start, start + m.end()),))
    for m in _DEPARTMENT_END.finditer(rest):
        head = rest[: m.start()]
        begin = len(head)
        while begin > 0 and head[begin - 1] not in _NOT_IN_A_NAME and "\u4e00" <= head[begin - 1] <= "\u9fff":
            begin -= 1
        if begin == len(head) or begin > _LONGEST_GAP:
            continue
        name = rest[begin : m.end()]
        if name in departments.not_departments:
            return None
        return FieldValue(name, 0.7 if turn.readback else 0.6, (turn.cite(start + begin, start + m.end()),))
    return None


_EMERGENCY_ROOM = "急诊科"


def _sound_key(word: str) -> tuple[str | None, ...]:
    return tuple(primary_reading(c) for c in word)


def extract_location(turns: list[Turn]) -> FieldValue:
    ordered = [t for t in turns if t.readback] + [t for t in turns if t.speaker != Speaker.OPERATOR]
    for turn in ordered:
        m = _PLACE.search(turn.text)
        if m:
            return FieldValue(m.group(1), 0.6, (turn.cite(m.start(1), m.end(1)),))
    return FieldValue.empty()


def extract_amounts(turns: list[Turn]) -> FieldValue:
    found, evidence = [], []
    for turn in turns:
        if turn.speaker == Speaker.OPERATOR and not turn.readback:
            continue
        for m in turn.finditer(_AMOUNT):
            value = float(m.group(1))
            if value not in found:
                found.append(value)
                evidence.append(turn.cite(m.start(), m.end()))
    if not found:
        return FieldValue.empty()
    return FieldValue([int(v) if v.is_integer() else v for v in found], 0.8, tuple(evidence))
