"""A generated archive of tickets with known repeat groups, for ``bench/repeats.py``.

Every matter (one problem at one place) is told once or several times: by the same caller again, by a
neighbour or a relative from another number, on other days and through the other hotline, each time worded
anew — another sentence pattern, other words for the same item and problem, details dropped or added, amounts
and dates written differently, the unit or the category sometimes drafted otherwise. Distractors are the
matters of the same unit and category that differ in what or where (another department, item or address), and
callers who call again about something else. All wording, names, places and numbers are the project's own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜谢邹喻柏水窦章云苏潘葛范彭郎鲁韦昌马苗凤方"
GIVEN = "明华建国红霞秀兰志强海燕伟丽静敏军平桂英玉梅小雨晓东文博子涵一鸣欣怡浩然思远雅琴春生秋菊"
DISTRICTS = ("青石区", "柳湾区", "北塘区", "南屏区", "云溪县")
# A city's streets: enough of them that two matters on one street are the exception, as they are.
ROADS = tuple(f"{a}{b}" for a in ("青石", "柳湾", "杏林", "望江", "桂香", "北塘", "银杏", "石桥", "东湖", "文昌",
                                  "和平", "长乐", "新民", "枫林", "春晖", "云溪", "南屏", "金沙", "翠竹", "松涛",
                                  "梧桐", "兰亭", "荷塘", "明德", "育才", "建设", "解放", "人民", "友谊", "光明")
              for b in ("路", "街", "大道", "巷", "中路", "东路"))
HOSPITALS = ("青石区人民医院", "柳湾区中医医院", "北塘区妇幼保健院", "南屏区第二人民医院", "云溪县人民医院",
             "望江医院", "杏林口腔医院", "东湖社区卫生服务中心")
REGULATORS = ("青石区市场监督管理局", "柳湾区市场监督管理局", "北塘区市场监督管理局")
HEALTH_OFFICES = ("青石区卫生健康局", "柳湾区卫生健康局", "南屏区卫生监督所")
CDC = ("青石区疾病预防控制中心", "柳湾区疾病预防控制中心")
INSURANCE = ("市医疗保障局",)

DEPTS = ("骨科", "儿科", "妇科", "眼科", "口腔科", "心内科", "消化内科", "皮肤科", "急诊科", "普外科", "耳鼻喉科",
         "神经内科", "泌尿外科", "呼吸内科", "产科", "康复科")
_CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 to 9999 in Chinese numerals, as a caller says an amount: 320 → 三百二十."""
    out, units = "", ("千", "百", "十", "")
    digits = f"{n:04d}"
    zero = False
    for d, u in zip(digits, units, strict=True):
        if d == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _CN[int(d)] + u
    return out[1:] if out.startswith("一十") else out


def amount_text(rng: random.Random, n: int) -> str:
    """An amount as an operator types what was said: mostly digits, sometimes the numeral or a round figure."""
    about = f"{cn_number(n // 100 * 100)}多元" if n > 99 else f"{n}元"
    return rng.choices((f"{n}元", f"{n}块钱", f"{cn_number(n)}元", about), (5, 2, 1, 2))[0]


def wording(rng: random.Random, forms: tuple[str, ...]) -> str:
    """One of a value's wordings: the centre's own term (the first) more often than a caller's."""
    return forms[0] if rng.random() < 0.5 else rng.choice(forms[1:])


