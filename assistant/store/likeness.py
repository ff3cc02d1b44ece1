"""How alike two tickets' accounts are: the measure behind 重复诉求 (a new call about a matter already open).

Two operators word one matter differently, and the caller tells it differently the second time, so the measure
compares character bigrams (Chinese words are mostly one or two characters, and a bigram survives re-ordering,
dropped clauses and a changed particle) weighted by TF-IDF cosine. The weights come from the tickets being
compared with — the open tickets of the same unit and category, and the caller's own — not from a fixed corpus:
what every ticket of one hospital and one category says (the hospital's name, 收费, 要求处理) weighs little,
and the details that tell one matter from another there (the department, the item, the amount, the place)
weigh much. Pure Python over sets: a pool of a hundred tickets is scored in a few milliseconds, and the bigrams
of the accounts last read are kept, so a console checking call after call does not cut the same texts again.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

# The fields a ticket's account is read from, the place and the matter before the narrative.
ACCOUNT_FIELDS = ("location", "institution", "department", "title", "demand", "summary")
_WORD_CHARS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")


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
