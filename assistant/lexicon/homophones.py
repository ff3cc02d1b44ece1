"""Words Whisper wrote with the wrong characters of the same sound, chosen by how likely the sentence reads.

Whisper base on telephone audio writes a word as any characters that sound like it: 医保卡 as 依保卡, 骨科 as
股科, 值班 as 职办, 瓶子 as 平子. ``correct.py`` snaps directory and department names, which it knows; this pass
handles every other word. A window of two to four characters may be replaced by a dictionary word with the same
toneless pinyin when the whole clause then reads far more likely: its best jieba segmentation (a unigram word
model over jieba's dictionary, plus the hotline vocabulary) gains at least ``MARGIN`` in log probability. One
replacement at a time, the best first, until none gains enough.

Tones decide how much more likely. Whisper hears tones as well as syllables: the mishearings it makes keep them
(走狼 for 走廊, 被案 for 备案), and among those that do not, a rising tone heard as a low one or a low one as a
falling one (燃 for 染, 只 for 直) are the common ones. Correct text rewritten by the unigram model mostly
changes a tone, and often the level first tone (诊查费 into 侦察费, 保肝药 into 包干药): a unigram model favours
any two-character word over two single-character ones, so that harm is only avoided by asking a tone that
differs to pay for itself (``tone_cost``). The margin and the costs are measured defaults
(docs/decisions/0002-homophone-margin.md, docs/decisions/0018-no-harm-to-correct-text.md).

Never replaced: single characters (要 / 药, 他 / 她 need more than word frequencies), anything that is not a
Chinese character (digits, punctuation), the centre's own terms where they stand spelled right, the measure word
or unit after a number, and what reads as a person's name: the characters after 叫 / 姓 / 我是, a surname before
女士 / 先生, a character the speaker spells out (祝贺的贺, 航天的航) wherever it stands in the utterance, and a
clause of two or three characters that contains no dictionary word (俞晓岚, 邵嘉禾).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

from assistant.lexicon import wordfreq

MARGIN = 5.5  # natural-log gain in clause probability that a replacement with the same tones needs
# What each syllable heard with another tone adds to the margin: rising and low (2, 3), low and falling (3, 4)
# are the pairs listeners confuse; any other change (the level first tone, the neutral tone, rising and
# falling) costs more, or is never taken for a mishearing.
CONFUSABLE_TONES = frozenset({frozenset("23"), frozenset("34")})
CONFUSABLE_TONE_COST = 3.0
OTHER_TONE_COST = 5.0
MIN_FREQUENCY = 20  # dictionary words rarer than this are never offered as a replacement
KNOWN_FREQUENCY = 2000  # what the hotline vocabulary and the directory count as in the dictionary
MAX_REPLACEMENTS = 6  # per clause
_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_CLAUSE = re.compile(r"[\u4e00-\u9fff]{2,}")
# A person's name is not a dictionary word and must stay as heard: up to three characters after 叫 / 姓 / 我是,
# and the surname before a form of address (蔡女士 must not become 才女士, 我叫蔡晓红 not 我教材晓红).
_NAME_AFTER = re.compile(r"(?:(?<=[叫姓])|(?<=我是))[\u4e00-\u9fff]{1,3}")
_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff](?=女士|先生|阿姨|大爷|大妈|师傅|小姐|老师|医生|主任|护士)")
# A character spelled out ends its clause after 的 (祝贺的贺, 弓长的张), or follows 的 after a word it is in
# (召唤的召加个耳朵旁).
_SPELLED = re.compile(r"(?<=[\u4e00-\u9fff]的)[\u4e00-\u9fff](?=[，。？！、；]|$)")
_SPELLED_FROM = re.compile(r"([\u4e00-\u9fff]{2})的([\u4e00-\u9fff])")
# A number is followed by its measure word or unit, which no homophone replaces (2800元, 九价, 七针, 六栋); 一 is left
# out, it begins too many words (一直, 一下).
_NUMERALS = frozenset("0123456789二三四五六七八九十两百千万")
_NAME_CLAUSE = re.compile(r"(?:^|(?<=[，。？！、；：\s]))([\u4e00-\u9fff]{2,3})(?=[，。？！、；：\s]|$)")


def _toned(text: str) -> list[str]:
    """Each character's pinyin with its tone as the last character, 5 for the neutral tone (ji4, zhe5)."""
    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


def tone_cost(heard: Iterable[str], meant: Iterable[str]) -> float:
    """What replacing syllables of tones ``heard`` by ones of tones ``meant`` adds to the margin (inf: never)."""
    cost = 0.0
    for a, b in zip(heard, meant, strict=True):
        if a != b:
            cost += CONFUSABLE_TONE_COST if frozenset((a, b)) in CONFUSABLE_TONES else OTHER_TONE_COST
    return cost