# Each category: the unit kinds that handle it, its slots (each value with the words said for it), and the
# patterns a title, a summary and a demand are written in. {slot} takes one of the slot value's wordings.
CATEGORIES: dict[str, dict] = {
    "收费价格": {
        "units": HOSPITALS,
        "slots": {
            "item": [("CT检查", "拍CT", "做CT"), ("核磁共振", "做核磁", "磁共振检查"), ("彩超", "B超", "彩超检查"),
                     ("胃镜", "做胃镜", "胃镜检查"), ("抽血化验", "验血", "血常规化验"), ("输液", "打点滴", "挂水"),
                     ("床位费", "住院床位费", "病房床位费"), ("心电图", "做心电图", "心电图检查"),
                     ("根管治疗", "牙齿根管", "补牙根管"), ("康复理疗", "理疗", "做理疗")],
            "problem": [("重复收费", "收了两次钱", "同一项扣了两遍费"),
                        ("多收费", "比标价收得高", "价格和公示的不一样"),
                        ("没做的项目不退费", "取消的检查钱不退", "退费一直拖着不办"),
                        ("收费明细说不清", "清单里多出几项费用", "费用清单看不明白")],
        },
        "title": ("{dept}{item}{problem}", "{item}{problem}", "反映{hospital}{item}{problem}"),
        "summary": (
            "来电人反映{when}在{hospital}{dept}{item}，{problem}，金额{amount}，认为不合理。",
            "市民来电称{when}去{hospital}{item}，结果{problem}，涉及{amount}，找{dept}没人管。",
            "来电人表示在{dept}{item}时{problem}，一共{amount}，收费处让找科室，科室又推回收费处。",
            "据来电人说，{hospital}{dept}给他{item}，{problem}，{amount}的事至今没有说法。",
            "{when}来电人在{hospital}{item}被{problem}，{amount}，希望有人核实。",
        ),
        "demand": ("要求退还多收的费用", "希望医院核实后退费", "请相关部门核查收费", "要求给个说法并退钱"),
    },
    "服务态度": {
        "units": HOSPITALS,
        "slots": {
            "staff": [("护士", "护士站的护士", "值班护士"), ("医生", "接诊医生", "坐诊的医生"),
                      ("收费员", "收费窗口的人", "收费处工作人员"),
                      ("保安", "门口保安", "医院保安"), ("导诊", "导诊台的人", "分诊护士")],
            "problem": [("态度恶劣", "说话很冲", "凶病人"), ("推诿不管", "让来回跑", "互相推来推去"),
                        ("不耐烦", "问两句就不理人", "爱答不理"), ("大声训斥", "当众吼人", "对老人大喊大叫")],
        },
        "title": ("{dept}{staff}{problem}", "投诉{staff}{problem}", "{hospital}{staff}服务差"),
        "summary": (
            "来电人反映{when}在{hospital}{dept}就诊，{staff}{problem}，心里很不舒服。",
            "市民来电投诉{hospital}的{staff}，{when}带家人看{dept}时{problem}。",
            "来电人表示{dept}的{staff}{problem}，问路问病情都是这样。",
            "据来电人讲，{when}去{dept}，{staff}对她{problem}，旁边的人都看到了。",
        ),
        "demand": ("要求对该工作人员批评教育", "希望医院道歉", "要求改进服务态度", "请医院给个答复"),
    },
    "就医流程": {
        "units": HOSPITALS,
        "slots": {
            "place": [("挂号窗口", "挂号处", "人工挂号窗口"), ("自助机", "自助挂号机", "自助缴费机"),
                      ("检查预约", "预约检查的窗口", "检查登记处"), ("住院办理", "住院处", "办入院的窗口"),
                      ("药房取药", "取药窗口", "药房")],
            "problem": [("排队太久", "排了两个多小时", "队伍排到门外"), ("约不上号", "一直显示没号", "号源一放就没了"),
                        ("指示牌不清楚", "找不到地方", "指引乱"), ("只开一个窗口", "窗口开得少", "就一个人在办")],
        },
        "title": ("{place}{problem}", "{hospital}{place}{problem}", "就医不便：{place}{problem}"),
        "summary": (
            "来电人反映{hospital}的{place}{problem}，{when}带老人看{dept}很不方便。",
            "市民来电称{when}在{hospital}{place}，{problem}，耽误了看{dept}。",
            "来电人说{hospital}{place}{problem}，问工作人员也说没办法。",
            "据来电人反映，{place}{problem}，{dept}的病人都挤在那里。",
        ),
        "demand": ("希望医院增加人手", "要求改进就医流程", "请医院想办法解决", "希望尽快改善"),
    },
    "医疗质量": {
        "units": HOSPITALS,
        "slots": {
            "care": [("手术", "做了手术", "开刀"), ("拔牙", "拔了牙", "拔智齿"), ("骨折复位", "接骨", "打石膏"),
                     ("剖宫产", "剖腹产", "做剖宫产"), ("缝合伤口", "缝针", "伤口缝合")],
            "problem": [("术后感染", "伤口发炎化脓", "感染了"), ("误诊", "诊断错了", "看错了病"),
                        ("伤口裂开", "线崩开了", "缝的地方裂了"), ("一直没好转", "越治越重", "治了很久不见好")],
        },
        "title": ("{dept}{care}后{problem}", "质疑{hospital}{care}质量", "{care}{problem}"),
        "summary": (
            "来电人反映家属{when}在{hospital}{dept}{care}，之后{problem}，怀疑医疗有问题。",
            "市民来电称{when}在{dept}{care}，现在{problem}，医院说是正常情况。",
            "来电人表示在{hospital}{care}后{problem}，多次复诊医生都说再观察。",
            "据来电人说，{dept}给她{care}，{problem}，已经花了不少钱。",
        ),
        "demand": ("要求医院给出解释", "要求鉴定责任", "希望卫健部门介入调查", "要求赔偿后续治疗费用"),
    },
    "医保报销": {
        "units": INSURANCE + HOSPITALS[:3],
        "slots": {
            "item": [("异地就医报销", "外地看病回来报销", "异地住院的费用"), ("门诊慢特病", "慢性病门诊", "慢特病待遇"),
                     ("住院报销", "住院的费用报销", "出院结算"), ("生育津贴", "生孩子的津贴", "生育保险待遇"),
                     ("医保卡", "社保卡看病", "刷医保")],
            "problem": [("报销比例太低", "只报了一点点", "报得比说的少"),
                        ("材料被退回", "材料交了又退回来", "说材料不全"),
                        ("迟迟不到账", "几个月了钱没到", "一直没打款"), ("刷不了卡", "卡刷不出来", "显示卡状态异常")],
        },
        "title": ("{item}{problem}", "咨询{item}{problem}", "{item}：{problem}"),
        "summary": (
            "来电人反映{when}办理{item}，{problem}，涉及{amount}，不知道找谁。",
            "市民来电称在{hospital}看病的{item}{problem}，{amount}的费用一直没解决。",
            "来电人表示在{hospital}办{item}时{problem}，窗口让他去医保局问。",
            "据来电人说，{hospital}那次的{item}{problem}，前后跑了好几趟。",
        ),
        "demand": ("要求尽快办理", "希望说明政策依据", "要求补报差额", "请帮忙查一下进度"),
    },
    "食品安全": {
        "units": REGULATORS,
        "slots": {
            "venue": [("面馆", "牛肉面馆", "拉面店"), ("烧烤店", "烧烤摊", "烤串店"), ("超市", "小超市", "便利店"),
                      ("奶茶店", "饮品店", "茶饮店"), ("学校食堂", "孩子学校的食堂", "食堂"),
                      ("包子铺", "早餐店", "早点铺")],
            "problem": [("吃了以后腹泻", "吃完拉肚子", "吃坏了肚子"),
                        ("卖过期食品", "东西过期了还在卖", "货架上有过期的"),
                        ("后厨很脏", "厨房卫生差", "操作间脏乱"), ("菜里有异物", "吃出了头发", "饭里有虫子")],
        },
        "title": ("{road}{venue}{problem}", "举报{venue}{problem}", "{venue}食品问题：{problem}"),
        "summary": (
            "来电人反映{address}的一家{venue}{problem}，{when}发生的。",
            "市民来电举报位于{address}的{venue}，{problem}。",
            "来电人表示{when}在{road}那家{venue}，{problem}，店家不承认。",
            "据来电人说，{address}{venue}{problem}，附近居民都知道。",
        ),
        "demand": ("要求市场监管部门查处", "希望派人检查", "要求店家赔偿", "请相关部门处理"),
    },
    "公共卫生": {
        "units": HEALTH_OFFICES,
        "slots": {
            "venue": [("小区", "住的小区", "小区里"), ("工地", "建筑工地", "工地旁边"), ("菜市场", "农贸市场", "菜场"),
                      ("公共厕所", "公厕", "路边厕所"), ("游泳馆", "游泳池", "室内泳池")],
            "problem": [("垃圾堆了好几天", "垃圾没人清", "垃圾成堆"), ("污水外溢", "下水道冒水", "污水流到路上"),
                        ("蚊蝇很多", "苍蝇蚊子成群", "到处是蚊虫"), ("水很浑浊", "水质很差", "水有异味")],
        },
        "title": ("{road}{venue}{problem}", "{venue}卫生问题", "反映{venue}{problem}"),
        "summary": (
            "来电人反映{address}的{venue}{problem}，影响周边居民。",
            "市民来电称{address}{venue}{problem}，{when}开始一直这样。",
            "来电人表示{road}的{venue}{problem}，找过物业没用。",
            "据来电人反映，{venue}在{address}，{problem}，气味很大。",
        ),
        "demand": ("要求尽快清理", "希望卫生部门检查", "请相关部门督促整改", "要求彻底解决"),
    },
    "疫苗接种": {
        "units": CDC,
        "slots": {
            "vaccine": [("HPV疫苗", "宫颈癌疫苗", "九价疫苗"), ("流感疫苗", "打流感针", "流感的疫苗"),
                        ("狂犬疫苗", "狂犬针", "被狗咬后打的针"), ("乙肝疫苗", "乙肝针", "乙肝的疫苗"),
                        ("百白破疫苗", "孩子的百白破", "百白破")],
            "problem": [("一直约不上", "预约不到", "约了几个月没排上"), ("说没货", "缺苗", "疫苗断货"),
                        ("打完发烧", "接种后发热", "打了以后高烧"), ("接种记录查不到", "记录丢了", "本子上没登记")],
        },
        "title": ("{vaccine}{problem}", "咨询{vaccine}{problem}", "{clinic}{vaccine}{problem}"),
        "summary": (
            "来电人反映在{clinic}{vaccine}{problem}，{when}去问也没结果。",
            "市民来电称给孩子打{vaccine}，{problem}，{clinic}让等通知。",
            "来电人表示{clinic}的{vaccine}{problem}，很着急。",
            "据来电人说，{when}到{clinic}，{vaccine}{problem}。",
        ),
        "demand": ("希望尽快安排", "要求给出说明", "请疾控中心核实", "想知道怎么办"),
    },
}
IN_HOSPITAL = ("收费价格", "服务态度", "就医流程", "医疗质量")
# How often a matter told again is told by someone else from another number: neighbours and passers-by for a
# shop, a street or a crowded hall; a relative for one's own bill, treatment or insurance.
OTHER_CALLER = {"食品安全": 0.6, "公共卫生": 0.6, "就医流程": 0.4, "疫苗接种": 0.25, "收费价格": 0.2,
                "服务态度": 0.2, "医疗质量": 0.2, "医保报销": 0.15}
