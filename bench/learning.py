"""Benchmark: how a centre's category model improves as operators correct it, through ``hotline learn``'s code.

    python bench/learning.py [--batches 8] [--batch 50] [--seed-per-class 5] [--test-per-class 50]

A 12345-style centre whose taxonomy and vocabulary are not the demo centre's: seven problem categories
(城乡建设, 交通运输, 劳动和社会保障, 市场监管, 生态环境, 教育, 卫生健康). Its calls come from a generator below:
each category has problems said in a formal way (the seed's) and in the ways callers say them, with places,
openings, durations and demands shared by every category, problems that share words across categories
(食堂 in a school and in a restaurant, 噪音 from a building site and from a factory, 退费 from a school and a
gym), callers saying who they are in passing (a worker calling about a restaurant), ASR-like noise and a few
wrong labels (1% of calls confirmed with a wrong category).

The starting model is trained on a small seed in the formal wording only and installed in a centre profile
in a temporary folder. Then calls arrive: each is drafted by the real ``Drafter``, filed with its call in a
SQLite store with the operator's confirmed category (``ticket_from_draft``: a wrong draft becomes a
correction), and after every ``--batch`` corrections the store's corrections are learned from
(``correction_examples`` + ``learn``, holdout 0.2, installed only when better). After each batch the model
in use is scored on calls never filed (the same generator, another random stream).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from assistant.centre import load_centre  # noqa: E402
from assistant.centre.setup import init_centre  # noqa: E402
from assistant.classify import persist  # noqa: E402
from assistant.classify.data import Table  # noqa: E402
from assistant.classify.learning import TooFewCorrections, learn  # noqa: E402
from assistant.classify.training import install_table  # noqa: E402
from assistant.classify.versions import active_folder  # noqa: E402
from assistant.draft.drafter import Drafter  # noqa: E402
from assistant.draft.model import CallContext  # noqa: E402
from assistant.draft.text import turns_of  # noqa: E402
from assistant.lexicon.units import load_units  # noqa: E402
from assistant.store.corrections import correction_examples  # noqa: E402
from assistant.store.db import make_engine  # noqa: E402
from assistant.store.migrate import reset  # noqa: E402
from assistant.store.models import FieldCorrection  # noqa: E402
from assistant.store.tickets import add_call, ticket_from_draft  # noqa: E402
from assistant.transcript.model import Segment, Speaker, Transcript  # noqa: E402

# Per category: problems, each as (the formal wording, then ways callers say it).
PROBLEMS: dict[str, list[tuple[str, ...]]] = {
    "城乡建设": [
        ("小区路灯长期不亮", "我们小区那几盏路灯黑了快一个月了", "晚上小区里黑咕隆咚的，灯一直不亮"),
        ("道路路面破损", "门口那条路坑坑洼洼的，到处是坑", "马路烂得不成样子，电动车都摔了好几个"),
        ("窨井盖缺失", "路边的井盖不见了，一个大窟窿", "下水道盖子没了，小孩差点掉下去"),
        ("违章搭建", "楼顶有人私自加盖了一层", "一楼住户把院子围起来盖了个棚子"),
        ("夜间施工扰民", "工地半夜还在打桩，吵得睡不着", "晚上十一二点了工地还在轰隆隆干活"),
        ("老旧小区改造进度慢", "说好的旧改拖了一年还没动工", "外墙脚手架搭了半年没人干活"),
        ("电梯频繁故障", "楼里电梯三天两头坏，还困过人", "电梯老是卡在半截，物业也不修"),
        ("供水管道漏水", "小区地下水管爆了，一直在冒水", "家里停水两天了，说是管子坏了没人来修"),
    ],
    "交通运输": [
        ("公交车不按时发车", "等了四十分钟公交都没来一辆", "那路公交车老是脱班，上班天天迟到"),
        ("出租车拒载", "打车说去医院司机不拉", "的哥嫌路近不肯走，还骂人"),
        ("出租车绕路多收费", "司机故意绕远路，多收了三十块", "打表打到一百多，明明平时五十"),
        ("网约车安全问题", "网约车司机开车打电话还闯红灯", "坐的网约车跟软件上的车牌对不上"),
        ("公交站点撤销", "家门口的公交站突然撤了", "站台拆了也没个通知，老人得走很远"),
        ("货车超载超限", "大货车拉得冒尖，土一路掉", "重卡天天从村里过，桥都压裂了"),
        ("共享单车乱停放", "地铁口单车堆成山，路都走不了", "共享电单车把盲道全占了"),
        ("驾校培训纠纷", "驾校交了钱一直约不上车练", "教练要好处才给安排考试"),
    ],
    "劳动和社会保障": [
        ("拖欠劳动报酬", "老板欠了我们三个月工钱不给", "干完活包工头跑了，工资一分没拿到"),
        ("未签订劳动合同", "干了一年单位一直不跟我签合同", "入职时说试用期过了签，到现在也没签"),
        ("未依法缴纳社会保险", "公司不给我们交社保", "查了才发现单位断缴了半年养老保险"),
        ("养老金待遇问题", "退休金这个月少发了两百", "我父亲的养老金迟迟办不下来"),
        ("工伤认定", "在厂里手被机器轧了，厂里不认工伤", "干活摔断了腿，老板说是我自己不小心"),
        ("违法解除劳动合同", "公司突然把我开了，一分补偿没有", "怀孕了单位就逼我辞职"),
        ("加班费", "天天加班到半夜，加班费一分没有", "周末都要上班，也不给调休不给钱"),
        ("失业保险金申领", "失业金申请了两个月还没到账", "去领失业补助说材料不齐让来回跑"),
    ],
    "市场监管": [
        ("商家缺斤少两", "菜市场买的肉回家一称少了二两", "水果摊的秤有问题，五斤只有四斤"),
        ("销售过期食品", "超市买的牛奶过期半个月了", "便利店卖的面包都长毛了"),
        ("预付卡经营者跑路", "办了健身卡，健身房突然关门了", "理发店充了两千块，老板卷钱跑了"),
        ("虚假宣传", "保健品说能治高血压，根本没用", "广告上说买一送一，到店里不认账"),
        ("价格欺诈", "标价三十结账收五十", "明码标价的东西结账时偷偷加价"),
        ("假冒伪劣产品", "网上买的名牌鞋是假货", "买的电热水壶一用就冒火花"),
        ("网购退换货纠纷", "网上买的衣服七天内退货商家不给退", "快递收到是坏的，店家一直拖着不处理"),
        ("餐饮服务卫生问题", "饭馆后厨脏得不行，苍蝇乱飞", "外卖里吃出了虫子，吃完还拉肚子"),
    ],
    "生态环境": [
        ("工业废气排放", "附近化工厂天天冒黑烟", "工厂晚上偷偷排气，一股刺鼻的味"),
        ("河道水体污染", "小区旁边的河又黑又臭", "有人往河里排污水，鱼都死了"),
        ("工业噪声扰民", "厂房机器日夜轰鸣，吵得人心慌", "隔壁加工厂的风机声音大得很，夜里也不停"),
        ("餐饮油烟污染", "楼下烧烤店油烟直往我家窗户里灌", "饭店排烟管对着住户，衣服都晾不了"),
        ("建筑扬尘", "工地渣土不盖网，灰尘满天飞", "搅拌站一刮风全是灰，车上落一层"),
        ("露天焚烧垃圾", "村口有人天天烧垃圾，烟熏得睁不开眼", "有人露天烧塑料，味道特别呛"),
        ("危险废物倾倒", "半夜有车往荒地里倒不明液体", "山沟里堆了好多废油桶"),
        ("养殖污染", "养猪场粪水直接流到田里", "养鸡场臭气熏天，夏天根本没法开窗"),
    ],
    "教育": [
        ("学校违规收费", "学校让交资料费，还不给收据", "老师让每个学生交三百块班费"),
        ("校外培训机构退费难", "培训班不上了想退费，机构不退", "辅导班老板跑了，学费打了水漂"),
        ("入学学位安排", "孩子户口在这边却分不到学位", "小学报名说房子不符合条件不让读"),
        ("校车安全", "接孩子的校车严重超载", "幼儿园的车又破又旧，司机还抽烟"),
        ("学校食堂餐食质量", "孩子学校食堂的饭菜里有头发", "学生吃了食堂的饭好几个拉肚子"),
        ("教师体罚学生", "老师打了我家孩子耳光", "班主任罚孩子在走廊站了一上午"),
        ("课后服务安排", "课后托管收了费却没人看着", "学校放学太早家长根本接不了"),
        ("学生课业负担重", "孩子作业写到晚上十一点", "周末还要补课，孩子累得不行"),
    ],
    "卫生健康": [
        ("医院就诊排队时间长", "医院挂个号排了三个小时", "看病等了一上午，医生看了两分钟"),
        ("医务人员服务态度差", "护士说话很冲，问两句就不耐烦", "医生爱答不理，问什么都说不知道"),
        ("非法行医", "小区里有个黑诊所给人打吊针", "有人没有执照在家里给人拔牙"),
        ("疫苗接种安排", "社区打疫苗预约不上", "孩子的预防针一直说没货"),
        ("医疗费用争议", "住院费用清单里有好多没用过的药", "做个检查收了两遍钱"),
        ("急救响应慢", "打了120救护车一个小时才到", "救护车来了还要先交钱才拉人"),
        ("传染病防控", "楼里有人得了肺结核，也没人来消毒", "学校好几个孩子出水痘，家长很担心"),
        ("药品质量问题", "药店买的药吃了过敏起疹子", "诊所开的药过期了还在卖"),
    ],
}
CATEGORIES = tuple(PROBLEMS)
# Who is calling and from where, said in passing: a hint of a category, and misleading in another's call
# (a worker calling about a restaurant, a parent about a bus).
MENTIONS: dict[str, tuple[str, ...]] = {
    "城乡建设": ("我们小区是老小区", "物业说这事归社区管", "社区让我找住建部门"),
    "交通运输": ("我每天坐公交上班", "我是开出租的", "我刚下地铁"),
    "劳动和社会保障": ("我在厂里打工", "我们是外地来的农民工", "我刚退休"),
    "市场监管": ("我在超市门口", "我是做小生意的", "我刚从商场出来"),
    "生态环境": ("我们这边挨着化工厂", "我家旁边就是河", "我们村周边都是厂子"),
    "教育": ("我孩子在三小上学", "我是学生家长", "我是学校老师"),
    "卫生健康": ("我刚从医院出来", "我家老人常年看病", "我是社区医生"),
}
OPENINGS = ("喂，你好，", "你好，我想反映个事，", "我要投诉，", "麻烦问一下，", "", "喂喂，能听到吗，我说一下，",
            "我想咨询一下，", "同志你好，", "那个，")
DISTRICTS = ("东城区", "西湖区", "江北新区", "高新区", "老城区", "临港开发区")
PLACES = ("人民路", "解放大道", "建设街", "滨江路", "和平里", "幸福家园小区", "火车站", "第三中学", "菜市场",
          "工业园", "城中村", "开发区")
DETAILS = ("已经好长时间了", "都两个多星期了", "打了好几次电话都没人管", "找过相关单位也没用", "反映过好几回了", "",
           "影响特别大", "周围邻居都有意见", "")
DEMANDS = ("希望你们尽快处理一下", "请有关部门管一管", "能不能给个说法", "麻烦帮我们协调一下", "谢谢", "我要求赔偿",
           "请尽快派人来看看", "")
# What a recogniser confuses: a character for one that sounds alike, and what callers insert while thinking.
SOUNDS_ALIKE = {"的": "得", "在": "再", "做": "作", "已": "以", "那": "哪", "他": "她", "里": "理", "是": "事",
                "到": "道", "时": "十", "了": "啦", "就": "旧", "有": "又"}
FILLERS = ("嗯", "那个", "就是说", "呃", "怎么说呢")
SEED_FORMS = ("反映{}的问题", "关于{}", "我要反映{}", "{}的情况", "投诉{}")


NUMERALS = "两三四五六"


def noisy(text: str, rng: random.Random) -> str:
    """What a recogniser and a hesitant caller make of ``text``, with the amounts and durations varied."""
    chars = [rng.choice(NUMERALS) if c in NUMERALS else c for c in text]
    for _ in range(rng.choice((0, 0, 1, 2, 3))):
        i = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.5 and chars[i] in SOUNDS_ALIKE:
            chars[i] = SOUNDS_ALIKE[chars[i]]
        elif roll < 0.75:
            del chars[i]
        else:
            chars.insert(i, rng.choice(FILLERS))
    return "".join(chars)


def call_text(category: str, rng: random.Random) -> str:
    """A caller telling one problem of ``category`` the way callers do."""
    said = rng.choice(PROBLEMS[category])
    problem = said[0] if rng.random() < 0.15 else rng.choice(said[1:])
    where = rng.choice((f"我住在{rng.choice(DISTRICTS)}{rng.choice(PLACES)}，", f"在{rng.choice(PLACES)}这边，", ""))
    roll = rng.random()
    about = category if roll < 0.3 else rng.choice(CATEGORIES) if roll < 0.55 else None
    mention = f"{rng.choice(MENTIONS[about])}，" if about else ""
    parts = [rng.choice(OPENINGS), mention, where, problem, "，", rng.choice(DETAILS), "，", rng.choice(DEMANDS), "。"]
    return noisy("".join(parts).replace("，，", "，").replace("，。", "。"), rng)


def seed_rows(per_class: int, rng: random.Random) -> list[tuple[str, str]]:
    """The starting seed: formal wording only, of the first problems of each category."""
    return [(rng.choice(SEED_FORMS).format(PROBLEMS[c][i % len(PROBLEMS[c])][0]), c)
            for c in CATEGORIES for i in range(per_class)]


def transcript(n: int, caller: str, rng: random.Random) -> Transcript:
    staff = rng.randrange(1000, 9999)
    turns = ((Speaker.OPERATOR, f"您好，12345热线，工号{staff}，请讲。"), (Speaker.CALLER, caller),
             (Speaker.OPERATOR, "好的，您反映的情况我记下了，会尽快转交相关部门处理。"))
    return Transcript(id=f"sim-{n:05d}", source="", duration=30.0, channels="op-left",
                      segments=tuple(Segment(s, 10.0 * i, 10.0 * i + 9, t, 0.9) for i, (s, t) in enumerate(turns)))


def taxonomy_of(folder: Path) -> None:
    """Replace the demo centre's sixteen health categories by the seven of a 12345 centre."""
    path = folder / "taxonomy.toml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("[category]"), text.index("[urgency]")
    labels = "".join(f'[[category.labels]]\nname = "{c}"\ndescription = "{c}类诉求"\n\n' for c in CATEGORIES)
    path.write_text(text[:start] + '[category]\ntitle = "问题分类"\n\n' + labels + text[end:], encoding="utf-8")


