"""Table-driven extraction: one row per way a caller (or an ASR transcript) says it."""

from datetime import datetime

import pytest

from assistant.draft.extract.names import extract_caller_name
from assistant.draft.extract.phone import GUESSED, extract_phone
from assistant.draft.extract.places import extract_department, extract_institution
from assistant.draft.extract.times import extract_incident_time
from assistant.draft.linking import UnitLinker
from assistant.draft.text import turns_of
from assistant.transcript.model import Segment, Transcript

SATURDAY = datetime(2026, 5, 23, 9, 30)


def turns(*lines):
    """('op'|'caller', text) pairs → turns, as the drafter sees them."""
    segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
    return turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left", segments=segments))


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("电话是13857162409。", "13857162409"),
        ("电话是138，5716，2409。", "13857162409"),  # grouped
        ("电话幺三八五七一六二四零九", "13857162409"),  # 幺 and Chinese digits
        ("我的电话一三八 五七一六 二四零九", "13857162409"),
        ("座机0571-87654321", "057187654321"),  # landline with area code
        ("电话113857162409", "13857162409"),  # ASR doubled a digit: the mobile number inside is offered
    ],
)
def test_phone_as_spoken(said, expected):
    assert extract_phone(turns(("caller", said))).value == expected


def test_confirmed_readback_wins_and_hotline_numbers_never_count():
    t = turns(
        ("op", "您好，12320卫生健康热线，工号1027。"),
        ("caller", "电话是13857162400。"),
        ("op", "13857162409，对吗？"),
        ("caller", "对。"),
    )
    assert extract_phone(t).value == "13857162409"
    unconfirmed = turns(("caller", "电话是13857162400。"), ("op", "13857162409，对吗？"), ("caller", "不对，是00"))
    assert extract_phone(unconfirmed).value == "13857162400"


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
        ((("caller", "我叫周丽萍，周末的周，美丽的丽。"),), "周丽萍"),
        ((("caller", "我姓黄，电话15067238815。"), ("op", "好的黄女士，我记一下。")), "黄女士"),
        ((("caller", "姓侯，侯建军。"),), "侯建军"),
        ((("caller", "程亮，工程的程，明亮的亮。"),), "程亮"),
        ((("caller", "心黄，电话15067238815。"), ("op", "好的黄女士。")), "黄女士"),  # ASR: 姓 heard as 心
        ((("caller", "我姓熊。"),), "熊先生/女士"),  # gender unknown
        ((("caller", "名字就不留了。"),), None),
        # ASR lost the name but kept how the surname was spelled out
        ((("caller", "历新，熊猫的熊，立正的立，电话13968245107。"),), "熊先生/女士"),
        ((("caller", "庆风，严格的岩，庆祝的庆，电话15867024419。"),), "严先生/女士"),  # 岩 sounds like 严
        ((("caller", "汪明，三点水一个王的汪，手机15906713385。"),), "汪先生/女士"),  # a description
        ((("caller", "我是来反映我妈的事，电话13968245107。"),), None),  # no character spelled out
        ((("caller", "上班的时候摔的，电话13968245107。"),), None),
        # ASR wrote the surname as a commoner character that sounds the same
        ((("op", "请问您贵姓？"), ("caller", "我信证，电话是15805732916。")), "郑先生/女士"),  # 我姓郑
        ((("op", "请问您怎么称呼？"), ("caller", "我姓谈，电话就不用留了吧。")), "谭先生/女士"),
        ((("op", "请问您怎么称呼？"), ("caller", "我叫胶红霉，胶极的胶，电话13868304715。")), "焦红霉"),
        ((("op", "请问您的姓名？"), ("caller", "下学，下天的下，电话18367152094。")), "夏学"),
        ((("op", "您贵姓？"), ("caller", "我姓孟。"), ("op", "梦先生，我确认一下。")), "孟先生"),
        ((("caller", "电话18157630248。"), ("op", "梦先生，我确认一下。")), "孟先生"),  # the operator's address
        ((("caller", "电话18157630248。"), ("op", "好的先生，我确认一下。")), None),  # 的 is no surname
        ((("op", "请问您贵姓？"), ("caller", "幸好，电话18157630248。")), None),  # 幸 without 我 is no 姓
        ((("op", "请问您怎么称呼？"), ("caller", "我心里很乱，电话18157630248。")), None),  # 里 is no name
    ],
)
def test_caller_name(lines, expected):
    assert extract_caller_name(turns(*lines)).value == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("就是前天，礼拜四下午，我去看病", "2026-05-21"),
        ("昨天晚上十一点半", "2026-05-22T23:30"),
        ("这周三晚上，快十一点了", "2026-05-20T23:00"),
        ("上周三去的", "2026-05-13"),
        ("3月18日晚上十一点左右", "2026-03-18T23:00"),
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
        ("我要投诉一下市一院的一个医生", "临江市第一人民医院"),  # alias
        ("江北那个人民医院", "江北区人民医院"),  # partial name
        ("我们打车送到是二院急诊", "临江市第二人民医院"),  # ASR sound-alike
        ("滨江那个社区医院把针头往外倒", "滨江街道社区卫生服务中心"),
        ("我在临江市第二人民医院看的", "临江市第二人民医院"),  # 第二 is not a mishearing of 第一
        ("我在家里摔了一跤", None),
    ],
)
def test_institution_linking(directory, said, expected):
    field, _ = extract_institution(turns(("caller", said)), UnitLinker(directory))
    assert field.value == expected
    if expected:
        assert field.evidence and field.evidence[0].segment == 0


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("好的，工单会转交江北区卫生健康局，3个工作日内联系您。", "江北区卫生健康局"),
        ("我也给江北区卫生健康局派个工单，请他们联系您。", "江北区卫生健康局"),  # 给 … 派工单
        ("我马上给江北区卫生健康局派工单。", "江北区卫生健康局"),
        ("我给江北区卫生健康局打过电话，他们不管。", "临江市市场监督管理局"),  # 给 without a dispatch: no routing
        ("您可以去江北区卫生健康局问问，工单我先记下。", "临江市市场监督管理局"),  # advice, not routing
    ],
)
def test_unit_is_where_the_operator_sends_the_ticket(directory, operator, expected):
    from assistant.draft.labels import route
    from assistant.draft.model import FieldValue

    t = turns(("caller", "我要反映一个饭店卖过期食品的事。"), ("op", operator))
    institution, mentions = extract_institution(t, UnitLinker(directory))
    category = FieldValue("食品安全", 0.8, (), (("食品安全", 0.8),))
    assert route(t, mentions, directory, category, institution).value == expected


