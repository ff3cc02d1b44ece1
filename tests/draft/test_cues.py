"""Category cue words, as written and as ASR hears them."""

import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.draft.cues import Cues

DEMO = load_centre(shipped_centre_folder())
CUES = Cues(DEMO.taxonomy)
category_cues, stated_appeal = CUES.category_cues, CUES.stated_appeal


@pytest.mark.parametrize(
    ("said", "category"),
    [
        ("我吃了阻断药还来得及吗", "传染病防控"),  # as written
        ("那个组断药，我今天开始吃还有用吗", "传染病防控"),  # 组 for 阻, by sound
        ("小区里有人得了灯隔热", "传染病防控"),  # 登革热 heard as 灯隔热
        ("社区医院把医疗费务扔在垃圾桶边上", "公共卫生"),  # 医疗废物
        ("宾馆的床单上有头发", "公共卫生"),  # public-place hygiene
        ("我打了120，车一个小时才到", "急救服务"),
    ],
)
def test_cue_words_point_at_their_category(said, category):
    cues = category_cues(said)
    assert max(cues, key=cues.get) == category


@pytest.mark.parametrize(
    "said",
    [
        "医生提醒我按时吃药",  # 提醒 sounds like 提成, but two-character cues are never taken by sound
        "我心里很难受",  # 心里 / 心理
        "一块钱一包的辣条",  # 一包 / 医保
        "理疗一次120块，做了十几分钟",  # an amount, not the ambulance number
        "电话是13512045678",
    ],
)
def test_ordinary_words_are_no_cues(said):
    assert category_cues(said) == {}


def test_a_stated_appeal_decides_unless_negated():
    assert stated_appeal(["我要举报一家黑诊所"])[0] == "举报"
    assert stated_appeal(["我不是举报，就是问问"]) is None


@pytest.mark.parametrize(
    ("readback", "expected"),
    [
        ("好的，我核对一下：您咨询孩子打完疫苗以后能不能洗澡，对吗？", "咨询"),
        ("我帮您理一下：您请求有关部门派人来清理小区的积水，可以吗？", "求助"),
        ("那我这么写：您建议医院在晚上多开一个儿科诊室。", "建议"),
        ("我核对一下：上周三您在医院缴费两次，您要求退还多收的钱，对吗？", None),  # 您要求: every appeal says it
    ],
)
def test_the_readback_names_the_appeal(readback, expected):
    told = CUES.readback_appeal([readback])
    assert (told[0] if told else None) == expected


@pytest.fixture(scope="module")
def classifiers():
    from assistant.draft.labels import load_classifiers

    return load_classifiers(DEMO.models_dir, DEMO.taxonomy)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((("caller", "小区的水是黄的，家里老人一直拉"), ("op", "听起来比较紧急，我这边马上通知疾控。")), "紧急"),
        ((("caller", "孩子烧得厉害"), ("op", "您先别慌，请直接打120。")), "紧急"),  # the operator acts now
        # advice for later is not urgency
        ((("caller", "打完疫苗发烧正常吗"), ("op", "一般两天会退，要是烧到三十九度，就马上去医院。")), "一般"),
        ((("caller", "想问一下办证要带什么"), ("op", "如果哪天材料不齐，请马上打电话问窗口。")), "一般"),
        # how long something has lasted is not that it happens now
        ((("caller", "做完那个小手术到现在半个多月了，一直在出血，医生就开点药"),), "一般"),
    ],
)
def test_urgency_from_what_the_operator_does(classifiers, lines, expected):
    from assistant.draft.labels import classify
    from assistant.draft.text import turns_of
    from assistant.transcript.model import Segment, Transcript

    segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
    turns = turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left", segments=segments))
    assert classify(turns, classifiers, CUES, DEMO.taxonomy)["urgency"].value == expected


def test_a_caller_in_danger_now_asks_for_help(classifiers):
    from assistant.draft.labels import classify
    from assistant.draft.text import turns_of
    from assistant.transcript.model import Segment, Transcript

    def appeal(*lines):
        segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
        turns = turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left", segments=segments))
        return classify(turns, classifiers, CUES, DEMO.taxonomy)["appeal_type"]

    # the seed classifiers alone call this one 投诉 (0.76)
    urgent = appeal(("caller", "楼里的自来水一股怪味，好几家现在还在拉肚子，快派人来查"),
                    ("op", "听起来比较紧急，我马上通知疾控。"))
    assert urgent.value == "求助" and urgent.evidence
    # a caller who names the appeal keeps it, danger or not
    named = appeal(("caller", "我要举报，那家店卖的东西吃了现在还在吐"), ("op", "听起来比较紧急，我马上通知。"))
    assert named.value == "举报"


def test_the_category_is_the_callers_matter_not_the_operators_advice(classifiers):
    from assistant.draft.labels import classify
    from assistant.draft.text import turns_of
    from assistant.transcript.model import Segment, Transcript

    lines = (("caller", "村口那个没有牌子的小牙科给我拔了牙，到现在血还止不住，那人根本没有行医执照。"),
             ("op", "您马上打120，或者赶紧叫救护车去医院急诊，让急救医生先给您止血，120来得快。"))
    segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
    turns = turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left", segments=segments))
    assert classify(turns, classifiers, CUES, DEMO.taxonomy)["category"].value == "非法行医"


def test_with_a_readback_the_category_reads_it_not_the_advice(classifiers):
    from assistant.draft.extract.readback import mark_readbacks
    from assistant.draft.labels import classify
    from assistant.draft.text import turns_of
    from assistant.transcript.model import Segment, Transcript

    lines = (("caller", "村口那个小牙科给我拔了牙，血一直止不住。"),
             ("op", "我核对一下：今天下午您在村口一家没有牌子的牙科拔牙，对方没有行医执照，您要求查处，对吗？"),
             ("caller", "对。"),
             ("op", "您马上打120，或者赶紧叫救护车去医院急诊，让急救医生先给您止血，120来得快。"))
    segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
    turns = mark_readbacks(turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left",
                                               segments=segments)))
    assert classify(turns, classifiers, CUES, DEMO.taxonomy)["category"].value == "非法行医"
