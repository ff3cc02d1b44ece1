"""The caller's phone number: mobile (11 digits from 1[3-9]) or landline with area code.

Digits reach here already normalised (幺 → 1, grouped digits joined, Chinese numerals → digits). An operator's
read-back that the caller confirms is the best source; then the last number the caller gave. Hotline, staff
and emergency numbers are never taken. A number the ASR's second look supplied (a digit restored by forced
reading, or another beam hypothesis) is offered as less sure, so the operator checks it with the caller.
"""

from __future__ import annotations

import re

from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.text.phone import MOBILE_IN_TEXT
from assistant.transcript.model import Speaker

_MOBILE = MOBILE_IN_TEXT
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
PHONE = re.compile(f"{_MOBILE.pattern}|{_LANDLINE.pattern}")  # a mobile or a landline with area code
_LOCAL = re.compile(r"(?:电话|座机|号码)[是为：:]?(\d{7,8})(?!\d)")
_ANY_LONG = re.compile(r"(?<!\d)\d{10,12}(?!\d)")
_NOT_PHONE = re.compile(r"工号\d+$")
GUESSED = 0.6  # confidence of a number from the ASR's second look: shown as medium, not high


def _candidates(turn: Turn):
    for pattern, score in ((_MOBILE, 0.85), (_LANDLINE, 0.8), (_LOCAL, 0.6)):
        for m in turn.finditer(pattern):
            group = m.group(1) if pattern is _LOCAL else m.group(0)
            start = m.start(1) if pattern is _LOCAL else m.start()
            if _NOT_PHONE.search(turn.text[max(0, start - 8) : start + len(group)]):
                continue
            yield group.replace("-", ""), start, start + len(group), score


def extract_phone(turns: list[Turn]) -> FieldValue:
    best: FieldValue | None = None
    for turn in turns:
        for number, start, end, score in _candidates(turn):
            if turn.speaker == Speaker.OPERATOR:
                if not turn.confirmed:
                    continue
                score = 0.95  # read back and confirmed
            if number in turn.guessed:
                score = GUESSED
            fv = FieldValue(number, score, (turn.cite(start, end),))
            if best is None or score >= best.confidence:
                best = fv
    if best is None:  # a digit run near 电话 that ASR got a digit wrong in: offer what fits, unsure
        for turn in turns:
            if turn.speaker != Speaker.OPERATOR and re.search("电话|手机|号码", turn.text):
                m = _ANY_LONG.search(turn.text)
                if m:
                    run = m.group(0)
                    fit = next((run[i : i + 11] for i in range(len(run) - 10) if _MOBILE.fullmatch(run[i : i + 11])),
                               None)
                    return FieldValue(fit or run, 0.4 if fit else 0.3, (turn.cite(m.start(), m.end()),))
    return best or FieldValue.empty()
