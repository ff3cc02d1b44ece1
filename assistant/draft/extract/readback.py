"""Read-backs worded otherwise: the operator restating the call without 核对一下 / 确认一下.

``turns_of`` knows a read-back by its cue (我核对一下, and the same as ASR hears it). Operators of other scripts
say 我帮您理一下, 那我这么写, 您看我这样记录行不行, 跟您再对一遍, 我这边记录的是 …, or restate the call and ask
对吧 / 可以吗 without any cue. What every read-back shares is its shape: a long operator turn that tells the caller
what the caller said (您反映 / 您要求 / 您希望 / 您咨询 …) and either says it is a restatement, asks the caller to
agree, or opens by telling it (好的景女士，您反映…，我们转…). Marking those turns lets every extractor use them as it
uses the cued ones (the read-back's date, demand, department). The caller's 行 / 可以 / 好的 after a read-back that
asks confirms it too, as it confirms any operator turn that asks it to agree (a number read back with 对吧).
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.draft.text import READBACK_MIN_LEN, Turn
from assistant.transcript.model import Speaker

# Saying that what follows restates the call: a verb of ordering or recording words, a restatement, a check.
_RESTATE = re.compile(
    r"我(?:先|再|来|这边|这里|帮您|给您|把您说的|把情况)?(?:简单)?(?:理|整理|梳理|总结|归纳|复述|说|念|对|核)"
    r"(?:一下|一遍|下)|跟您(?:再)?(?:对|核)一(?:下|遍)|(?:记录|登记)(?:的是|为|如下|[：:])|我这么写|这样记(?:录)?"
    r"|情况是[：:，,]|我理解(?:一下)?您的意思"
)
# The caller's own account, told back to them.
_ACCOUNT = re.compile(r"您(?:是)?(?:反映|要求|希望|咨询|表扬|建议|请求|投诉|举报|说的|想)")
# … or opening the turn (好的景女士，您反映… / 景女士反映…): a closing restatement that asks nothing.
_NAMED = r"[\u4e00-\u9fff]{1,3}(?:先生|女士|阿姨|老师|大爷|大姐)"
_TOLD = r"(?:是)?(?:想)?(?:反映|表扬|咨询|建议|请求|投诉|举报|要求)"
_OPENS_WITH_ACCOUNT = re.compile(rf"^(?:好的|嗯|那|行)?[，,]?(?:(?:{_NAMED}[，,]?)?(?:我们会把)?您|{_NAMED}){_TOLD}")
_CONDITIONAL = re.compile(r"如果|的话|可以再|也可以")
# Asking the caller to agree, at the end of the turn.
_ASKS = re.compile(r"(?:对吗|是吗|对吧|对不对|没错吧|是不是|可以吗|行吗|行不行|好吗|没说错吧|是这样吗|这样可以吗"
                   r"|您看(?:对|行|可以)[吗吧不]?|有没有要补充的?)[？?。！!]*$")
_AGREES = re.compile(r"^[嗯哦啊，,\s]*(?:对|是|没错|可以|行|好的|没问题|就这样|嗯)")


_SHORT_READBACK = 20  # characters: 侯先生，您请求疾控调查小区的腹泻，对吧？ restates a short call


def _is_readback(turn: Turn) -> bool:
    text = turn.text
    opens = bool(_OPENS_WITH_ACCOUNT.search(text))
    if len(text) < READBACK_MIN_LEN:
        return len(text) >= _SHORT_READBACK and opens and bool(_ASKS.search(text))
    if not (opens or _ACCOUNT.search(text)):
        return False
    if _RESTATE.search(text[:40]) or _ASKS.search(text):
        return True
    return opens and not _CONDITIONAL.search(text)


def mark_readbacks(turns: list[Turn]) -> list[Turn]:
    """``turns`` with operator read-backs worded otherwise marked as read-backs, and those and other operator turns
    that ask to be agreed with (对吧, 可以吗) confirmed when the caller's next turn agrees."""
    out = list(turns)
    for i, turn in enumerate(turns):
        if turn.speaker != Speaker.OPERATOR:
            continue
        readback = turn.readback or _is_readback(turn)
        asks = bool(_ASKS.search(turn.text))  # 13512045678，对吧？ — a number read back and agreed to
        if not (readback or asks):
            continue
        nxt = turns[i + 1] if i + 1 < len(turns) else None
        agrees = nxt is not None and nxt.speaker != Speaker.OPERATOR and bool(_AGREES.search(nxt.text))
        confirmed = turn.confirmed or agrees
        if (readback, confirmed) != (turn.readback, turn.confirmed):
            out[i] = replace(turn, readback=readback, confirmed=confirmed)
    return out
