"""Make Whisper's text read like a hotline transcript: Simplified Chinese, punctuation, digits for numbers.

Whisper base writes Traditional characters about as often as Simplified for ``zh``, and spells numbers any
way it likes (幺三八…, 一三八 五七一六…, 138 5716 2409). Operators need phone numbers, staff numbers and amounts
as digits, so every spoken form is turned into Arabic digits here. Counting words (一下, 一个, 十点来钟) are
left alone: only digit runs long enough to be a number, digits after a keyword that announces one, and
numerals followed by a currency word are converted; and, as written Chinese has them, dates (5月11日), the
emergency number after a dialling verb (打120), house numbers (望湖路88号) and two-digit time limits (24小时,
15个工作日).
"""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

_DIGIT_CHARS = "零〇一二三四五六七八九幺两0123456789０１２３４５６７８９"
_DIGIT_MAP = str.maketrans("零〇一二三四五六七八九幺两０１２３４５６７８９", "0012345678912" "0123456789")
_SEP = r"[ \-－—、，,]?"
# Five or more digits in a row (phone, hotline, ID, postcode …), optionally grouped by spaces or dashes.
_LONG_DIGITS = re.compile(rf"[{_DIGIT_CHARS}](?:{_SEP}[{_DIGIT_CHARS}]){{4,}}")
# Shorter digit strings that a keyword announces as a number: 工号一零二七, 尾号三八, 房间二零五.
_KEYWORD_DIGITS = re.compile(
    rf"(工号|编号|号码|电话|手机|尾号|房间|床号|卡号|单号|病案号|门牌号?)(是|为|：|:)?([{_DIGIT_CHARS}](?:{_SEP}[{_DIGIT_CHARS}])+)"
)
# A number grouped 3-4-4 with dots, as Whisper sometimes writes a phone number (152.6704.8193).
_DOTTED_GROUPS = re.compile(r"(?<![\d.])\d{3}\.\d{4}\.\d{4}(?![\d.])")
_NUMERAL = "零〇一二三四五六七八九十百千万两点"
# An amount: Chinese numerals followed by a currency word.
_AMOUNT = re.compile(rf"([{_NUMERAL}]+)(块钱|块|元|毛钱|毛|角)")
_CARDINAL = "零一二三四五六七八九十百两"
_DATE = re.compile(rf"([{_CARDINAL}]{{1,3}})月([{_CARDINAL}]{{1,3}})([日月])")
# 打一百二十 / 叫幺二零: Whisper writes the emergency number as it is said, a numeral or its digits.
_EMERGENCY = re.compile(
    r"(?:(?<=[打叫拨喊被给用])|(?<=[打叫拨喊][了完过])|(?<=一[架辆台]))(?:一百二十|[一幺]二[零〇])(?![\d零〇一二三四五六七八九十百])"
    r"|(?:一百二十|[一幺]二[零〇])(?=急救|救护|的车|车|接到|派车)"
)
# The numeral alone is matched (the words around it are lookarounds), so a match is replaced by its value.
_HOUSE_NUMBER = re.compile(rf"(?<=[路街巷])[{_CARDINAL}]{{1,5}}(?=号)")
_TIME_LIMIT = re.compile(rf"(?<![{_CARDINAL}])[{_CARDINAL}]{{2,4}}(?=个工作日|小时)")
_SPACE_BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_ASCII_PUNCT = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})
_FINAL_PUNCT = "。？！…"


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    # tw2s rather than t2s: Whisper's Traditional text follows Taiwan usage, where 著 is also the particle 着
    # (看著我, 著急); t2s keeps 著 everywhere, tw2s keeps it only in words like 著名 and 显著, so the particle
    # comes out as 着.
    return opencc.OpenCC("tw2s")


def to_simplified(text: str) -> str:
    return _to_simplified().convert(text)


def _digits(run: str) -> str:
    return re.sub(r"[^0-9]", "", run.translate(_DIGIT_MAP))


def _amount(match: re.Match) -> str:
    numeral, unit = match.group(1), match.group(2)
    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, IndexError):
        return match.group(0)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit}"


def _value(numeral: str) -> int | None:
    """A Chinese numeral (十二, 一百二十七, 两) as an integer; None for anything else (四五, 十几)."""
    try:
        value = cn2an.cn2an(numeral, "strict")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def _date(match: re.Match) -> str:
    month, day = _value(match.group(1)), _value(match.group(2))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    if match.group(3) == "月" and day <= 12:  # 八月十七月 is 日 heard as 月; 二月八月 may be two months
        return match.group(0)
    return f"{month}月{day}日"


def _numeral_as_digits(minimum: int):
    def convert(match: re.Match) -> str:
        value = _value(match.group(0))
        return match.group(0) if value is None or value < minimum else str(value)

    return convert


def normalize_numbers(text: str) -> str:
    text = _DOTTED_GROUPS.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _KEYWORD_DIGITS.sub(lambda m: f"{m.group(1)}{m.group(2) or ''}{_digits(m.group(3))}", text)
    text = _LONG_DIGITS.sub(lambda m: _digits(m.group(0)), text)
    # As written Chinese writes them (GB/T 15835): calendar dates, the emergency number, house numbers and the
    # two-digit hours and working days of a time limit in digits; clock times, ages and counts stay in words.
    text = _DATE.sub(_date, text)
    text = _EMERGENCY.sub("120", text)
    text = _HOUSE_NUMBER.sub(_numeral_as_digits(1), text)
    text = _TIME_LIMIT.sub(_numeral_as_digits(10), text)
    return _AMOUNT.sub(_amount, text)


def punctuate(text: str) -> str:
    """Chinese punctuation: full-width marks, pauses written as spaces become commas."""
    text = text.strip()
    text = re.sub(r"(?<=[\u4e00-\u9fff])\.(?!\d)", "。", text)
    text = text.translate(_ASCII_PUNCT)
    text = re.sub(r"\s*([，。？！：；、])\s*", r"\1", text)
    return _SPACE_BETWEEN_HAN.sub("，", text)


def end_sentence(text: str) -> str:
    """An utterance ends with a full stop unless it already ends with a final mark."""
    text = text.rstrip("，、,; ")
    if text and text[-1] not in _FINAL_PUNCT:
        text += "。"
    return text
