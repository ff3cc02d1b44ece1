"""Correct text passes through the clean-up unchanged, and Whisper's mishearings are still mended.

The sentences of ``tests/data/correct_sentences.txt`` were written for the project: what operators and callers of
the two hotlines say, spelled right. Cleaning them may change at most 0.1 % of their characters, counted as
``bench/noharm.py`` counts them: punctuation left out (the clean-up adds its own) and every run of numerals one
token (digits for spoken numerals are the clean-up's intended normalisation).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from assistant.centre import load_centre, shipped_centre_folder
from assistant.lexicon.units import load_units
from assistant.text.clean import Cleaner

SENTENCES = Path(__file__).resolve().parents[1] / "data" / "correct_sentences.txt"
MAX_CHANGED = 0.001
_PUNCT = re.compile(r"[\s，。？！、；：,.?!;:…\"“”'‘’()（）《》<>\-—~～·]")
_NUMERALS = re.compile(r"[0-9零〇一二三四五六七八九十百千万亿两幺]+(?:[点.][0-9零〇一二三四五六七八九十]+)?")


def comparable(text: str) -> str:
    return _NUMERALS.sub("#", _PUNCT.sub("", text))


def sentences() -> list[str]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def cleaner():
    centre = load_centre(shipped_centre_folder())
    return Cleaner(centre, load_units(centre.units_path))


def test_correct_sentences_pass_almost_unchanged(cleaner):
    written = sentences()
    assert len(written) >= 300
    changed = total = 0
    harmed = []
    for sentence in written:
        before, after = comparable(sentence), comparable(cleaner.clean(sentence))
        total += sum(c != "#" for c in before)
        edits = Levenshtein.distance(before, after)
        changed += edits
        if edits:
            harmed.append(f"{sentence} → {cleaner.clean(sentence)}")
    assert changed <= MAX_CHANGED * total, "\n".join(harmed)


@pytest.mark.parametrize(
    "said",
    [
        # the homophone pass: the sounds are alike, the tones are not (zhì chǐ / zhī chí, shì / shí …)
        "我上个月在那里拔了一颗智齿。",
        "我爸吃了二甲双胍以后老是胃不舒服。",
        "我们这条街的下水道堵了。",
        "鸽子屎掉得到处都是。",
        "我家门口的人行道被挖开了，半个月都没填上。",
        "我住在春晖家园六栋二单元。",
        # a name as it was said, and a character spelled out
        "我姓童，童年的童，童晓燕。",
        "俞晓岚，电话13905712468。",
        # names of the directory: only where the clause then reads more likely, and no word put in
        "我爸做完手术以后伤口感染了。",
        "这台手术是主任做的。",
        "我的透析时间改到了下午。",
        "请您保持电话畅通。",
        # the hotline number after 是, 等 as a verb, a bodily reaction
        "您好，这里是12320卫生健康热线。",
        "我等啊等，等到天黑也没人来。",
        "打完疫苗有点发烧，是正常反应。",
    ],
)
def test_what_each_step_leaves_alone(cleaner, said):
    assert cleaner.clean(said) == said


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("我在医院的走狼上等了很久", "我在医院的走廊上等了很久。"),  # same tones
        ("孩子的伤口感燃了", "孩子的伤口感染了。"),  # a rising tone heard for a low one
        ("这个费用能不能爆销", "这个费用能不能报销。"),
        ("看病要带身份证和依保卡", "看病要带身份证和医保卡。"),
        ("我想去新内科挂个号", "我想去心内科挂个号。"),  # a department by sound
        ("您好，一二三二零位生建康学县，工号三八一五，请讲", "您好，12320卫生健康热线，工号3815，请讲。"),
        ("他让我拨打一二三四五反应，说这边不管", "他让我拨打12345反映，说这边不管。"),
    ],
)
def test_mishearings_are_still_mended(cleaner, heard, meant):
    assert cleaner.clean(heard) == meant