RELATIVES = ("母亲", "父亲", "孩子", "老伴", "爱人", "外婆", "爷爷", "女儿")
CITIES = ("江川市", "白沙市", "临海市", "清河县", "鹿城市", "安平县")


# The particulars a caller gives of one matter (who, which doctor, what time, which bed, which receipt…), each
# with its wordings. A matter has three; each telling mentions each with some chance, so two tellings share
# some particulars and a different matter of the same unit and category shares them only by chance.
def _relative(rng):
    r = rng.choice(RELATIVES)
    return (f"陪{r}看病", f"带{r}去的", f"给{r}看病")


def _doctor(rng):
    s = rng.choice(SURNAMES)
    return (f"姓{s}的医生", f"{s}医生", f"{s}大夫")


def _nurse(rng):
    s = rng.choice(SURNAMES)
    return (f"姓{s}的护士", f"{s}护士", f"一位姓{s}的")


def _hour(rng):
    h = rng.randrange(7, 22)
    return (f"{cn_number(h)}点左右", f"{h}点多", f"大概{h}点")


def _bed(rng):
    n = rng.randrange(1, 60)
    return (f"{n}床", f"{n}号床", f"{cn_number(n)}床的病人")


def _receipt(rng):
    d = f"{rng.randrange(10000):04d}"
    return (f"票据尾号{d}", f"发票尾号{d}", f"单子后四位{d}")


