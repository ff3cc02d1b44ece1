"""Words that name an appeal type or point at a category, as domain knowledge beside the classifiers.

A caller who says 我要举报 has told us the appeal type; the classifier, trained on a few hundred seed
examples, may still prefer 投诉. So has an operator whose read-back says 您咨询… or 您请求… (the operator sorts the
call while restating it). Explicit appeal words (unless negated: 我不是投诉) decide the appeal type;
category cue words shift the classifier's probabilities towards the categories they name. On a transcript
the cue words are also found by sound (组断药 is 阻断药, 灯隔热 is 登革热): a window of three characters or
more whose every character sounds like the cue's and that shares one character with it counts as the cue.
"""

from __future__ import annotations

import re
from collections import defaultdict

from assistant.centre import Taxonomy
from assistant.lexicon.correct import primary_reading, readings

_NEGATED = re.compile(r"(不是|不想|不为|不算|不要)(要)?$")
CUE_WEIGHT = 0.35
# How an operator's read-back names an appeal type that is no verb of its own (您请求… is asking for help).
_TOLD_AS = {"求助": ("请求", "求助"), "举报": ("举报", "检举")}


# Two-character cues are not looked for by sound: too many ordinary words sound like them (提醒 / 提成).
_LITERAL = re.compile(r"[\u4e00-\u9fff]{3,}")


class Cues:
    """The taxonomy's cue words (taxonomy.toml ``cues``), compiled once per centre.

    An appeal type's cues decide it, checked in the taxonomy's order: the centre lists cues only for the types a
    caller names reliably (举报, 表扬, 建议); 投诉 / 咨询 / 求助 are said while asking and reporting alike, so the
    classifier decides those. A category's cues shift the classifier's probabilities."""

    def __init__(self, taxonomy: Taxonomy):
        self.appeal = [(label.name, re.compile("|".join(label.cues)))
                       for label in taxonomy["appeal_type"].labels if label.cues]
        # The operator's read-back telling the caller what they do: 您咨询…, 您建议…, 您请求… — each appeal type by
        # its own name (or the verbs of _TOLD_AS) right after 您.
        told = {label.name: _TOLD_AS.get(label.name, (label.name,)) for label in taxonomy["appeal_type"].labels}
        self.told = [(name, re.compile(rf"您(?:是)?(?:想|要)?(?:{'|'.join(map(re.escape, verbs))})"))
                     for name, verbs in told.items()]
        self.category = {label.name: re.compile("|".join(label.cues))
                         for label in taxonomy["category"].labels if label.cues}
        self.danger = re.compile("|".join(taxonomy.dangers)) if taxonomy.dangers else None
        self._by_sound: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for label in taxonomy["category"].labels:  # reading of a plain cue word's first character → (cue, label)
            for word in label.cues:
                if _LITERAL.fullmatch(word):
                    for r in readings(word[0]):
                        self._by_sound[r].append((word, label.name))

    def stated_appeal(self, caller_texts: list[str]) -> tuple[str, str, int] | None:
        """(appeal type, the turn's text, match start) when the caller names it, else None."""
        for appeal, pattern in self.appeal:
            for text in caller_texts:
                for m in pattern.finditer(text):
                    if not _NEGATED.search(text[max(0, m.start() - 3) : m.start()]):
                        return appeal, text, m.start()
        return None

    def readback_appeal(self, readbacks: list[str]) -> tuple[str, str, int] | None:
        """(appeal type, the read-back's text, match start) when an operator's read-back names it (您咨询…,
        您请求…), the latest read-back first; None when it only says 您要求 / 您希望, which every appeal has."""
        for text in reversed(readbacks):
            hits = [(m.start(), name) for name, pattern in self.told for m in pattern.finditer(text)]
            if hits:
                start, name = min(hits)
                return name, text, start
        return None

    def _sound_hits(self, text: str, taken: list[bool]) -> dict[str, int]:
        """Cue words heard as sound-alikes: every character sounds like the cue's, one at least is the cue's own,
        and the window overlaps no cue already found as written."""
        hits: dict[str, int] = defaultdict(int)
        for i, char in enumerate(text):
            seen = set()
            for r in readings(char):
                for word, label in self._by_sound.get(r, ()):
                    window = text[i : i + len(word)]
                    if (word in seen or len(window) < len(word) or window == word or any(taken[i : i + len(word)])
                            or not any(a == b for a, b in zip(window, word, strict=True))):
                        continue
                    if all(primary_reading(a) in readings(b) for a, b in zip(window, word, strict=True)):
                        seen.add(word)
                        hits[label] += 1
                        taken[i : i + len(word)] = [True] * len(word)
        return hits

    def category_cues(self, text: str) -> dict[str, float]:
        """Share of the cue words found in ``text`` (as written or by sound) that point at each category (sums
        to 1, or empty)."""
        taken = [False] * len(text)
        counts: dict[str, int] = {}
        for label, pattern in self.category.items():
            matches = list(pattern.finditer(text))
            counts[label] = len(matches)
            for m in matches:
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        for label, n in self._sound_hits(text, taken).items():
            counts[label] += n
        total = sum(counts.values())
        return {label: n / total for label, n in counts.items() if n} if total else {}
