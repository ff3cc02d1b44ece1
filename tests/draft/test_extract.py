"""Table-driven extraction: one row per way a caller (or an ASR transcript) says it."""

from datetime import datetime

import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.draft.extract.names import extract_caller_name
from assistant.draft.extract.phone import GUESSED, extract_phone
from assistant.draft.extract.places import Departments, extract_department, extract_institution
from assistant.draft.extract.times import extract_incident_time
from assistant.draft.linking import UnitLinker
from assistant.draft.text import turns_of
from assistant.transcript.model import Segment, Transcript

DEMO = load_centre(shipped_centre_folder())
DEPARTMENTS = Departments(DEMO.vocabulary.ticket_departments)

SATURDAY = datetime(2026, 5, 23, 9, 30)


def turns(*lines):
    """('op'|'caller', text) pairs → turns, as the drafter sees them."""
    segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
    return turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left", segments=segments))


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("电话是13920475861。", "13920475861"),
        ("电话是139，2047，5861。", "13920475861"),  # grouped
        ("电话幺三九二零四七五八六一", "13920475861"),  # 幺 and Chinese digits
        ("我的电话一三九 二零四七 五八六一", "13920475861"),
        ("座机0571-87654321", "057187654321"),  # landline with area code
        ("电话113920475861", "13920475861"),  # ASR doubled a digit: the mobile number inside is offered
    ],
)
def test_phone_as_spoken(said, expected):
    assert extract_phone(turns(("caller", said))).value == expected


def test_confirmed_readback_wins_and_hotline_numbers_never_count():
    t = turns(
        ("op", "您好，12320卫生健康热线，工号1027。"),
        ("caller", "电话是13920475860。"),
        ("op", "13920475861，对吗？"),
        ("caller", "对。"),
    )
    assert extract_phone(t).value == "13920475861"
    unconfirmed = turns(("caller", "电话是13920475860。"), ("op", "13920475861，对吗？"), ("caller", "不对，是60"))
    assert extract_phone(unconfirmed).value == "13920475860"


