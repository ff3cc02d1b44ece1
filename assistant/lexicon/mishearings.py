"""Mishearings of the Chinese language on a phone line, with the context that makes each sure.

General language, true in any centre's calls (性名 is no word, 五个工作室内 is 五个工作日内); a centre's own words
come from its profile. Each rule is (pattern, replacement), too short for the pinyin snapping of
``correct.py``, which needs three characters.
"""

from __future__ import annotations

# Two-character mishearings that are never right in a hotline call, with the context that makes them sure:
# (pattern, replacement). Too short for the pinyin snapping of ``correct.py``, which needs three characters.
PHRASE_FIXES = (
    (r"性名", "姓名"),  # 性名 is no word; the caller's 姓名
    (r"公单", "工单"),  # 公单 is no word; the 工单 the operator files
    (r"一保(?![洁安险姆健镖])", "医保"),  # 一保 is no word: 国家一保服务平台, 老家一保经办机构
    (r"女是(?=[，。？！、]|我|您)", "女士"),  # 夏女士，我核对一下 heard as 夏女是
    (r"(?<=[一二三四五六七八九十两\d]个)工作室(?=内)", "工作日"),  # 五个工作日内 heard as 五个工作室内
    # 您贵性？ 我性张。 您性什么？ but never 我性格。 or 性别
    (r"(?<=[贵您我])性(?=(?:(?![格别子情命能质])[\u4e00-\u9fff])?[，。？！、]|什么)", "姓"),
    (r"反应(?=一下|什么|的问题|的情况|问题|情况)", "反映"),  # 反映问题, not a bodily 反应
    (r"(?<=[想要来您我将])反应", "反映"),  # 我想反映, 您要反映
    # Anyone's 反应 to a caller's complaint is a 反映, unless it is a bodily reaction (过敏反应, 没反应, 正常反应, 他的
    # 反应) or 反应过来.
    (
        r"(?<!接种|过敏|不良|药物|疫苗|排异|应激|化学|连锁|生理|身体|正常|异常)(?<![副没无有的])反应"
        r"(?!过来|迟钝|很|太|强烈|慢|快)",
        "反映",
    ),
    # A clause ending in 等 or 灯 is the particle 的 heard wrong (高高的 → 高高等, 出院的 → 出院灯), unless 等 is
    # the verb "wait" (再等, 让我等, 等等, 等了等, 在门口等) or 灯 a lamp (路灯, 红灯, 指示灯).
    (
        r"(?<!在.)(?<!在..)(?<!在...)(?<!等.)(?<![等再要让干在着先还得会能就只都又们你我他她您说上里边儿这那家])等(?=[，。？！、]|$)",
        "的",
    ),
    (r"(?<![路红绿电台彩车开关黄尾前大顶吊壁号示虹油花灯])灯(?=[，。？！、]|$)", "的"),
    # 核查 / 核实 heard as 和查 / 和实, which are no words: after 医院, 要求, 安排 … or before 处理 / 一下.
    (r"(?<=[院求排局方位门请并])和(?=[查实])|和(?=查处理|查一下|查清楚|实一下|实后|查后)", "核"),
    # 咨询 heard as 自行 after 您 / 这次 / 健康 …, where 自行 (by oneself) would need a verb after it.
    (
        r"(?<=您|次|康|理|律|策|话)自行(?!前往|处理|购买|解决|承担|联系|安排|去|到|办理|决定|选择|缴纳|负责|车|回家|离开|停)",
        "咨询",
    ),
    # A caller's opening 你好 heard as 一号 (ni as yi): only opening the utterance, before a pause or 我想/我要/我是.
    (r"^(喂，?)?一号(?=，|我[想要是])", r"\1你好"),
    # Whisper base hears kan as tan on a phone line: 看专家 → 探专家, 看报告 → 探报告; 探望, 探视, 打探 … stay.
    (r"(?<![打试侦勘窥刺密暗钻])探(?![望视亲索测讨险究头访查监])", "看"),
)