def _room(rng):
    n = rng.randrange(1, 40)
    return (f"{n}号诊室", f"{n}诊室", f"第{cn_number(n)}诊室")


def _wait(rng):
    n = rng.randrange(2, 6)
    return (f"等了{n}个小时", f"{cn_number(n)}个多小时", f"足足{n}小时")


def _shop(rng):
    x = rng.choice(SURNAMES) + rng.choice("记家氏")
    return (f"店名叫{x}", f"{x}那家", f"招牌是{x}")


def _people(rng):
    n = rng.randrange(2, 7)
    return (f"一家{n}口", f"{n}个人都", f"家里{cn_number(n)}个人")


def _months(rng):
    n = rng.randrange(2, 18)
    return (f"{n}个月大的孩子", f"孩子{n}个月", f"宝宝{cn_number(n)}个月")


def _city(rng):
    c = rng.choice(CITIES)
    return (f"在{c}住的院", f"{c}看的病", f"去{c}治疗")


def _months_waiting(rng):
    n = rng.randrange(2, 9)
    return (f"等了{n}个月", f"{cn_number(n)}个多月了", f"快{n}个月")


DETAILS = {
    "收费价格": (_relative, _doctor, _receipt, _bed, _hour),
    "服务态度": (_relative, _nurse, _hour, _room),
    "就医流程": (_relative, _wait, _hour, _room),
    "医疗质量": (_relative, _doctor, _bed, _hour),
    "医保报销": (_relative, _city, _months_waiting, _receipt),
    "食品安全": (_shop, _people, _hour),
    "公共卫生": (_hour, _people, _wait),
    "疫苗接种": (_months, _relative, _hour),
}
CLINICS = ("东湖社区卫生服务中心", "杏林街社区卫生服务站", "望江路社区医院", "石桥街卫生院", "文昌路社区卫生服务中心")
AGAIN = ("此前已来电反映过，至今没有解决。", "之前打过电话，一直没人联系。", "这是第二次来电。", "上次反映后没有下文。")
FRAMES = ("", "来电人情绪激动，", "来电人较着急，", "")