def test_a_number_the_asr_guessed_is_offered_as_less_sure():
    heard = Segment("caller", 0, 1, "电话是15912345678。", 0.9, guessed=("15912345678",))
    guessed = turns_of(Transcript(id="t", source="", duration=2, channels="op-left", segments=(heard,)))
    phone = extract_phone(guessed)
    assert (phone.value, phone.confidence) == ("15912345678", GUESSED)
    assert extract_phone(turns(("caller", "电话是15912345678。"))).confidence > GUESSED
    # a number the caller gives again and ASR heard at first reading wins over the guess, even when earlier
    again = Segment("caller", 2, 3, "电话是15912345679。", 0.9)
    both = turns_of(Transcript(id="t", source="", duration=3, channels="op-left", segments=(again, heard)))
    assert extract_phone(both).value == "15912345679"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((("caller", "我叫吴晓燕，口天吴的吴，春晓的晓。"),), "吴晓燕"),
        ((("caller", "我姓黄，电话15820473361。"), ("op", "好的黄女士，我记一下。")), "黄女士"),
        ((("caller", "姓彭，彭国强。"),), "彭国强"),
        ((("caller", "林涛，树林的林，波涛的涛。"),), "林涛"),
        ((("caller", "心黄，电话15820473361。"), ("op", "好的黄女士。")), "黄女士"),  # ASR: 姓 heard as 心
        ((("caller", "我姓熊。"),), "熊先生/女士"),  # gender unknown
        ((("caller", "名字就不留了。"),), None),
        # ASR lost the name but kept how the surname was spelled out
        ((("caller", "晓东，黄色的黄，春晓的晓，电话13729056618。"),), "黄先生/女士"),
        ((("caller", "丽华，宋朝的送，美丽的丽，电话18730275962。"),), "宋先生/女士"),  # 送 sounds like 宋
        ((("caller", "徐明，双人旁一个余的徐，手机15967243405。"),), "徐先生/女士"),  # a description
        ((("caller", "我是来反映我妈的事，电话13852074612。"),), None),  # no character spelled out
        ((("caller", "上班的时候摔的，电话13852074612。"),), None),
        # ASR wrote the surname as a commoner character that sounds the same
        ((("op", "请问您贵姓？"), ("caller", "我信梦，电话是13682024739。")), "孟先生/女士"),  # 我姓孟
        ((("op", "请问您怎么称呼？"), ("caller", "我姓将，电话先不留了。")), "蒋先生/女士"),
        ((("op", "请问您怎么称呼？"), ("caller", "我叫胶文斌，胶水的胶，电话15862049137。")), "焦文斌"),
        ((("op", "请问您的姓名？"), ("caller", "下婷，下天的下，电话17740263958。")), "夏婷"),
        ((("op", "您贵姓？"), ("caller", "我姓邓。"), ("op", "等先生，我确认一下。")), "邓先生"),
        ((("caller", "电话18957204638。"), ("op", "等先生，我确认一下。")), "邓先生"),  # the operator's address
        ((("caller", "电话18957204638。"), ("op", "好的先生，我确认一下。")), None),  # 的 is no surname
        ((("op", "请问您贵姓？"), ("caller", "幸好，电话18957204638。")), None),  # 幸 without 我 is no 姓
        ((("op", "请问您怎么称呼？"), ("caller", "我心里很乱，电话18957204638。")), None),  # 里 is no name
    ],
)
def test_caller_name(lines, expected):
    assert extract_caller_name(turns(*lines)).value == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((("caller", "你好，我是石慧敏，想说说我妈住院的事。"),), "石慧敏"),
        ((("caller", "我是外地来打工的，孩子病了。"),), None),
        ((("caller", "我是江南区的，想问问医保。"),), None),
        ((("caller", "我是护士，想问执业证的事。"),), None),
        ((("op", "您怎么称呼？"), ("caller", "叫我阎老师就行。")), "阎老师"),
        ((("op", "您的姓名？"), ("caller", "问这个干嘛。"), ("op", "登记需要。"),
          ("caller", "那就写权女士吧，权力的权。")), "权女士"),
        ((("op", "您的名字是？"), ("caller", "那行，柯志远，木字旁一个可的柯。")), "柯志远"),  # given when asked again
        ((("op", "您的名字？"), ("caller", "闻立新，新闻的闻。")), "闻立新"),  # spelled: a surname outside the list
        ((("caller", "我叫郁小红，郁是忧郁的郁。"),), "郁小红"),
        ((("caller", "我叫原晓东，电话13820471593。"),), "袁晓东"),  # not spelled: the common surname sounding so
        # somebody else's surname (姓龚) is not the caller's
        ((("caller", "我想表扬一个护士，姓龚。"), ("op", "好的。您贵姓？"), ("caller", "我姓詹。")), "詹先生/女士"),
        ((("caller", "那个主任姓龚，态度很差。"),), None),
        ((("caller", "是不是要孩子写申请，我写得不好。"),), None),  # 写 before a word is no name
        # as ASR writes them
        ((("caller", "苏明慧，电话13512045678。"),), "苏明慧"),  # name then number: no question needed
        ((("caller", "我叫苏明苏是苏州的苏电话13512045678"),), "苏明"),  # comma lost: the spelling repeats 苏
        ((("op", "您贵姓？"), ("caller", "我请糖，电话13512045678。")), "唐先生/女士"),  # 姓 heard as 请
        ((("op", "您方便留姓名吗？"), ("caller", "不留了，电话你记一下，13512045678。")), None),  # declined
        ((("op", "您贵姓？"), ("caller", "姓芮，草字头一个内。")), "芮先生/女士"),  # a rare surname described
        ((("op", "您贵姓？"), ("caller", "鄢，鄢陵的鄢。")), "鄢先生/女士"),  # … or spelled alone
        ((("op", "您贵姓？"), ("caller", "计，计划的计。")), "计先生/女士"),
        ((("caller", "我请糖，电话13512045678。"),), None),  # … only when the name was asked for
    ],
)
def test_caller_name_other_ways(lines, expected):
    assert extract_caller_name(turns(*lines)).value == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("就是前天，礼拜四下午，我去看病", "2026-05-21"),
        ("昨天夜里十一点半", "2026-05-22T23:30"),
        ("这周三晚上，快十一点了", "2026-05-20T23:00"),
        ("上周三去的", "2026-05-13"),
        ("3月18日晚上十点左右", "2026-03-18T22:00"),
        ("12月20号那天", "2025-12-20"),  # a date after today is last year's
        ("上个月10号", "2026-04-10"),
        ("今天上午10点", "2026-05-23T10:00"),
        ("我想问一下怎么办证", None),
    ],
)
def test_incident_time_resolved_against_call_start(said, expected):
    assert extract_incident_time(turns(("caller", said)), SATURDAY).value == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("中午十二点喝的汤，现在全家都在吐", "2026-05-22T12:00"),  # SATURDAY is 9:30: noon is yesterday's
        ("早上八点多摔的，到现在还起不来", "2026-05-23T08:00"),
        ("凌晨三点四十破的水", "2026-05-23T03:40"),
        ("我七点二十打的电话，车还没来", "2026-05-23T07:20"),
        ("晚上十一点半他发来的消息", "2026-05-22T23:30"),  # still to come today: last night
        ("现在好一点了", None),  # 一点 is no time
        ("明天下午三点要复查", None),  # a plan
        ("我们每天晚上九点睡觉", None),  # a habit
        ("这个月二十号凌晨三点多生的", "2026-05-20T03:00"),
        ("五月二十亿出的院", "2026-05-20"),  # 日 heard as 亿 after a month and a day
    ],
)
def test_a_time_of_day_alone_is_the_latest_before_the_call(said, expected):
    assert extract_incident_time(turns(("caller", said)), SATURDAY).value == expected


