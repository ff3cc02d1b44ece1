"""How alike two tickets' accounts are: the measure behind 重复诉求 (a new call about a matter already open).

Two operators word one matter differently, and the caller tells it differently the second time, so the measure
compares character bigrams (Chinese words are mostly one or two characters, and a bigram survives re-ordering,
dropped clauses and a changed particle) weighted by TF-IDF cosine. The weights come from the tickets being
compared with — the open tickets of the same unit and category, and the caller's own — not from a fixed corpus:
what every ticket of one hospital and one category says (the hospital's name, 收费, 要求处理) weighs little,
and the details that tell one matter from another there (the department, the item, the amount, the place)
weigh much. Pure Python over sets: a pool of a hundred tickets is scored in a few milliseconds, and the bigrams
of the accounts last read are kept, so a console checking call after call does not cut the same texts again.

Different matters of one unit and category share most of their words (the same item, the same problem, the
operators' phrasing), so the cosine is then weighed with the particulars both accounts give: the amount, the
address or road, the bed, the room, the hour, a receipt's tail, how many people, months or hours, an age, the
surname of a doctor or nurse, a shop's name, the department. Each kind both give adds a little when they have a
value in common and takes the likeness away when they have none; a kind only one gives is no evidence. Numbers
are compared as digits (十八床 is 18号床) and an amount said roughly as its range (一千八百多元 is 1800 to 1899).
The weights and thresholds were chosen on the training half of bench/repeats.py's archive (docs/repeats.md).
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.text.surnames import SURNAMES

# The fields a ticket's account is read from, the place and the matter before the narrative.
ACCOUNT_FIELDS = ("location", "institution", "department", "title", "demand", "summary")
_WORD_CHARS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")
AGREE, DIFFER = 0.2, 1.0  # what one kind of particular both accounts give adds when the same, takes when different

_HAN = "\u4e00-\u9fff"
_ROAD = rf"([{_HAN}]{{2}}(?:中路|东路|西路|南路|北路|大道|大街|路|街|巷))"  # a road by the two characters before
# Two characters and 路 or 街 that name no road: a way, a walk, a place on a road.
_NOT_ROAD = re.compile(r"^[一这那半小大马公道走问带让绕找修错进出到上在去回逛沿临当满整条]|[的了到在是去]$")
_SURNAME = "[" + "".join(sorted(SURNAMES)) + "]"
# The particulars that tell one matter from another, each kind with the patterns that give it (numbers are
# digits by then). A kind's values are compared as sets: some value in common is the same particular.
_KINDS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("amount", r"(\d+多?)(?:元|块)"),
    ("address", _ROAD + r"(\d+)号(?!床|诊室|楼)"),
    ("street", _ROAD),
    ("bed", r"(\d+)号?床"),
    ("room", r"(\d+)号?(?:诊室|诊间|病房|房间)"),
    ("hour", r"(?<![\d.快慢早晚多好少有差])(\d{1,2})点(?=左右|多|钟|半|\d|[，。、；,;]|$)"),
    ("tail", r"(?:尾号|后四位|后4位|末四位|末4位)[是为]?(\d{3,})"),
    ("people", r"(\d+)(?:口人|口(?!罩)|个人)"),
    ("months", r"(\d+)个多?月"),
    ("age", r"(\d+)岁"),
    ("hours", r"(\d+)个?多?(?:小时|钟头)"),
    ("person", rf"姓({_SURNAME})|(?<![主责])({_SURNAME})(?:医生|大夫|护士|主任|老师|师傅)"),
    ("shop", rf"({_SURNAME})(?:记|氏)|(?:叫|是)({_SURNAME})家|({_SURNAME})家(?=那家|店|饭店|面馆)"),
))
_TWO = re.compile(r"两(?=点|个|口|床|岁|小时)")


def account(ticket) -> str:
    """A ticket's (or a mapping of field values') account as one text."""
    get = ticket.get if isinstance(ticket, Mapping) else lambda f: getattr(ticket, f, None)
    return "。".join(str(v) for f in ACCOUNT_FIELDS if (v := get(f)))


@lru_cache(maxsize=20_000)  # a month of a busy centre's accounts, a few MB
def grams(text: str) -> frozenset[str]:
    """The character bigrams of a text, within runs of letters, digits and Chinese characters (punctuation and
    spaces break a run: a bigram across a comma is no word). A one-character run counts as itself."""
    out: set[str] = set()
    for run in _WORD_CHARS.findall(text.lower()):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return frozenset(out)


def similarities(query: frozenset[str], pool: Sequence[frozenset[str]]) -> list[float]:
    """TF-IDF cosine (binary term frequency, smoothed IDF over ``pool`` and the query) of ``query`` with each of
    ``pool``, 0 to 1."""
    if not query or not pool:
        return [0.0] * len(pool)
    df = Counter(query)
    for doc in pool:
        df.update(doc)
    n, log = len(pool) + 1, math.log
    weight = {g: (log((1 + n) / (1 + d)) + 1) ** 2 for g, d in df.items()}  # squared IDF
    get = weight.__getitem__
    q_norm = math.sqrt(sum(map(get, query)))
    return [sum(map(get, shared)) / (q_norm * math.sqrt(sum(map(get, doc)))) if (shared := query & doc) else 0.0
            for doc in pool]


@dataclass(frozen=True)
class Particulars:
    """What identifies a matter in an account when it is given, as (kind, value) pairs: amounts, addresses and
    roads, beds, rooms, clock hours, the tail of a receipt, how many people, how many months or hours, an age,
    a person's surname, a shop's name, and the department."""

    facts: frozenset[tuple[str, object]] = frozenset()

    @cached_property
    def kinds(self) -> dict[str, frozenset]:
        """The values by kind; grouped once, as an account's particulars are cached and weighed against many."""
        out: dict[str, set] = {}
        for kind, value in self.facts:
            out.setdefault(kind, set()).add(value)
        return {kind: frozenset(values) for kind, values in out.items()}