@dataclass
class Matter:
    id: int
    category: str
    unit: str
    slots: dict[str, int]  # slot name → index of its value
    dept: str
    hospital: str
    clinic: str
    address: tuple[str, str, int]  # district, road, house number
    phone: str
    name: str
    details: list = field(default_factory=list)  # the particulars, each a tuple of wordings
    calls: list = field(default_factory=list)  # [(day offset, same caller?)]


@dataclass(frozen=True)
class Row:
    matter: int
    values: dict  # the ticket's fields
    created_at: datetime
    hotline: str


def _person(rng: random.Random) -> tuple[str, str]:
    phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    return phone, rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _when(rng: random.Random, day: datetime) -> str:
    return rng.choice((f"{day.month}月{day.day}日", "上周", "前几天", "前天", f"{day.day}号", "昨天", "上个月底", ""))


def tell(rng: random.Random, m: Matter, day: datetime, again: bool) -> dict:
    """One telling of the matter: the fields an operator would file for this call."""
    spec = CATEGORIES[m.category]
    district, road, number = m.address
    words = {name: wording(rng, spec["slots"][name][i]) for name, i in m.slots.items()}
    amount = 40 + (m.id * 37) % 2900
    words.update(dept=m.dept if rng.random() < 0.8 else "", hospital=m.hospital if rng.random() < 0.6 else "",
                 clinic=m.clinic, road=road, when=_when(rng, day), amount=amount_text(rng, amount),
                 address=rng.choice((f"{district}{road}{number}号", f"{road}{number}号", f"{road}{cn_number(number)}号",
                                     f"{road}{number}号附近", f"{district}{road}")))
    summary = rng.choice(FRAMES) + rng.choice(spec["summary"]).format(**words)
    told = [wording(rng, d) for d in m.details if rng.random() < 0.7]
    if told:
        rng.shuffle(told)
        summary += "来电人提到" + "，".join(told) + "。"
    if again and rng.random() < 0.5:
        summary += rng.choice(AGAIN)
    if m.category in ("食品安全", "公共卫生"):
        location = rng.choice((f"{district}{road}{number}号", f"{road}{number}号", f"{road}", ""))
    elif m.category in IN_HOSPITAL:
        location = rng.choice((m.hospital, f"{m.hospital}{m.dept}", "", m.dept))
    else:
        location = rng.choice((m.hospital, "")) if m.category == "医保报销" else rng.choice((m.clinic, ""))
    institution = m.hospital if spec["units"] is HOSPITALS or m.category == "医保报销" else ""
    if m.category == "疫苗接种":
        institution = m.clinic
    return {"title": rng.choice(spec["title"]).format(**words), "summary": summary,
            "demand": rng.choice(spec["demand"]), "location": location or None, "institution": institution or None,
            "department": (words["dept"] or None) if m.category in IN_HOSPITAL else None}


