"""A made-up 12345 archive for ``bench/recipe.py``: short complaint texts whose labels are as messy as real ones.

Real archives cannot leave the centres, so this generator imitates what makes them hard for a classifier: seven
top-level classes of very different sizes, sub-topics that two classes share (building-site noise is filed under
城乡建设 by one operator and 生态环境 by another), vocabulary every class uses (place names, times, "nobody
answers"), two writing styles (the caller's words and the operator's summary), and a share of labels that are
simply wrong. ``fine=True`` labels the rows by their 20 sub-topics instead of the 7 classes.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

# sub-topic -> (top-level classes it is filed under with their odds, sampling weight, key words, phrases)
TOPICS: dict[str, tuple[dict[str, float], float, tuple[str, ...], tuple[str, ...]]] = {
    "物业管理": ({"城乡建设": 1.0}, 12,
        ("电梯", "楼道灯", "门禁", "物业费", "单元门", "消防栓", "业委会", "停车位", "绿化带", "垃圾清运"),
        ("小区电梯三天两头坏，物业就贴张纸条", "物业费年年涨，楼道灯坏了半年没人修", "物业把公共绿地改成了收费停车位",
         "小区门禁坏了谁都能进来", "业主群里反映了很多次，物业公司一直推脱", "物业不给开具收费明细",
         "地下车库漏水，车都泡了，物业说不归他们管", "楼顶防水层破了，下雨家里墙皮往下掉")),
    "违章搭建": ({"城乡建设": 0.9, "市场监管": 0.1}, 6,
        ("违建", "铁皮棚", "阳台", "加盖", "楼顶", "院墙", "门面房", "雨棚", "车棚", "拆除"),
        ("楼下住户在院子里私自加盖了一间房", "顶楼邻居在楼顶搭了个铁皮棚子", "有人把一楼阳台打通改成了门面房",
         "小区里有人占用消防通道搭了车棚", "沿街商户违规搭建雨棚占了人行道", "城管来看过一次就没有下文了")),
    "道路市政": ({"城乡建设": 0.75, "交通运输": 0.25}, 8,
        ("井盖", "路灯", "路面", "人行道", "雨水井", "窨井", "护栏", "积水", "下水道", "盲道"),
        ("路面坑坑洼洼，晚上骑电动车很容易摔", "井盖丢了一个星期没人补，只放了个锥桶", "路灯一整排都不亮",
         "雨水井堵了，一下雨路口就积水", "人行道的地砖翘起来了，老人差点绊倒", "道路挖开以后一直没有恢复")),
    "供水供暖": ({"城乡建设": 0.85, "生态环境": 0.15}, 7,
        ("停水", "水压", "暖气", "供暖", "燃气", "水表", "热水", "管道", "自来水", "取暖费"),
        ("整栋楼停水两天了，也没有提前通知", "自来水放出来是黄的，有一股铁锈味", "暖气片一点都不热，室温只有十几度",
         "交了取暖费，家里还是冷得穿棉袄", "水压太低，五楼以上根本用不了热水器", "燃气表走字特别快，怀疑有问题")),
    "施工噪音": ({"城乡建设": 0.5, "生态环境": 0.5}, 8,
        ("工地", "打桩", "渣土车", "夜间施工", "搅拌机", "扬尘", "围挡", "挖掘机", "电钻", "施工许可"),
        ("工地晚上十一点了还在打桩", "旁边工地凌晨还有渣土车进出，吵得睡不着", "施工单位夜间施工没有办任何手续",
         "工地扬尘很大，窗户都不敢开", "搅拌机从早响到晚，孩子没法写作业", "工地围挡倒了也没人管")),
    "拖欠工资": ({"劳动和社会保障": 0.8, "城乡建设": 0.2}, 5,
        ("工资", "包工头", "加班费", "工钱", "欠薪", "农民工", "老板", "劳务费", "结算", "工资条"),
        ("在工地干了四个月，包工头一直拖着不发工资", "公司拖欠我们三个月工资，老板人找不到",
         "离职以后最后一个月工资不给结", "说好的加班费一分没有", "项目结束了，农民工工资还欠着十几个人的",
         "老板说等甲方打款了再发")),
    "社保养老": ({"劳动和社会保障": 0.85, "卫生健康": 0.15}, 3,
        ("社保", "养老金", "失业金", "工伤", "退休", "公积金", "医保卡", "缴费基数", "社保卡", "转移"),
        ("单位一直没给我交社保，入职的时候说好的", "养老金这个月没有按时发到卡上", "社保转移手续办了两个月还没办好",
         "失业金申请提交以后一直显示审核中", "工伤认定材料交上去就没有回音", "退休手续要跑好几个窗口，材料来回退")),
    "劳动合同": ({"劳动和社会保障": 1.0}, 2,
        ("劳动合同", "试用期", "辞退", "经济补偿", "仲裁", "入职", "辞职", "违约金", "年假", "社保基数"),
        ("公司不跟我们签劳动合同", "试用期被无故辞退，也没有补偿", "单位强迫我们自己写辞职申请",
         "合同到期公司不续签也不给经济补偿", "招聘的时候承诺的待遇入职以后全变了")),
    "食品安全": ({"市场监管": 0.6, "卫生健康": 0.4}, 5,
        ("过期", "变质", "外卖", "后厨", "地沟油", "熟食", "发霉", "异物", "食物中毒", "保质期"),
        ("在饭店吃了饭回家就上吐下泻", "超市卖的熟食过期了还在货架上", "外卖里面吃出了虫子",
         "路边摊用的油很脏，看着像地沟油", "买的牛奶打开已经结块发臭了", "后厨卫生很差，老鼠乱跑")),
    "价格收费": ({"市场监管": 0.8, "交通运输": 0.1, "卫生健康": 0.1}, 5,
        ("标价", "乱收费", "发票", "收据", "明码标价", "停车费", "差价", "收费标准", "价格", "多收"),
        ("商家标价和结账时的价格不一样", "停车场乱收费，没有公示收费标准", "店里打折是先涨价再打折",
         "买的东西多收了钱，商家不承认", "景区门口的饭店菜价高得离谱", "收费没有给发票也没有收据")),
    "消费纠纷": ({"市场监管": 0.75, "教育": 0.25}, 6,
        ("预付卡", "会员卡", "退款", "定金", "虚假宣传", "三包", "售后", "退货", "跑路", "合同"),
        ("健身房办了年卡，现在关门了老板跑了", "培训机构卷款跑路，预付的学费退不回来",
         "网上买的电器用了两天就坏了，商家不给退", "理发店办的会员卡，店换了老板就不认了",
         "商家虚假宣传，说是进口货其实是国产的", "装修公司收了定金一直不开工")),
    "无证经营": ({"市场监管": 0.7, "卫生健康": 0.3}, 2,
        ("营业执照", "资质", "无证", "小作坊", "黑诊所", "许可证", "牌照", "黑加油点", "流动摊贩", "备案"),
        ("小区门口有个诊所没有挂任何牌照", "有人在居民楼里开小作坊做食品", "路边卖药的没有任何资质",
         "一家美容店在给人打针，怀疑没有医疗资质", "无证的黑加油点就在村口")),
    "油烟废气": ({"生态环境": 0.9, "城乡建设": 0.1}, 4,
        ("油烟", "废气", "异味", "焚烧", "烟囱", "排烟", "烧烤", "臭味", "粉尘", "锅炉"),
        ("楼下烧烤店的油烟直接往我们窗户里灌", "附近工厂晚上偷偷排废气，气味刺鼻", "有人在空地上焚烧垃圾，烟很大",
         "饭店的排烟管道正对着居民楼", "化工厂那边的异味一到晚上就特别重")),
    "污水河道": ({"生态环境": 0.85, "城乡建设": 0.15}, 3,
        ("污水", "河道", "排污", "化粪池", "黑臭", "死鱼", "养殖场", "管网", "偷排", "水质"),
        ("河里的水发黑发臭，还有死鱼", "养殖场的污水直接排到沟里", "小区化粪池满了往外冒", "工厂往河道里偷排污水",
         "雨污管道混接，污水流进了河里")),
    "社会噪音": ({"生态环境": 0.7, "城乡建设": 0.15, "市场监管": 0.15}, 5,
        ("广场舞", "音响", "喇叭", "酒吧", "KTV", "噪音", "装修", "半夜", "吵闹", "低音炮"),
        ("广场舞音响开得太大，晚上九点多还在跳", "楼下商铺用大喇叭循环播放促销广告",
         "酒吧每天营业到后半夜，音乐声很吵", "楼上邻居半夜拖动家具", "KTV的低音震得整栋楼都在响")),
    "公交出行": ({"交通运输": 1.0}, 4,
        ("公交车", "班次", "公交站", "末班车", "地铁", "线路", "站台", "司机", "换乘", "刷卡"),
        ("公交车经常不按时间表发车，一等就是半小时", "公交司机不等乘客坐稳就猛开",
         "这条公交线路突然取消了，老人出行很不方便", "末班车提前发车，很多人没赶上", "公交站台被拆了没有恢复",
         "地铁换乘通道太远，也没有指示牌")),
    "出租网约": ({"交通运输": 0.9, "市场监管": 0.1}, 3,
        ("出租车", "网约车", "拒载", "绕路", "打表", "计价器", "平台", "司机", "车费", "投诉电话"),
        ("出租车司机拒载，说不顺路", "网约车司机故意绕路，多收了好几十", "出租车不打表，一口价要五十",
         "网约车司机半路让我下车", "司机开车打电话，还骂乘客")),
    "校园安全": ({"教育": 0.8, "交通运输": 0.2}, 1.5,
        ("学校", "校车", "校门口", "放学", "接送", "学生", "围墙", "小卖部", "安全", "老师"),
        ("学校门口放学的时候车辆乱停，孩子过马路很危险", "校车严重超载，一辆车塞了二十多个孩子",
         "学校周边小卖部卖三无零食", "学校的围墙有裂缝，怕倒下来伤到孩子", "接送孩子的面包车没有任何资质")),
    "入学收费": ({"教育": 0.85, "市场监管": 0.15}, 1.5,
        ("学位", "入学", "补课费", "辅导班", "校服", "教辅", "转学", "幼儿园", "学费", "户口"),
        ("孩子户口在这边却分不到学位", "学校收了补课费，还说是自愿的", "老师在课上暗示家长去他开的辅导班",
         "学校强制统一购买校服和教辅资料", "转学手续学校一直不给办", "幼儿园学费涨了一大截也没有说明")),
    "医疗服务": ({"卫生健康": 0.9, "劳动和社会保障": 0.1}, 2,
        ("医院", "挂号", "医生", "护士", "检查", "医保", "住院", "门诊", "药费", "疫苗"),
        ("医院挂号排了两个小时，医生看了两分钟", "医生态度很差，问多了就不耐烦", "医保卡在医院刷不了，说系统有问题",
         "做个检查要等半个月", "医院多收了检查费，明细对不上", "孩子打疫苗的时候护士操作不规范")),
}

PLACES = ("东城区", "西湖区", "高新区", "经开区", "城北区", "滨江新区", "南塘镇", "青石街道", "柳营乡", "开发区")
STREETS = ("人民路", "建设大道", "解放街", "长江路", "和平路", "中山北路", "学府路", "新华街", "工业园路", "光明巷")
ESTATES = ("阳光花园", "锦绣华庭", "翠湖苑", "幸福里", "金色家园", "枫林小区", "东方明珠苑", "和谐家园", "书香门第")
TIMES = ("最近一个月", "每天晚上", "从上周开始", "已经三天了", "今天早上", "这半年来", "前天下午", "一直以来", "")
OPENERS_CALLER = ("你好，我想反映个事，", "喂，我要投诉，", "你好，我是{estate}的住户，", "我想问一下，",
                  "麻烦帮我登记一下，", "我住在{place}{street}，", "", "")
OPENERS_SUMMARY = ("市民来电反映：", "来电人称，", "市民反映{place}{street}附近", "来电人反映其居住的{estate}",
                   "来电反映：")
FILLERS = ("打了好几次电话都没人管", "严重影响了正常生活", "希望有关部门尽快处理", "请帮忙协调一下", "要求给个说法",
           "不知道该找哪个部门", "之前反映过但是没有结果", "周边居民意见都很大", "老人孩子都受影响", "真的没办法了",
           "请相关部门核实处理", "希望能尽快回复", "找过社区，社区说管不了", "已经拍了照片和视频")
ENDINGS_SUMMARY = ("，要求相关部门核实处理。", "，请相关部门调查处理。", "，希望尽快解决。", "，要求给予答复。", "。")
FRAMES = ("{k}的问题一直没有解决", "关于{k}的事情想反映一下", "{k}这一块太乱了", "{k}出了问题没人管",
          "{k}和{j}都有问题", "还是{k}的事", "说是{k}不归他们管", "{k}那边推来推去", "问了{k}的情况，没人说得清",
          "{k}的事拖了很久")

@lru_cache(maxsize=1)
def _common_words() -> tuple[list[str], list[int]]:
    """Everyday words and their counts from jieba's dictionary: the long tail every archive has."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words, counts = [], []
    for line in path.open(encoding="utf-8"):
        word, count, tag = line.split()
        if len(word) >= 2 and int(count) >= 50 and tag[0] in "nva":
            words.append(word)
            counts.append(int(count))
    return words, counts