class HomophoneCorrector:
    """Built once per transcriber; the dictionary index (about 3.6 s) is made by ``warm_up`` in the background or
    else on first use, and then shared by every thread."""

    def __init__(self, known_words: Iterable[str] = ()) -> None:
        self._known = tuple(w for w in known_words if _CLAUSE.fullmatch(w))
        self._terms = tuple(sorted(set(self._known), key=len, reverse=True))
        self._lock = threading.Lock()
        self._tokenizer = None
        # toneless syllables → (word, its tones) of every dictionary word that sounds so
        self._index: dict[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]] = {}

    def warm_up(self) -> None:
        """Build the index in the background now, so that the first utterance of a live call does not wait."""
        threading.Thread(target=self._ready, name="homophone-index", daemon=True).start()

    def _ready(self):
        with self._lock:
            if self._tokenizer is None:
                tok = wordfreq.tokenizer(self._known, KNOWN_FREQUENCY, keep_higher=True)
                index: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}
                for word, freq in tok.FREQ.items():
                    if freq >= MIN_FREQUENCY and _WORD.fullmatch(word):
                        toned = _toned(word)
                        key = tuple(p[:-1] for p in toned)
                        index.setdefault(key, []).append((word, tuple(p[-1] for p in toned)))
                self._index = {key: tuple(words) for key, words in index.items()}
                self._tokenizer = tok
        return self._tokenizer

    def _log_probability(self, clause: str) -> float:
        tok = self._tokenizer
        route: dict[int, tuple[float, int]] = {}
        tok.calc(clause, tok.get_DAG(clause), route)
        return route[0][0]

    def _is_word(self, text: str) -> bool:
        return bool(self._tokenizer.FREQ.get(text))

    def _kept(self, clause: str, spelled: frozenset[str], after: str = "") -> list[bool]:
        """Characters of ``clause`` that are never changed (a word around them may still be found): names, measure
        words after a number and the centre's terms spelled right; ``after``: the character before the clause."""
        kept = [False] * len(clause)

        def keep(start: int, end: int) -> None:
            kept[start:end] = [True] * (end - start)

        for m in (*_NAME_AFTER.finditer(clause), *_NAME_BEFORE.finditer(clause)):
            keep(m.start(), m.end())
        for i, char in enumerate(clause):
            if char in spelled or (clause[i - 1] if i else after) in _NUMERALS:
                keep(i, i + 1)
        for term in self._terms:
            start = clause.find(term)
            while start != -1:
                keep(start, start + len(term))
                start = clause.find(term, start + 1)
        return kept

    def _name_like(self, clause: str) -> bool:
        """Two or three characters on their own with no dictionary word in them: a name as it was said."""
        return not any(self._is_word(clause[i:j]) for i in range(len(clause)) for j in range(i + 2, len(clause) + 1))

    def _fix_clause(self, clause: str, spelled: frozenset[str], after: str = "") -> str:
        kept = self._kept(clause, spelled, after)
        for _ in range(MAX_REPLACEMENTS):
            toned = _toned(clause)
            if len(toned) != len(clause):
                return clause
            sounds, tones = [p[:-1] for p in toned], [p[-1] for p in toned]
            base = self._log_probability(clause)
            best_excess, best = 0.0, None
            for i in range(len(clause) - 1):
                for length in (2, 3, 4):
                    if i + length > len(clause):
                        break
                    window = clause[i : i + length]
                    for word, word_tones in self._index.get(tuple(sounds[i : i + length]), ()):
                        needed = MARGIN + tone_cost(tones[i : i + length], word_tones)
                        if word == window or needed == float("inf") or any(
                            k and a != b for k, a, b in zip(kept[i : i + length], window, word, strict=True)
                        ):
                            continue
                        excess = self._log_probability(clause[:i] + word + clause[i + length :]) - base - needed
                        if excess > best_excess:
                            best_excess, best = excess, (i, length, word)
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
        spelled = frozenset(_SPELLED.findall(text)) | {c for w, c in _SPELLED_FROM.findall(text) if c in w}
        names = {m.span(1) for m in _NAME_CLAUSE.finditer(text) if self._name_like(m.group(1))}

        def fix(m: re.Match) -> str:
            if m.span() in names:
                return m.group(0)
            return self._fix_clause(m.group(0), spelled, text[m.start() - 1] if m.start() else "")

        return _CLAUSE.sub(fix, text)