def particulars(ticket) -> Particulars:
    get = ticket.get if isinstance(ticket, Mapping) else lambda f: getattr(ticket, f, None)
    names = tuple(n for n in (get("institution"), get("unit")) if n)
    return _particulars(account(ticket), get("department") or None, names)


@lru_cache(maxsize=20_000)
def _particulars(text: str, department: str | None, names: tuple[str, ...] = ()) -> Particulars:
    """The particulars of ``text``; the institution's and the unit's own names are left out (望江路社区医院 is
    where every matter of that clinic happened, no road that tells one from another)."""
    import cn2an  # imported on the first account read: the store is imported by commands that never compare

    for name in names:
        text = text.replace(name, "。")
    with warnings.catch_warnings():  # cn2an warns of a numeral it leaves as it is (万一)
        warnings.simplefilter("ignore")
        text = cn2an.transform(_TWO.sub("2", text), "cn2an")  # 十八床 and 18号床, 三百二十元 and 320元 are one
    facts = {("department", department)} if department else set()
    for kind, pattern in _KINDS:
        for match in pattern.finditer(text):
            groups = [g for g in match.groups() if g]
            if kind == "street" and _NOT_ROAD.search(groups[0][:2]):
                continue
            if kind == "address":
                value = (groups[0], int(groups[1]))
            elif kind == "amount":
                value = _span(groups[0])
            else:  # a receipt's tail keeps its leading zeros
                value = int(groups[0]) if groups[0].isdigit() and kind != "tail" else groups[0]
            facts.add((kind, value))
    return Particulars(frozenset(facts))


def _span(amount: str) -> tuple[int, int]:
    """An amount as the range it says: 320 is 320 to 320, 1800多 is 1800 to 1899 (多 adds up to its last
    non-zero place's unit: 300多 to 399, 20多 to 29)."""
    if not amount.endswith("多"):
        return int(amount), int(amount)
    digits = amount[:-1]
    unit = 10 ** (len(digits) - len(digits.rstrip("0")))
    return int(digits), int(digits) + unit - 1


def _same(kind: str, mine: set, theirs: set) -> bool:
    if kind != "amount":
        return bool(mine & theirs)
    return any(a <= d and c <= b for a, b in mine for c, d in theirs)  # two ranges overlap


def weighed(score: float, a: Particulars, b: Particulars) -> float:
    """``score`` with the particulars both give: AGREE for each kind both give with a value in common, -DIFFER
    for each kind both give with none; kept within 0 to 1."""
    if a.facts and b.facts:
        mine_all, theirs = a.kinds, b.kinds
        for kind, mine in mine_all.items():
            if kind == "street" and "address" in mine_all and "address" in theirs:
                continue  # the road of two addresses is weighed with them
            if kind in theirs:
                score += AGREE if _same(kind, mine, theirs[kind]) else -DIFFER
    return min(1.0, max(0.0, score))
