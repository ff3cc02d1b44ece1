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
operators' phrasing), so the cosine is then weighed with the particulars both accounts give: a department, an
amount or a street number that is the same adds a little, one that differs takes the likeness away. The weights
were chosen on the training half of bench/repeats.py's archive (docs/repeats.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

# The fields a ticket's account is read from, the place and the matter before the narrative.
ACCOUNT_FIELDS = ("location", "institution", "department", "title", "demand", "summary")
_WORD_CHARS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")
_AMOUNT = re.compile(r"(\d+)多?(?:元|块)")
_ADDRESS = re.compile(r"([\u4e00-\u9fff]{2}(?:路|街|大道|巷))(\d+)号")  # a road by its last two characters
AGREE, DIFFER = 0.2, 1.0  # what one particular both accounts give adds when the same, takes when different


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
    """What identifies a matter in an account when it is given: amounts, street numbers, the department."""

    amounts: frozenset[int] = frozenset()
    addresses: frozenset[tuple[str, str]] = frozenset()
    department: str | None = None


def particulars(ticket) -> Particulars:
    get = ticket.get if isinstance(ticket, Mapping) else lambda f: getattr(ticket, f, None)
    return _particulars(account(ticket), get("department") or None)


@lru_cache(maxsize=20_000)
def _particulars(text: str, department: str | None) -> Particulars:
    from assistant.text.normalize import normalize_numbers  # 0.4 s to import; the drafting paths have it already

    text = normalize_numbers(text)  # 三百二十元 and 320元 are one amount
    return Particulars(frozenset(int(n) for n in _AMOUNT.findall(text)), frozenset(_ADDRESS.findall(text)),
                       department)


def weighed(score: float, a: Particulars, b: Particulars) -> float:
    """``score`` with the particulars both give: AGREE for each that is the same, -DIFFER for each that is not;
    kept within 0 to 1."""
    for mine, theirs in ((a.amounts, b.amounts), (a.addresses, b.addresses), (a.department, b.department)):
        if mine and theirs:
            same = bool(mine & theirs) if isinstance(mine, frozenset) else mine == theirs
            score += AGREE if same else -DIFFER
    return min(1.0, max(0.0, score))
