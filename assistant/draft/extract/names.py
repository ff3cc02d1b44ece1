"""The caller's name: a full name when the caller gives one, else 王先生 / 李女士 from the surname.

Callers say 我叫吴晓燕 / 我姓黄 / 姓彭，彭国强 / 林涛，树林的林; operators address them as 黄女士, 熊先生,
谭大爷. A candidate is kept only if it starts with a known surname. ASR often writes 姓 as a sound-alike
(心黄, 性王), so a character read xing before a surname counts as 姓.

Callers also say 我是石秀珍, 叫我阎老师就行, 那就写权女士吧, or answer a second request with 那行，柯建平. A
real surname outside the commonest few hundred counts when the caller spells it out (闻子健，新闻的闻; 郁是忧郁的郁):
the spelling is the caller's own word that it is meant. 姓 alone counts as the caller's only when it opens the
answer or follows a request for the name (一个医生，姓甘 names somebody else).

ASR also writes the surname itself as a commoner character that sounds the same (我姓郑 → 我信证, 孟先生 →
梦先生, 焦急的焦 → 胶极的胶). When no candidate starts with a real surname, a character in a surname's place
(after 姓, spelled out, before 先生/女士, first in the name given) that is no surname stands for the most
common surname that sounds like it, with low confidence, so the operator checks it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.classify.tokenize import word_frequency
from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.lexicon.correct import primary_reading, readings
from assistant.text.surnames import SURNAMES, SURNAMES_BY_RANK
from assistant.transcript.model import Speaker

# Real surnames beyond SURNAMES: taken as written only when the caller spells them out (新闻的闻); heard without a
# spelling, the common surname that sounds the same is likelier (ASR writes 于 for 郁 far less often than 于 is meant).
SPELLED_SURNAMES = frozenset(
    "郁闻原幸权奚昌酆廉皮湛禹狄贝伏茅危支昝裘宣贲杭诸钮嵇滑荀羊於惠芮羿储汲邴糜富乌巴弓牧隗宓蓬郗暴钭厉戎祖束韶郜"
    "蓟薄宿邰鄂索咸籍赖蔺屠阴胥苍莘逄扶堵郦雍郤璩濮寿扈燕冀郏浦充慕茹宦庾暨衡弘匡禄阙殳沃蔚夔隆厍晁勾融訾阚毋乜鞠"
    "巢蒯荆竺逯桓亓仉颛缑亢况郈琴佴墨谯笪鄢计"
) - SURNAMES
_FULL = re.compile(
    r"(?:我叫|名字叫|名字是|叫我|就写)([\u4e00-\u9fff]{2,3}?)(?=[，。,；、\s]|$|电话|手机|的|就行|就好|吧)"
)
# 我是 and a name that ends the clause (我是石秀珍，…); 我是外地来打工的, 我是护士 are no names (checked below).
_I_AM = re.compile(r"我是([\u4e00-\u9fff]{2,3})(?=[，。,；！\s]|$)")
# How places and groups end, never a person's name (江南区, 外地人, 我们).
_NOT_NAME_END = re.compile(r"[区市县镇村路街人的们]$")
# What a caller says before answering a repeated request (那行，柯建平).
_LEAD = r"^(?:[嗯哦啊，,\s]|那行|行吧|好吧|那好|好的|可以|那就|行)*"
# The answer to 怎么称呼: the name first, then the phone or how it is written (徐国华，双人旁…, 邓超，电话…).
_ANSWER = re.compile(_LEAD + r"([\u4e00-\u9fff]{2,3})[，,。\s]*(?:电话|手机|号码|[\u4e00-\u9fff]{1,6}的)")
# … which needs no question before it when the number follows at once (苏明慧，电话135…): ASR often garbles the
# operator's 请问您怎么称呼, never this shape.
_NAME_THEN_NUMBER = re.compile(_LEAD + r"([\u4e00-\u9fff]{2,3})[，,。\s]*(?:电话|手机|号码)[是：:]?\d")
# 我叫 and the name run into its spelling when ASR drops the comma (我叫苏明苏是苏州的苏): the spelling starts with
# the surname again.
_CALLED = re.compile(r"(?:我叫|名字叫|名字是)([\u4e00-\u9fff]{3,4})")
_ASKS_NAME = re.compile(r"称呼|姓名|贵姓|名字|怎么叫")
_SURNAME_THEN_NAME = re.compile(
    r"(?:我|免贵|本人|鄙人)?姓([\u4e00-\u9fff])(?:[，,]\s*(?:叫)?([\u4e00-\u9fff]{2,3}?)(?=[，。,\s]|$))?"
)
_EXPLAINED = re.compile(_LEAD + r"([\u4e00-\u9fff]{2,3})[，,]\s*[\u4e00-\u9fff]{1,3}的([\u4e00-\u9fff])")
# How a caller spells a character out: 熊猫的熊, 严格的严 (ASR: 严格的岩); the first one in the answer is the surname.
_SPELLED = re.compile(r"([\u4e00-\u9fff]{1,3})的([\u4e00-\u9fff])")
_DESCRIBED = re.compile(r"一个|旁|头|底|加|点水")
_PHONE_CUE = re.compile(r"电话|手机|号码")
_ADDRESS = re.compile(r"([\u4e00-\u9fff])(先生|女士|小姐|阿姨|大爷|大妈|大姐|大哥|师傅|老师|奶奶|爷爷)")
_FEMALE = ("女士", "小姐", "阿姨", "大妈", "大姐", "奶奶")
# A surname's place in a caller's words as ASR writes it: 姓 or its sound-alike (信, 幸, 心) after 我, then one
# character; and the first of two or three characters that answer the operator's question.
_XING_SLOT = re.compile(r"^[嗯哦啊，,\s]*(?:我([\u4e00-\u9fff])|(姓))([\u4e00-\u9fff])")
# How ASR hears 姓: xing, and in an answer to 您贵姓 also jing / qing (我竟讲 for 我姓蒋).
_XING_HEARD = frozenset({"xin"})
_XING_HEARD_WHEN_ASKED = frozenset({"xin", "jin", "qin"})
_GUESS_CONFIDENCE = 0.4
_WORD_FREQ = 100  # jieba's count: 心里 10571, 幸好 702, 国庆 131; 下学 25, and names none
_NOT_A_NAME = frozenset("的了是这那位个各您你我他她和跟对请")
# An answer that declines to give the name (不留了，电话你记一下).
_REFUSES = re.compile(r"^[嗯哦啊，,\s]*(?:不|别|没|算了|就不|名字就)")


# Surnames read otherwise than the character's commonest reading.
_SURNAME_READINGS = {"单": "san", "解": "xie", "曾": "zen", "仇": "qiu", "查": "za", "覃": "qin", "缪": "miao",
                     "翟": "zai", "朴": "piao", "盖": "ge", "乐": "yue"}


@lru_cache(maxsize=1)
def _surname_sounds() -> dict[str, str]:
    """Fuzzy toneless reading → the most common surname read that way (SURNAMES is in order of frequency)."""
    out: dict[str, str] = {}
    for name in SURNAMES_BY_RANK:
        reading = _SURNAME_READINGS.get(name) or primary_reading(name)
        if reading:
            out.setdefault(reading, name)
    return out


def surname_by_sound(char: str) -> str | None:
    """``char`` if it is a surname, else the most common surname that sounds like it (证 → 郑, 梦 → 孟)."""
    if char in SURNAMES:
        return char
    sounds = _surname_sounds()
    heard = [primary_reading(char), *sorted(readings(char))]
    return next((sounds[r] for r in heard if r in sounds), None)


def _is_word(text: str) -> bool:
    """A common word of the dictionary (心里, 幸好): then its characters are no name."""
    return word_frequency(text) >= _WORD_FREQ


def _fix_xing(text: str) -> str:
    """心黄 → 姓黄 when a character read xing stands before a surname at the start of a clause."""
    chars = list(text)
    for i in range(len(chars) - 1):
        if chars[i] != "姓" and "xin" in readings(chars[i]) and chars[i + 1] in SURNAMES:
            if i == 0 or chars[i - 1] in "我，。, 免":
                chars[i] = "姓"
    return "".join(chars)


def _spelled_surname(text: str) -> tuple[str, re.Match, bool] | None:
    """The surname from the first character spelled out (熊猫的熊 → 熊; 严格的岩 → 严, the character of the
    example word that sounds like the one explained), and whether it was spelled as a surname (True) or is the
    surname that sounds like a spelled character that is none (胶极的胶 → 焦, False)."""
    m = _SPELLED.search(text)
    if m is None:
        return None
    word, char = m.group(1), m.group(2)
    if char in word or _DESCRIBED.search(word):  # 熊猫的熊; 双人旁一个余的徐 (a description of the character)
        if char in SURNAMES or char in SPELLED_SURNAMES:
            return char, m, True
        guess = surname_by_sound(char)
        return (guess, m, False) if guess else None
    alike = next((c for c in word if readings(c) & readings(char) and c in SURNAMES), None)
    return (alike, m, True) if alike else None


def _spells(text: str, char: str) -> bool:
    """Whether ``text`` spells out ``char``, a surname beyond the common ones, as a word's character (新闻的闻,
    郁是忧郁的郁) or by its parts right after it (芮，草字头一个内)."""
    if char not in SPELLED_SURNAMES:
        return False
    if any(m.group(2) == char and char in m.group(1) for m in _SPELLED.finditer(text)):
        return True
    return any(_DESCRIBED.search(m.group(1)) for m in re.finditer(rf"{char}[，,、\s]*([^，。,]{{2,10}})", text))


def _guesses(turn: Turn, text: str, asked: bool, spelled: tuple[str, re.Match, bool] | None
             ) -> list[tuple[int, FieldValue]]:
    """Sound-alike candidates in a caller's turn, ranked: after 姓 (0), spelled out (1, ``spelled``), first of
    the name given (3). The operator's address ranks 2 (``extract_caller_name``)."""
    out: list[tuple[int, FieldValue]] = []
    m = _XING_SLOT.match(text)
    heard = _XING_HEARD_WHEN_ASKED if asked else _XING_HEARD
    if (m and (m.group(2) or readings(m.group(1)) & heard) and m.group(3) not in SURNAMES
            and not _is_word((m.group(1) or "") + m.group(3))):
        guess = surname_by_sound(m.group(3))
        if guess:
            out.append((0, FieldValue(guess, _GUESS_CONFIDENCE, (turn.cite(m.start(3) - 1, m.end(3)),))))
    if spelled is not None:
        char, sm, _ = spelled
        out.append((1, FieldValue(char, _GUESS_CONFIDENCE, (turn.cite(sm.start(), sm.end()),))))
    named = _ANSWER.match(text) if asked and not _REFUSES.match(text) else None
    named = named or _FULL.search(text)
    if (named and named.group(1)[0] not in SURNAMES and not _is_word(named.group(1))
            and not _spells(text, named.group(1)[0])):
        guess = surname_by_sound(named.group(1)[0])
        if guess:
            name = guess + named.group(1)[1:]
            out.append((3, FieldValue(name, _GUESS_CONFIDENCE, (turn.cite(named.start(1), named.end(1)),))))
    return out


