"""Words Whisper wrote with the wrong characters of the same sound, chosen by how likely the sentence reads.

Whisper base on telephone audio writes a word as any characters that sound like it: 医保卡 as 一保卡, 骨科 as
股科, 值班 as 职办, 瓶子 as 平子. ``correct.py`` snaps directory and department names, which it knows; this pass
handles every other word. A window of two to four characters may be replaced by a dictionary word with exactly
the same toneless pinyin when the whole clause then reads far more likely: its best jieba segmentation (a
unigram word model over jieba's dictionary, plus the hotline vocabulary) gains at least ``MARGIN`` in log
probability, i.e. the new reading is over 400 times as likely. One replacement at a time, the best first, until
none gains enough. The margin is a measured default (docs/decisions/0002-homophone-margin.md).

Single characters are never replaced (要 / 药, 他 / 她 need more than word frequencies), nor anything that is
not a Chinese character, so digits, names already snapped and punctuation pass through as they are.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from pypinyin import lazy_pinyin

from assistant.lexicon import wordfreq

MARGIN = 6.0  # natural-log gain in clause probability that a replacement needs
MIN_FREQUENCY = 20  # dictionary words rarer than this are never offered as a replacement
KNOWN_FREQUENCY = 2000  # what the hotline vocabulary and the directory count as in the dictionary
MAX_REPLACEMENTS = 6  # per clause
_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_CLAUSE = re.compile(r"[\u4e00-\u9fff]{2,}")
# A person's name is not a dictionary word and must stay as heard: up to three characters after 叫 / 姓, and
# the surname before a form of address (蔡女士 must not become 才女士, 我叫蔡晓红 not 我教材晓红).
_NAME_AFTER = re.compile(r"(?<=[叫姓])[\u4e00-\u9fff]{1,3}")
_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff](?=女士|先生|阿姨|大爷|大妈|师傅|小姐|老师|医生|主任|护士)")


class HomophoneCorrector:
    """Built once per transcriber; the dictionary index (about 3.6 s) is made by ``warm_up`` in the background or
    else on first use, and then shared by every thread."""

    def __init__(self, known_words: Iterable[str] = ()) -> None:
        self._known = tuple(w for w in known_words if _CLAUSE.fullmatch(w))
        self._lock = threading.Lock()
        self._tokenizer = None
        self._index: dict[tuple[str, ...], tuple[str, ...]] = {}

    def warm_up(self) -> None:
        """Build the index in the background now, so that the first utterance of a live call does not wait."""
        threading.Thread(target=self._ready, name="homophone-index", daemon=True).start()

    def _ready(self):
        with self._lock:
            if self._tokenizer is None:
                tok = wordfreq.tokenizer(self._known, KNOWN_FREQUENCY, keep_higher=True)
                index: dict[tuple[str, ...], list[str]] = {}
                for word, freq in tok.FREQ.items():
                    if freq >= MIN_FREQUENCY and _WORD.fullmatch(word):
                        index.setdefault(tuple(lazy_pinyin(word)), []).append(word)
                self._index = {key: tuple(words) for key, words in index.items()}
                self._tokenizer = tok
        return self._tokenizer

    def _log_probability(self, clause: str) -> float:
        tok = self._tokenizer
        route: dict[int, tuple[float, int]] = {}
        tok.calc(clause, tok.get_DAG(clause), route)
        return route[0][0]

    def _fix_clause(self, clause: str) -> str:
        names = [False] * len(clause)
        for m in (*_NAME_AFTER.finditer(clause), *_NAME_BEFORE.finditer(clause)):
            names[m.start() : m.end()] = [True] * (m.end() - m.start())
        for _ in range(MAX_REPLACEMENTS):
            sounds = lazy_pinyin(clause)
            if len(sounds) != len(clause):
                return clause
            base = self._log_probability(clause)
            best_gain, best = MARGIN, None
            for i in range(len(clause) - 1):
                for length in (2, 3, 4):
                    if i + length > len(clause):
                        break
                    window = clause[i : i + length]
                    if any(names[i : i + length]):
                        continue
                    for word in self._index.get(tuple(sounds[i : i + length]), ()):
                        if word == window:
                            continue
                        gain = self._log_probability(clause[:i] + word + clause[i + length :]) - base
                        if gain > best_gain:
                            best_gain, best = gain, (i, length, word)
            if best is None:
                return clause
            i, length, word = best
            clause = clause[:i] + word + clause[i + length :]
        return clause

    def correct(self, text: str) -> str:
        """``text`` with sound-alike misspellings of dictionary words replaced; everything else as it was."""
        if not _CLAUSE.search(text):
            return text
        self._ready()
        return _CLAUSE.sub(lambda m: self._fix_clause(m.group(0)), text)