def _clause(rng: random.Random, topic: str) -> str:
    _, _, keys, phrases = TOPICS[topic]
    if rng.random() < 0.5:
        return rng.choice(phrases)
    k, j = rng.sample(keys, 2)
    return rng.choice(FRAMES).format(k=k, j=j)


def _typos(rng: random.Random, text: str, rate: float) -> str:
    return "".join(ch for ch in text if rng.random() >= rate)


def _one(rng: random.Random, topic: str) -> str:
    names = list(TOPICS)
    fill = {"place": rng.choice(PLACES), "street": rng.choice(STREETS), "estate": rng.choice(ESTATES)}
    parts = [_clause(rng, topic) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
    if rng.random() < 0.3:  # callers mention a neighbouring problem in passing
        parts.insert(rng.randrange(len(parts) + 1), _clause(rng, rng.choice(names)))
    words, counts = _common_words()
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        parts.insert(rng.randrange(len(parts) + 1), "".join(rng.choices(words, counts, k=rng.choice((1, 2)))))
    parts += rng.sample(FILLERS, k=rng.choice((0, 1, 1, 2)))
    when = rng.choice(TIMES)
    if when:
        parts[0] = when + "，" + parts[0]
    if rng.random() < 0.4:
        text = rng.choice(OPENERS_SUMMARY).format(**fill) + "，".join(parts) + rng.choice(ENDINGS_SUMMARY)
    else:
        text = rng.choice(OPENERS_CALLER).format(**fill) + "，".join(parts) + rng.choice(("。", "！", "", "？"))
    return _typos(rng, text, 0.02)


def archive(n: int, *, seed: int = 0, fine: bool = False, noise: float = 0.06) -> tuple[list[str], list[str]]:
    """``n`` texts and their labels: the 7 classes, or the 20 sub-topics with ``fine``."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    weights = [TOPICS[t][1] for t in topics]
    labels_all = sorted({c for t in topics for c in TOPICS[t][0]}) if not fine else topics
    texts, labels = [], []
    for _ in range(n):
        topic = rng.choices(topics, weights)[0]
        odds = TOPICS[topic][0]
        label = topic if fine else rng.choices(list(odds), list(odds.values()))[0]
        if rng.random() < noise:
            label = rng.choice(labels_all)
        texts.append(_one(rng, topic))
        labels.append(label)
    return texts, labels


def segmented(texts: list[str]) -> list[str]:
    """The texts cut into words with spaces, as some archives export them (plain jieba, not the project's own)."""
    import jieba

    jieba.setLogLevel(60)
    return [" ".join(w for w in jieba.lcut(t) if w.strip()) for t in texts]