def extract_caller_name(turns: list[Turn]) -> FieldValue:
    full: FieldValue | None = None
    surname: FieldValue | None = None
    guesses: list[tuple[int, FieldValue]] = []
    honorific = ""
    asked = False
    for turn in turns:
        if turn.speaker == Speaker.OPERATOR:
            asked = bool(_ASKS_NAME.search(turn.text))
            for m in turn.finditer(_ADDRESS):
                if m.start() and turn.text[m.start() - 1] not in "，。,好的 ":
                    continue
                if m.group(1) in SURNAMES:
                    honorific = honorific or m.group(2)
                    if surname is None:
                        surname = FieldValue(m.group(1), 0.6, (turn.cite(m.start(), m.end()),))
                elif (m.group(2) in ("先生", "女士") and m.group(1) not in _NOT_A_NAME
                      and (guess := surname_by_sound(m.group(1)))):
                    honorific = honorific or m.group(2)
                    guesses.append((2, FieldValue(guess, _GUESS_CONFIDENCE, (turn.cite(m.start(), m.end()),))))
            continue
        text = _fix_xing(turn.text)

        def known(char: str, text: str = text) -> bool:
            return char in SURNAMES or _spells(text, char)

        answer = _ANSWER.match(text) if asked else _NAME_THEN_NUMBER.match(text)
        if _REFUSES.match(text):
            answer = None
        if (answer and known(answer.group(1)[0]) and not _NOT_NAME_END.search(answer.group(1))
                and not _is_word(answer.group(1)) and full is None):
            full = FieldValue(answer.group(1), 0.85, (turn.cite(answer.start(1), answer.end(1)),))
        for m in _CALLED.finditer(text):
            run = m.group(1)
            size = next((n for n in (2, 3) if n < len(run) and run[n] == run[0]), None)
            if size and known(run[0]) and full is None and not _is_word(run[:size]):
                full = FieldValue(run[:size], 0.7, (turn.cite(m.start(1), m.start(1) + size),))
        for m in _FULL.finditer(text):
            name = m.group(1)
            if known(name[0]) and not _NOT_NAME_END.search(name) and full is None:
                full = FieldValue(name, 0.85, (turn.cite(m.start(1), m.end(1)),))
        for m in _I_AM.finditer(text):
            name = m.group(1)
            if (known(name[0]) and full is None and not _is_word(name) and not _is_word(name[:2])
                    and not _NOT_NAME_END.search(name)):
                full = FieldValue(name, 0.8, (turn.cite(m.start(1), m.end(1)),))
        for m in _SURNAME_THEN_NAME.finditer(text):
            own = m.group(0)[0] != "姓" or asked or not text[: m.start()].strip("嗯哦啊，, ")
            if own and known(m.group(1)):
                if m.group(2) and m.group(2)[0] == m.group(1) and full is None:
                    full = FieldValue(m.group(2), 0.9, (turn.cite(m.start(2), m.end(2)),))
                if surname is None or surname.confidence < 0.8:
                    surname = FieldValue(m.group(1), 0.85, (turn.cite(m.start(), m.end()),))
        m = _EXPLAINED.search(text)
        if (m and known(m.group(1)[0]) and m.group(2) == m.group(1)[0] and not _NOT_NAME_END.search(m.group(1))
                and full is None):
            full = FieldValue(m.group(1), 0.9, (turn.cite(m.start(1), m.end(1)),))
        if asked or _PHONE_CUE.search(text):
            spelled = _spelled_surname(text)
            if spelled is not None and spelled[2] and full is None and surname is None:
                char, sm, _ = spelled
                surname = FieldValue(char, 0.6, (turn.cite(sm.start(), sm.end()),))
            guesses.extend(_guesses(turn, text, asked, spelled))
    if full is None and surname is None and guesses:
        rank, guess = min(guesses, key=lambda g: g[0])
        named = next((g for r, g in guesses if r == 3 and g.value[0] == guess.value), None)
        if rank == 3 or named is not None:  # 胶红霉，胶极的胶: the name given, its surname confirmed
            full = named or guess
        else:
            surname = guess
    if full is not None:
        return full
    if surname is not None:
        title = "女士" if honorific in _FEMALE else ("先生" if honorific else "先生/女士")
        return FieldValue(surname.value + title, surname.confidence, surname.evidence)
    return FieldValue.empty()