@pytest.mark.parametrize(
    "said",
    ["他们周六周日不开门，只能请假去", "周一到周五都要上班", "哪怕周日上午开半天也好"],
)
def test_weekdays_of_a_schedule_or_a_wish_are_no_date(said):
    assert extract_incident_time(turns(("caller", said)), SATURDAY).value is None


def test_a_readback_that_says_only_the_time_of_day():
    t = turns(("caller", "孩子在急诊等到半夜。"),
              ("op", "我核对一下：晚上九点多起，您带孩子在儿童医院急诊候诊，导诊台只有一个人，您建议加强导诊，对吗？"),
              ("caller", "对。"))
    assert extract_incident_time(t, SATURDAY).value == "2026-05-22T21:00"


def test_an_hour_after_another_date_is_not_the_first_dates():
    said = "前天做的检查，今晚一点多开始发烧"
    assert extract_incident_time(turns(("caller", said)), SATURDAY).value == "2026-05-21"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("我想投诉市一院的一个护士", "临江市第一人民医院"),  # alias
        ("江北那个人民医院", "江北区人民医院"),  # partial name
        ("我们打车送到是二院急诊", "临江市第二人民医院"),  # ASR sound-alike
        ("滨江那边社区医院把针头乱扔", "滨江街道社区卫生服务中心"),
        ("上次临江市第二人民医院给我看的", "临江市第二人民医院"),  # 第二 is not a mishearing of 第一
        ("我在家里摔了一跤", None),
    ],
)
def test_institution_linking(directory, said, expected):
    field, _ = extract_institution(turns(("caller", said)), UnitLinker(directory, DEMO.units))
    assert field.value == expected
    if expected:
        assert field.evidence and field.evidence[0].segment == 0


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("好的，这个工单转给江南区卫健局，三天内回复您。", "江南区卫生健康局"),
        ("回头我给江南区卫健局派一个工单。", "江南区卫生健康局"),  # 给 … 派工单
        ("稍后给江南区卫健局派工单。", "江南区卫生健康局"),
        ("我给江南区卫健局打过电话，他们不管。", "临江市市场监督管理局"),  # 给 without a dispatch: no routing
        ("您可以去江南区卫健局问问，工单我先记下。", "临江市市场监督管理局"),  # advice, not routing
        # other scripts: the centre as the subject, or the unit asked to act, without 工单
        ("这条线索我们会移交江南区卫健局调查。", "江南区卫生健康局"),
        ("好的，我们转江南区卫健局，请您留意电话。", "江南区卫生健康局"),
        ("我帮您登记，请江南区卫健局给您答复。", "江南区卫生健康局"),
        ("会由江南区卫健局核实处理。", "江南区卫生健康局"),
        ("您的建议会转交是江南区卫健局研究。", "江南区卫生健康局"),  # 市 heard as 是 before the unit
        ("请您自己再问问江南区卫健局。", "临江市市场监督管理局"),  # 请 the caller: advice
        ("由江南区卫健局发的通知您看到了吗？", "临江市市场监督管理局"),  # 由 without the unit acting
    ],
)
def test_unit_is_where_the_operator_sends_the_ticket(directory, operator, expected):
    from assistant.draft.labels import route
    from assistant.draft.model import FieldValue

    t = turns(("caller", "我要反映一个饭店卖过期食品的事。"), ("op", operator))
    linker = UnitLinker(directory, DEMO.units)
    institution, mentions = extract_institution(t, linker)
    category = FieldValue("食品安全", 0.8, (), (("食品安全", 0.8),))
    assert route(t, mentions, linker, DEMO.taxonomy, category, institution).value == expected