def score(folder: Path, texts: list[str], truth: list[str]) -> tuple[float, float]:
    predicted = persist.load(folder).pipeline.predict(texts)
    return (float(accuracy_score(truth, predicted)),
            float(f1_score(truth, predicted, average="macro", zero_division=0)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--batch", type=int, default=50, help="corrections between two learnings")
    ap.add_argument("--seed-per-class", type=int, default=5)
    ap.add_argument("--test-per-class", type=int, default=50)
    ap.add_argument("--label-noise", type=float, default=0.01, help="share of calls confirmed with a wrong label")
    ap.add_argument("--random-seed", type=int, default=12345)
    args = ap.parse_args()

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="bench-learning-"))
    folder = init_centre(work / "centre")
    taxonomy_of(folder)
    os.environ["HOTLINE_CENTRE"] = str(folder)  # deadlines and the rest read the same centre
    centre = load_centre(folder)
    rng, test_rng = random.Random(args.random_seed), random.Random(args.random_seed + 1)
    seed = seed_rows(args.seed_per_class, rng)
    install_table(Table(tuple(t for t, _ in seed), tuple(c for _, c in seed), "seed.tsv"), centre, "category",
                  made="seed")
    tests = [(transcript(-1, call_text(c, test_rng), test_rng), c) for c in CATEGORIES
             for _ in range(args.test_per_class)]
    test_texts = ["".join(t.text for t in turns_of(tr)) for tr, _ in tests]
    test_truth = [c for _, c in tests]
    engine = make_engine(f"sqlite:///{work / 'hotline.db'}")
    reset(engine)
    directory = load_units(centre.units_path)

    rows = [(0, 0, 0, "—", *score(active_folder(centre.models_dir, "category"), test_texts, test_truth))]
    filed = corrections = 0
    drafter = Drafter(directory, centre=centre)
    for batch in range(1, args.batches + 1):
        target = batch * args.batch
        while corrections < target:
            truth = rng.choice(CATEGORIES)
            tr = transcript(filed, call_text(truth, rng), rng)
            confirmed = rng.choice(CATEGORIES) if rng.random() < args.label_noise else truth
            draft = drafter.draft(tr, CallContext(call_start=datetime.now(UTC), hotline="12345", operator_id="1001"))
            values = {**draft.to_dict()["ticket"], "category": confirmed}
            with Session(engine) as session, session.begin():
                call = add_call(session, tr, external_id=tr.id, started_at=datetime.now(UTC), hotline="12345")
                ticket_from_draft(session, draft, actor="接线员1001", call=call, values=values,
                                  model_version=drafter.models_version)
            filed += 1
            corrections += draft.fields["category"].value != confirmed
        with Session(engine) as session:
            examples, skipped = correction_examples(session, "category", centre.taxonomy.labels("category"))
            assert session.query(FieldCorrection).filter_by(field="category").count() == corrections
        try:
            outcome = learn(centre, "category", examples, holdout=0.2, skipped=skipped)
            used = "installed" if outcome.installed else "kept"
        except TooFewCorrections:
            used = "too few"
        drafter = Drafter(directory, centre=centre)
        rows.append((batch, filed, corrections, used,
                     *score(active_folder(centre.models_dir, "category"), test_texts, test_truth)))
        print(f"batch {batch}: {filed} filed, {corrections} corrections, {used}", file=sys.stderr)

    print(f"Scored on {len(tests)} later calls never filed ({args.test_per_class} per category).\n")
    print("| batch | calls filed | corrections so far | learned model | accuracy | macro-F1 |")
    print("|---:|---:|---:|:--|---:|---:|")
    for batch, n_filed, n_corr, used, acc, f1 in rows:
        print(f"| {batch} | {n_filed} | {n_corr} | {used} | {acc:.3f} | {f1:.3f} |")
    print(f"\n{time.monotonic() - started:.0f} s; work folder {work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
