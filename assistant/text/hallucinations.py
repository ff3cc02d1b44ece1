"""Whisper's two textual failure modes on telephone audio, removed from what it wrote.

* Silence hallucinations: on noise Whisper writes phrases from the subtitles it was trained on
  (字幕由…提供, 请不吝点赞订阅, 谢谢观看). An utterance made only of such phrases is dropped; the phrases are
  cut out of a longer utterance.
* Repetition loops: a piece of text repeated many times in a row (示例市场监示例市场监…) is kept once.
"""

from __future__ import annotations

import re

_HALLUCINATIONS = re.compile(
    r"((中文)?字幕(由|提供|製作|制作|组|by)?[^，。？！]{0,20}|[^，。？！]{0,12}(提供的?字幕|中文字幕)"
    r"|请?不吝点赞[^。！]*|(点赞|订阅|转发|打赏)[、，]?(订阅|转发|打赏|支持)[^。！]*"
    r"|(谢谢|感谢)(大家的?)?(观看|收看|收听)|明镜与点点栏目|优优独播剧场|YoYo Television Series Exclusive"
    r"|Amara\.org[^。]*|请订阅我的频道|下集再见|本期视频就到这里)",
    re.IGNORECASE,
)
_PUNCT = re.compile(r"[\s，。？！、,.?!：:；;…\"“”'‘’()（）-]+")
# A unit of 1-12 characters repeated at least four times in a row (one of two: loops, never speech).
_LOOP = re.compile(r"(.)\1{5,}|(.{2,12}?)\2{3,}")


def strip_hallucinations(text: str) -> str:
    """Remove subtitle-credit phrases; return "" when nothing but such phrases (and punctuation) remains."""
    cleaned = _HALLUCINATIONS.sub("", text)
    if not _PUNCT.sub("", cleaned):
        return ""
    return cleaned if cleaned != text else text


def collapse_loops(text: str) -> str:
    return _LOOP.sub(lambda m: m.group(1) or m.group(2), text)
