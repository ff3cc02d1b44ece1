"""A character n-gram language model with interpolated Kneser-Ney smoothing: how a centre's calls are worded.

Whisper base knows Mandarin in general; it does not know that a 12320 centre's callers say 挂号, 分诊台 and
市二院 far more often than 上月 or 分险. A model of characters (not words: transcripts are not cut into words,
and the names that matter are exactly the words no dictionary holds) trained on the centre's own text — its
directory, script, taxonomy, seed examples and, where it has one, its archive of tickets — tells which of two
readings of the same audio is the centre's way of putting it. It is used beside the audio's own likelihood
(``asr/choose.py``), never alone.

Kneser-Ney with one discount per order (Chen and Goodman's interpolated form): the highest order counts
n-grams, each lower order counts the contexts a character was seen after, so a character common only inside
one name does not get a high probability everywhere. The lowest order is interpolated with a uniform
distribution over every character, so no text has probability zero. Saved as gzipped JSON (no pickle: a
centre's profile is data).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from assistant.errors import ModelError

BEGIN, END = "^", "$"
_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")
UNIVERSE = 8000  # characters a caller may say: the uniform floor the lowest order is interpolated with
FORMAT = 1


def clauses(text: str) -> list[str]:
    """``text`` cut into the runs the model scores: Han characters, digits and Latin letters, between
    punctuation (a clause begins after a comma as it does after a full stop)."""
    return _KEEP.findall(text)


class CharLM:
    """P(character | the ``order`` − 1 characters before it), trained by ``train``, scored by ``log_prob``."""

    def __init__(self, order: int, counts: list[dict[str, int]], discounts: list[float], size: int,
                 about: dict | None = None):
        self.order = order
        self.about = about or {}  # what it was trained on, as whoever trained it describes it
        self.counts = counts  # per order k (0-based: k + 1 characters): n-gram → count (continuation count if k < top)
        self.discounts = discounts
        self.size = size  # characters of training text
        self._totals: list[dict[str, int]] = []
        self._types: list[dict[str, int]] = []
        for table in counts:
            totals: dict[str, int] = defaultdict(int)
            types: dict[str, int] = defaultdict(int)
            for gram, count in table.items():
                totals[gram[:-1]] += count
                types[gram[:-1]] += 1
            self._totals.append(dict(totals))
            self._types.append(dict(types))

    @classmethod
    def train(cls, texts: Iterable[str], order: int = 4) -> CharLM:
        """Train on ``texts`` (any punctuation; each clause is a sequence of its own)."""
        if order < 1:
            raise ValueError("order must be at least 1")
        top, size = _count(texts, order)
        return cls._from_top(top, order, size)

    def extended(self, texts: Iterable[str]) -> CharLM:
        """This model trained on ``texts`` as well: its counts and theirs."""
        top, size = _count(texts, self.order)
        for gram, count in self.counts[-1].items():
            top[gram] += count
        return self._from_top(top, self.order, self.size + size)

    @classmethod
    def _from_top(cls, top: dict[str, int], order: int, size: int) -> CharLM:
        counts: list[dict[str, int]] = [dict(top)]
        for _ in range(order - 1, 0, -1):  # continuation counts: distinct characters seen before each k-gram
            lower: dict[str, int] = defaultdict(int)
            for gram in counts[0]:
                lower[gram[1:]] += 1
            counts.insert(0, dict(lower))
        discounts = []
        for table in counts:
            n1 = sum(1 for c in table.values() if c == 1)
            n2 = sum(1 for c in table.values() if c == 2)
            discounts.append(n1 / (n1 + 2 * n2) if n1 + n2 else 0.75)
        return cls(order, counts, discounts, size)

    def probability(self, history: str, char: str) -> float:
        """P(``char`` | ``history``), ``history`` being the ``order`` − 1 characters before it (``BEGIN`` padded)."""
        p = 1.0 / UNIVERSE
        unigrams = self.counts[0]
        total, types = self._totals[0].get("", 0), self._types[0].get("", 0)
        if total:
            d = self.discounts[0]
            p = max(unigrams.get(char, 0) - d, 0) / total + d * types / total * p
        for k in range(1, self.order):
            context = history[len(history) - k :] if k <= len(history) else None
            if context is None:
                break
            total = self._totals[k].get(context)
            if not total:
                continue
            d = self.discounts[k]
            p = max(self.counts[k].get(context + char, 0) - d, 0) / total + d * self._types[k][context] / total * p
        return p

    def log_prob(self, text: str) -> float:
        """Natural log of the probability of ``text``'s clauses, each from its beginning to its end."""
        return _log_prob(text, self.order, self.probability)

    def save(self, path: Path) -> None:
        data = {"format": FORMAT, "order": self.order, "discounts": self.discounts, "size": self.size,
                "about": self.about, "counts": self.counts}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> CharLM:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
            if data.get("format") != FORMAT:
                raise ValueError(f"格式版本 {data.get('format')!r}，应为 {FORMAT}")
            return cls(int(data["order"]), data["counts"], [float(d) for d in data["discounts"]], int(data["size"]),
                       dict(data.get("about") or {}))
        except FileNotFoundError:
            raise ModelError(f"找不到语言模型 {path}", "用 hotline train 训练本中心的模型") from None
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise ModelError(f"语言模型 {path} 无法读取：{exc}", "用 hotline train 重新训练") from exc


class Mixture:
    """Several models' probabilities of each character, mixed by weight: a centre's profile and its archive."""

    def __init__(self, parts: list[tuple[CharLM, float]]):
        total = sum(w for _, w in parts)
        self.parts = [(m, w / total) for m, w in parts]
        self.order = max(m.order for m, _ in parts)

    def probability(self, history: str, char: str) -> float:
        return sum(w * m.probability(history[len(history) - m.order + 1 :], char)
                   for m, w in self.parts)

    def log_prob(self, text: str) -> float:
        return _log_prob(text, self.order, self.probability)


def _count(texts: Iterable[str], order: int) -> tuple[defaultdict[str, int], int]:
    """The ``order``-grams of ``texts``' clauses, padded at both ends, and how many characters they hold."""
    top: defaultdict[str, int] = defaultdict(int)
    size = 0
    for text in texts:
        for clause in clauses(text):
            size += len(clause)
            padded = BEGIN * (order - 1) + clause + END
            for i in range(order - 1, len(padded)):
                top[padded[i - order + 1 : i + 1]] += 1
    return top, size


def _log_prob(text: str, order: int, probability) -> float:
    total = 0.0
    pad = BEGIN * (order - 1)
    for clause in clauses(text):
        padded = pad + clause + END
        for i in range(order - 1, len(padded)):
            total += math.log(probability(padded[i - order + 1 : i], padded[i]))
    return total
