"""jieba's word-frequency dictionary, loaded once per process and shared by every tokenizer built on it.

Loading it costs about 1.2 s and 100 MB (jieba unmarshals some 580 000 words and word prefixes). Two parts of
the product put their own vocabulary on top of it: the classifiers' tokenizer (``classify/tokenize.py``) and
the ASR homophone pass (``homophones.py``). Each gets a tokenizer whose frequency table is a copy of the one
loaded here, a dict copy that shares the strings and takes tens of milliseconds, so a process that both
transcribes and drafts (the console, a batch worker) loads the dictionary once. ``log_probability`` scores a
few short texts against the shared table with a handful of extra words laid over it, with no copy at all.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable, Mapping

_lock = threading.Lock()
_loaded = None


def _dictionary():
    global _loaded
    with _lock:
        if _loaded is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.check_initialized()
            _loaded = tok
    return _loaded


def tokenizer(words: Iterable[str] = (), freq: int = 2000, keep_higher: bool = False):
    """A jieba tokenizer of its own over the shared dictionary, with ``words`` added at frequency ``freq``
    (or their dictionary frequency where that is higher and ``keep_higher`` is set)."""
    import jieba

    base = _dictionary()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
    for word in words:
        tok.add_word(word, freq=max(freq, tok.FREQ.get(word) or 0) if keep_higher else freq)
    return tok


def log_probability(text: str, extra: Mapping[str, int] | None = None, longest: int = 8) -> float:
    """The natural log of ``text``'s probability under jieba's unigram model, by its best segmentation (what
    ``Tokenizer.calc`` computes), with ``extra`` words (word → frequency) counted as if in the dictionary, or at
    their dictionary frequency where that is higher. Words longer than ``longest`` characters are only found
    among ``extra``."""
    base = _dictionary()
    freq, logtotal = base.FREQ, math.log(base.total)
    extra = extra or {}
    reach = max(longest, max(map(len, extra), default=0))
    route = [0.0] * (len(text) + 1)
    for i in range(len(text) - 1, -1, -1):
        best = math.log(freq.get(text[i]) or 1) - logtotal + route[i + 1]
        for j in range(i + 2, min(len(text), i + reach) + 1):
            word = text[i:j]
            count = max(extra.get(word, 0), (freq.get(word) or 0) if j - i <= longest else 0)
            if count:
                best = max(best, math.log(count) - logtotal + route[j])
        route[i] = best
    return route[0]
