"""Built-in hotline vocabulary: hospital departments (科室) and the words of hotline work.

These are general Chinese health-service terms, true in every city; the centre's own unit names come from
its directory (``units.py``). The post-correction pass snaps near-miss spellings to these terms.
"""

from __future__ import annotations

DEPARTMENTS = (
    "心内科", "心血管内科", "呼吸内科", "消化内科", "神经内科", "肾内科", "内分泌科", "血液内科", "风湿免疫科",
    "普外科", "胸外科", "神经外科", "泌尿外科", "骨科", "心外科", "肝胆外科", "烧伤科", "整形外科",
    "妇科", "产科", "妇产科", "儿科", "新生儿科", "眼科", "耳鼻喉科", "口腔科", "皮肤科", "感染科",
    "肿瘤科", "急诊科", "重症医学科", "麻醉科", "康复科", "中医科", "针灸科", "精神科", "心理科",
    "放射科", "检验科", "超声科", "病理科", "药剂科", "体检中心", "发热门诊", "预防保健科", "全科",
    "老年科", "疼痛科", "营养科", "核医学科", "介入科", "生殖中心", "医务科", "公卫科", "儿童保健科", "儿保科",
    "血液透析室", "透析室", "犬伤门诊", "心境障碍科", "睡眠科", "精神科门诊", "产前诊断中心", "乳腺外科",
    "甲状腺外科", "手足外科", "肛肠科", "男科", "输液室", "留观室", "重症监护室", "手术室",
    "门诊部", "住院部", "收费处", "挂号处", "药房", "医保办",
)
# Places in a hospital that are not a clinical department of a work order.
NON_CLINICAL = frozenset({"门诊部", "住院部", "收费处", "挂号处", "药房", "医保办", "医务科", "输液室", "留观室",
                          "手术室"})

HOTLINE_TERMS = (
    "12320", "12345", "工号", "卫生健康热线", "政务服务便民热线", "健康热线", "便民热线", "服务热线",
    "工单", "承办单位", "回访", "工作日",
    "医保", "医保卡", "社保卡", "异地就医", "报销", "挂号", "预约", "专家号", "住院", "出院", "门诊",
    "急诊", "疫苗", "接种", "核酸", "发热", "疾控", "卫健委", "卫生监督", "市场监管", "食品安全",
    "出生医学证明", "出院小结", "母子健康手册", "产检", "医疗纠纷", "红包", "回扣", "无证行医", "救护车", "120",
)

# What operators say in every call, as hotline service scripts word it: greeting, asking for the caller's details,
# the read-back, the closing. Whisper base garbles them on a phone line (请问有什么可疑帮您, 五个工作室内,
# 听保区电话畅通); they are snapped by sound like the names above. Each is the part that every centre's script
# shares (给您答复, not one centre's whole sentence around it), so sentences worded otherwise still match.
OPERATOR_PHRASES = (
    "请问有什么可以帮您", "很高兴为您服务", "请问您怎么称呼", "请问您贵姓", "方便留个电话吗", "留个联系电话",
    "姓名和联系电话", "姓名和电话", "您别着急", "您慢慢说", "您希望怎么处理", "您的诉求是", "我跟您核对一下",
    "我跟您确认一下", "我核对一下", "我确认一下", "我复述一下", "我记录一下", "工单会转交", "工单会在",
    "个工作日内联系", "工作日内联系您", "给您答复", "给您回复", "个工作日内答复",
    "工作人员联系您", "请保持电话畅通", "请保持手机畅通", "请您放心",
    "个人信息", "信息会保密", "我们会保密", "当场答复", "本次不转办", "按紧急工单", "还有其他问题吗", "还有别的问题吗",
    "感谢您的来电", "祝您身体健康",
)

# Words jieba's general dictionary cuts wrongly in hotline speech; they keep classifier features whole.
DOMAIN_WORDS = (
    "医保卡", "异地就医", "慢性病", "红包", "回扣", "过度医疗", "无证行医", "医疗美容", "黑诊所", "地沟油",
    "食物中毒", "过期药", "假药", "处方药", "救护车", "心肺复苏", "出生证明", "母子健康手册", "建档", "产检",
    "狂犬疫苗", "宫颈癌疫苗", "流感疫苗", "手足口病", "肺结核", "职业病", "二次供水", "二手烟", "心理咨询",
    "抑郁症", "失眠", "轻生", "挂号费", "押金", "退费", "重复收费", "收费标准", "床位", "转诊", "专家号",
)

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
    # Anyone's 反应 to a caller's complaint is a 反映, unless it is a bodily reaction (过敏反应, 没反应) or 反应过来.
    (
        r"(?<!接种|过敏|不良|药物|疫苗|排异|应激|化学|连锁|生理|身体)(?<![副没无有])反应(?!过来|迟钝|很|太|强烈|慢|快)",
        "反映",
    ),
    # A clause ending in 等 or 灯 is the particle 的 heard wrong (高高的 → 高高等, 出院的 → 出院灯), unless 等 is
    # the verb "wait" (再等, 让我等, 等等, 在门口等) or 灯 a lamp (路灯, 红灯, 指示灯).
    (
        r"(?<!在.)(?<!在..)(?<!在...)(?<![等再要让干在着先还得会能就只都又们你我他她您说上里边儿这那家])等(?=[，。？！、]|$)",
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