def test_praise_goes_to_the_unit_praised(directory):
    from assistant.draft.labels import route
    from assistant.draft.model import FieldValue

    t = turns(("caller", "我想表扬江北区人民医院的一个医生，他把我塞的购物卡退回来了。"))
    linker = UnitLinker(directory, DEMO.units)
    institution, mentions = extract_institution(t, linker)
    category = FieldValue("医德医风", 0.8, (), (("医德医风", 0.8),))  # not a category that hospital handles
    praise, complaint = FieldValue("表扬", 0.9), FieldValue("投诉", 0.9)
    assert route(t, mentions, linker, DEMO.taxonomy, category, institution, praise).value == "江北区人民医院"
    assert route(t, mentions, linker, DEMO.taxonomy, category, institution, complaint).value == "江北区卫生健康局"


def test_a_regulator_named_as_where_to_turn_still_routes(directory):
    from assistant.draft.labels import route
    from assistant.draft.model import FieldValue

    t = turns(("caller", "我给江北区卫健局提个建议，社区医院周末也开个配药窗口。"))
    linker = UnitLinker(directory, DEMO.units)
    institution, mentions = extract_institution(t, linker, "建议")
    assert institution.value is None
    category = FieldValue("就医流程", 0.8, (), (("就医流程", 0.8),))
    assert route(t, mentions, linker, DEMO.taxonomy, category, institution).value == "江北区卫生健康局"


@pytest.mark.parametrize(
    ("said", "appeal", "expected"),
    [
        ("电话是13512045678。", None, None),  # 120 inside a phone number is no ambulance centre
        ("江北区人民路一家饭店，菜里有虫。", None, None),  # a street the sound-alike repair made a hospital of
        ("我马上打了120，车十分钟就到了。", None, "临江市急救中心"),
        ("我给疾控提个建议，公园里蚊子太多。", "建议", None),  # a regulator named as where to turn
        ("我要表扬疾控的两位工作人员。", "表扬", "临江市疾病预防控制中心"),  # … or praised: what the call is about
        ("我给疾控提个建议，公园里蚊子太多。", None, "临江市疾病预防控制中心"),  # appeal unknown: as before
    ],
)
def test_institution_numbers_and_regulators(directory, said, appeal, expected):
    field, _ = extract_institution(turns(("caller", said)), UnitLinker(directory, DEMO.units), appeal)
    assert field.value == expected


def test_department_from_readback_first():
    t = turns(("caller", "我去看的是内科"), ("op", "我核对一下：您在市一院心内科就诊，对吗？"), ("caller", "对"))
    assert extract_department(t, DEPARTMENTS).value == "心内科"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("我在市二院股科看的膝盖", "骨科"),  # 股科: the sound of 骨科, too short for the pinyin snapping
        ("挂的是急症科的号", "急诊科"),
        ("孩子发烧，人在儿童医院急诊排队", "急诊科"),  # the emergency room of a hospital
        ("救护车把他送到市二院急诊，收了六百块", None),  # the ambulance's destination, not the matter
        ("医生说这是科学规律", None),
    ],
)
def test_department_as_asr_writes_it(said, expected):
    assert extract_department(turns(("caller", said)), DEPARTMENTS).value == expected