def archive(n_tickets: int, *, seed: int = 0, days: int = 90, repeat_share: float = 0.3,
            start: datetime = datetime(2026, 9, 1, tzinfo=UTC)) -> list[Row]:
    """About ``n_tickets`` tickets over ``days`` days, oldest first. A share of matters is told again 1 to 3
    times, 1 to 20 days later: by the same caller, or by someone else from another number (``OTHER_CALLER``)."""
    rng = random.Random(seed)
    cats = list(CATEGORIES)
    cat_weights = [5, 3, 3, 2, 2, 3, 2, 2][:len(cats)]
    rows: list[Row] = []
    matters: list[Matter] = []
    callers: dict[int, list[tuple[str, str]]] = {}  # by the day of their first call
    used: dict[tuple, float] = {}  # what tells a matter apart → when it was last new
    i = 0
    while len(rows) < n_tickets:
        category = rng.choices(cats, cat_weights)[0]
        spec = CATEGORIES[category]
        units = spec["units"]
        unit = units[min(int(rng.paretovariate(1.2)) - 1, len(units) - 1)]  # a few units get most calls
        first = rng.uniform(0, days)
        for _ in range(50):  # two matters of one unit at one time differ in substance, not in wording only
            slots = {name: rng.randrange(len(values)) for name, values in spec["slots"].items()}
            dept, hospital = rng.choice(DEPTS), unit if unit in HOSPITALS else rng.choice(HOSPITALS)
            address = (rng.choice(DISTRICTS), rng.choice(ROADS), rng.randrange(1, 300))
            clinic = rng.choice(CLINICS)
            place = {"食品安全": address[1:], "公共卫生": address[1:], "医保报销": (hospital,),
                     "疫苗接种": (clinic,)}.get(category, (dept, hospital))
            key = (category, unit, *sorted(slots.items()), place)
            if abs(used.get(key, -999) - first) > 45:
                break
        used[key] = first
        recent = [c for day in range(int(first) - 29, int(first) + 30) for c in callers.get(day, ())]
        if recent and rng.random() < 0.12:  # a caller with a second, unrelated matter within a month
            phone, name = rng.choice(recent)
        else:
            phone, name = _person(rng)
            callers.setdefault(int(first), []).append((phone, name))
        m = Matter(i, category, unit, slots, dept, hospital, clinic, address, phone, name,
                   [make(rng) for make in rng.sample(DETAILS[category], 3)])
        i += 1
        m.calls.append((first, True))
        if rng.random() < repeat_share:
            at = first
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                at += rng.uniform(1, 20)
                m.calls.append((at, rng.random() >= OTHER_CALLER[category]))
        matters.append(m)
        for k, (offset, same) in enumerate(m.calls):
            created = start + timedelta(days=offset)
            values = tell(rng, m, created, again=k > 0)
            phone, name = (m.phone, m.name) if same else _person(rng)
            category_said = category
            if k > 0 and rng.random() < 0.08:  # drafted under a neighbouring category this time
                category_said = rng.choice([c for c in cats if CATEGORIES[c]["units"] is spec["units"]
                                            and c != category] or [category])
            values.update(category=category_said, unit=unit, phone=phone, caller_name=name,
                          appeal_type=rng.choice(("投诉", "求助", "举报")) if k == 0 else "投诉", urgency="一般")
            rows.append(Row(m.id, values, created, rng.choice(("12320", "12345"))))
    rows.sort(key=lambda r: r.created_at)
    return rows
