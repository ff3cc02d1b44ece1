"""jieba's word-frequency dictionary, loaded once per process and shared by every tokenizer built on it.

Loading it costs about 1.2 s and 100 MB (jieba unmarshals some 580 000 words and word prefixes). Two parts of
the product put their own vocabulary on top of it: the classifiers' tokenizer (``classify/tokenize.py``) and
the ASR homophone pass (``homophones.py``). Each gets a tokenizer whose frequency table is a copy of the one
loaded here, a dict copy that shares the strings and takes tens of milliseconds, so a process that both
transcribes and drafts (the console, a batch worker) loads the dictionary once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

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