DEPARTMENTS_OF_CENTRE = Departments(DEMO.vocabulary.ticket_departments, DEMO.vocabulary.not_departments)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("我妈住江北区人民医院康复医学科，治疗师很耐心", "康复医学科"),  # not in the centre's list: by its shape
        ("前天去市二院内镜中心做的胃镜", "内镜中心"),
        ("孩子在临江市精神卫生中心的儿童青少年心理科看过", "儿童青少年心理科"),
        ("望湖社区医院二楼防保科一直占线", "防保科"),
        ("滨江社区卫生服务中心三楼公卫科的人说要等", "公卫科"),  # the centre's own name after a floor
        ("市一院公众号上一直抢不到号", None),  # a verb breaks the name: no department
        ("在市一院住院部办的手续", None),  # a place of the hospital, no department
        ("我妈住市二院护士内科，医生说是呼吸内科的病", "呼吸内科"),  # ASR's shape of a misheard name: the centre's wins
    ],
)
def test_department_named_after_its_unit(directory, said, expected):
    t = turns(("caller", said))
    institution, mentions = extract_institution(t, UnitLinker(directory, DEMO.units))
    assert extract_department(t, DEPARTMENTS_OF_CENTRE, institution.value, mentions).value == expected


def test_no_department_without_an_institution():
    t = turns(("caller", "在村口那个小诊所看的骨科，医生没有证"))
    assert extract_department(t, DEPARTMENTS_OF_CENTRE, None, []).value is None
    assert extract_department(t, DEPARTMENTS_OF_CENTRE).value == "骨科"  # without the institution: as before


@pytest.mark.parametrize(
    "cue",
    ["我核对一下", "我附数一下", "我跟您合对一下", "我核对依下"],  # the cue as said, and as Whisper hears it
)
def test_readback_is_recognised_when_misheard(directory, cue):
    readback = f"好的，{cue}，您说的是临江市妇幼保健院儿科，对吗？"
    t = turns(("caller", "我在那个医院看的病"), ("op", readback), ("caller", "对"))
    assert t[1].readback and t[1].confirmed
    assert extract_institution(t, UnitLinker(directory, DEMO.units))[0].value == "临江市妇幼保健院"
    assert extract_department(t, DEPARTMENTS).value == "儿科"


@pytest.mark.parametrize("cue", ["我何必依下", "我进入一下", "我确认一价", "我跟您合作一下"])
def test_readback_is_recognised_by_its_shape_in_a_long_turn(directory, cue):
    readback = f"好的，{cue}，上周五下午您带孩子去临江市妇幼保健院儿科看病，护士态度生硬，您希望医院调查并回复。"
    t = turns(("caller", "我在那个医院看的病"), ("op", readback), ("caller", "对"))
    assert t[1].readback
    assert extract_institution(t, UnitLinker(directory, DEMO.units))[0].value == "临江市妇幼保健院"


@pytest.mark.parametrize(
    "said",
    [
        "我给您解释一下，办这个证要带户口本和身份证原件，工作日去区政务中心二楼窗口办理，当天就能拿到。",
        "我何必依下",  # the shape alone, in a short turn
    ],
)
def test_explanations_and_short_turns_are_no_readback(said):
    assert not turns(("op", said), ("caller", "好的"))[0].readback


def test_ordinary_operator_turn_is_no_readback():
    t = turns(("op", "您别着急，慢慢说，那天是怎么回事？"), ("caller", "是这样的"))
    assert not t[0].readback


def test_readback_date_takes_the_callers_hour_of_that_day():
    t = turns(
        ("caller", "昨天上午十点左右，我带我妈去看病。"),
        ("op", "我核对一下，5月22日，您陪母亲去看病，对吗？"),  # the read-back's hour was lost to ASR
        ("caller", "对。"),
    )
    field = extract_incident_time(t, SATURDAY)
    assert field.value == "2026-05-22T10:00"
    assert len(field.evidence) == 2
    other_day = turns(("caller", "前天上午十点"), ("op", "我核对一下，5月22日，对吗？"), ("caller", "对。"))
    assert extract_incident_time(other_day, SATURDAY).value == "2026-05-22"