def test_department_from_readback_first():
    t = turns(("caller", "我去看的是内科"), ("op", "我核对一下：您在市一院心内科就诊，对吗？"), ("caller", "对"))
    assert extract_department(t).value == "心内科"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("我在市二院股科看的膝盖", "骨科"),  # 股科: the sound of 骨科, too short for the pinyin snapping
        ("挂的是急症科的号", "急诊科"),
        ("我现在在儿童医院急诊，孩子发烧", "急诊科"),  # the emergency room of a hospital
        ("救护车把他送到市二院急诊，收了六百块", None),  # the ambulance's destination, not the matter
        ("医生说这是科学规律", None),
    ],
)
def test_department_as_asr_writes_it(said, expected):
    assert extract_department(turns(("caller", said))).value == expected


@pytest.mark.parametrize(
    "cue",
    ["我核对一下", "我附数一下", "我跟您合对一下", "我核对依下"],  # the cue as said, and as Whisper hears it
)
def test_readback_is_recognised_when_misheard(directory, cue):
    readback = f"好的，{cue}，您在临江市妇幼保健院产科就诊，对吗？"
    t = turns(("caller", "我在那个医院看的病"), ("op", readback), ("caller", "对"))
    assert t[1].readback and t[1].confirmed
    assert extract_institution(t, UnitLinker(directory))[0].value == "临江市妇幼保健院"
    assert extract_department(t).value == "产科"


@pytest.mark.parametrize("cue", ["我何必依下", "我进入一下", "我确认一价", "我跟您合作一下"])
def test_readback_is_recognised_by_its_shape_in_a_long_turn(directory, cue):
    readback = f"好的，{cue}，上周五下午您在临江市妇幼保健院产科做产检，护士态度生硬，您希望医院调查并回复。"
    t = turns(("caller", "我在那个医院看的病"), ("op", readback), ("caller", "对"))
    assert t[1].readback
    assert extract_institution(t, UnitLinker(directory))[0].value == "临江市妇幼保健院"


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
    t = turns(("op", "您别着急，慢慢说，当时具体发生了什么？"), ("caller", "是这样的"))
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
