"""Word tokens for the classifiers: jieba with the hotline vocabulary added.

Module-level functions (not lambdas) so that fitted pipelines pickle. Text that arrives already segmented
(space-separated words, as some archives export it) is split on the spaces and each piece is cut again, so
segmented and raw text give the same tokens; ``squash`` removes the spaces and punctuation for character
features.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NOT_CONTENT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


_build_lock = threading.Lock()


def _tokenizer():
    with _build_lock:
        return _build()


@lru_cache(maxsize=1)
def _build():
    from assistant.centre import active_centre
    from assistant.lexicon import wordfreq

    vocabulary = active_centre().vocabulary  # the centre's words, kept whole
    return wordfreq.tokenizer((*vocabulary.departments, *vocabulary.terms, *vocabulary.words), freq=2000)


def warm_up() -> None:
    """Load the dictionary in the background now, so that the first draft does not wait about 1.2 s for it."""
    threading.Thread(target=_tokenizer, name="jieba-dictionary", daemon=True).start()


def word_frequency(word: str) -> int:
    """How often jieba's dictionary has seen ``word`` (0: not a word it knows)."""
    tok = _tokenizer()
    tok.check_initialized()
    return tok.FREQ.get(word) or 0


def squash(text: str) -> str:
    """Text without spaces and punctuation, lower-cased: what character n-grams are taken from.

    Punctuation is style, not content, and it differs between what the models are trained on (written
    examples, archives) and what they classify (a transcript punctuated by the ASR clean-up); the word
    tokens drop it as well. Kept, the comma was the strongest single feature for 服务态度 on transcripts."""
    return _NOT_CONTENT.sub("", str(text)).lower()


@lru_cache(maxsize=200_000)
def _cut(text: str) -> tuple[str, ...]:
    tok = _tokenizer()
    out: list[str] = []
    for piece in _SPACE.split(text.lower()):
        if piece:
            out.extend(w for w in tok.lcut(piece) if _KEEP.search(w))
    return tuple(out)


def words(text: str) -> list[str]:
    """jieba words of ``text``, punctuation dropped (cached: cross-validation cuts each text many times)."""
    return list(_cut(str(text)))
