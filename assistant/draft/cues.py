"""Words that name an appeal type or point at a category, as domain knowledge beside the classifiers.

A caller who says 我要举报 has told us the appeal type; the classifier, trained on a few hundred seed
examples, may still prefer 投诉. Explicit appeal words (unless negated: 我不是投诉) decide the appeal type;
category cue words shift the classifier's probabilities towards the categories they name. On a transcript
the cue words are also found by sound (组断药 is 阻断药, 灯隔热 is 登革热): a window of three characters or
more whose every character sounds like the cue's and that shares one character with it counts as the cue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from assistant.lexicon.correct import primary_reading, readings

APPEAL_CUES = {
    "举报": r"举报|检举|揭发",
    "表扬": r"表扬|感谢信|送锦旗|夸夸|点赞",
    "建议": r"提个?建议|我建议|建议你们|给个建议",
}
# Checked in this order. 投诉 / 咨询 / 求助 are not taken from words: callers say 我问一下 before reporting
# and 投诉 while asking, so those words mislead more often than they help; the classifier decides.
_ORDER = ("举报", "表扬", "建议")
_NEGATED = re.compile(r"(不是|不想|不为|不算|不要)(要)?$")

CATEGORY_CUES = {
    "医德医风": r"红包|回扣|收钱办事|购物卡|吃回扣|提成|医药代表|塞钱",
    "非法行医": r"无证|没有证|没证|黑诊所|没有资质|没资质|非法行医|游医|冒充医生|执业证|行医资格"
    r"|美容院.{0,6}(打针|注射)",
    "疫苗接种": r"疫苗|接种|打针本|预防针",
    "医保报销": r"医保|报销|社保卡|异地就医|参保|统筹",
    "母婴保健": r"出生证明|出生医学证明|产检|建档|母子健康手册|儿保|新生儿|坐月子|孕",
    "食品安全": r"食物中毒|吃坏|变质|过期食品|饭店|餐馆|外卖|食堂|后厨|拉肚子",
    "药品器械": r"药店|假药|过期药|医疗器械|隐形眼镜|美瞳|保健品|血糖仪|处方药",
    "传染病防控": r"传染|隔离|疫情|结核|艾滋|HIV|手足口|水痘|流感|发热门诊|阻断药|麻疹|登革热|蚊子|消杀|诺如",
    "公共卫生": r"二次供水|水质|吸烟|二手烟|职业病|粉尘|医疗废物|医疗垃圾|针头|消毒|卫生许可|公共场所|宾馆|旅馆"
    r"|游泳池|泳池|浴室|澡堂|理发店|美发店|床单|被套|布草",
    "急救服务": r"120|救护车|急救车|急救中心|出车",
    "心理健康": r"抑郁|焦虑|失眠|心理|想不开|轻生|不想活|自杀|精神",
    "收费价格": r"收费|多收|重复收|乱收费|退费|扣了两|发票|价格|太贵",
    "就医流程": r"挂号|排队|预约|床位|转诊|号源|住院手续|等了.{1,4}小时",
    "政策咨询": r"政策|证明.{0,4}(哪里|去哪)开|怎么办理|死亡证明|补贴|资格",
    "医疗质量": r"误诊|手术失败|医疗事故|感染|并发症|治坏|做坏|延误|漏诊|后遗症",
    "服务态度": r"态度|骂人|吼|不耐烦|爱答不理|冷冰冰|推诿|难听",
}
_CUE_RE = {k: re.compile(v) for k, v in CATEGORY_CUES.items()}
_APPEAL_RE = {k: re.compile(APPEAL_CUES[k]) for k in _ORDER}
CUE_WEIGHT = 0.35


def stated_appeal(caller_texts: list[str]) -> tuple[str, str, int] | None:
    """(appeal type, the turn's text, match start) when the caller names it, else None."""
    for appeal in _ORDER:
        for text in caller_texts:
            for m in _APPEAL_RE[appeal].finditer(text):
                if not _NEGATED.search(text[max(0, m.start() - 3) : m.start()]):
                    return appeal, text, m.start()
    return None


# Two-character cues are not looked for by sound: too many ordinary words sound like them (提醒 / 提成).
_LITERAL = re.compile(r"[\u4e00-\u9fff]{3,}")


@lru_cache(maxsize=1)
def _cues_by_sound() -> dict[str, list[tuple[str, str]]]:
    """Reading of a cue word's first character → (cue word, category), for the plain words of CATEGORY_CUES."""
    index: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for label, pattern in CATEGORY_CUES.items():
        for word in pattern.split("|"):
            if _LITERAL.fullmatch(word):
                for r in readings(word[0]):
                    index[r].append((word, label))
    return index


def _sound_hits(text: str, taken: list[bool]) -> dict[str, int]:
    """Cue words heard as sound-alikes: every character sounds like the cue's, one at least is the cue's own,
    and the window overlaps no cue already found as written."""
    hits: dict[str, int] = defaultdict(int)
    index = _cues_by_sound()
    for i, char in enumerate(text):
        seen = set()
        for r in readings(char):
            for word, label in index.get(r, ()):
                window = text[i : i + len(word)]
                if (word in seen or len(window) < len(word) or window == word or any(taken[i : i + len(word)])
                        or not any(a == b for a, b in zip(window, word, strict=True))):
                    continue
                if all(primary_reading(a) in readings(b) for a, b in zip(window, word, strict=True)):
                    seen.add(word)
                    hits[label] += 1
                    taken[i : i + len(word)] = [True] * len(word)
    return hits


def category_cues(text: str) -> dict[str, float]:
    """Share of the cue words found in ``text`` (as written or by sound) that point at each category (sums to 1,
    or empty)."""
    taken = [False] * len(text)
    counts: dict[str, int] = {}
    for label, pattern in _CUE_RE.items():
        matches = list(pattern.finditer(text))
        counts[label] = len(matches)
        for m in matches:
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    for label, n in _sound_hits(text, taken).items():
        counts[label] += n
    total = sum(counts.values())
    return {label: n / total for label, n in counts.items() if n} if total else {}
