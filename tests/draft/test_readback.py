"""Read-backs worded otherwise than 核对一下: one row per way an operator restates the call."""

import pytest

from assistant.draft.extract.readback import mark_readbacks
from assistant.draft.text import turns_of
from assistant.transcript.model import Segment, Transcript


def turns(*lines):
    segments = tuple(Segment(spk, i, i + 1, text, 1.0) for i, (spk, text) in enumerate(lines))
    return mark_readbacks(turns_of(Transcript(id="t", source="", duration=len(lines), channels="op-left",
                                              segments=segments)))


@pytest.mark.parametrize(
    "said",
    [
        "我帮您理一下：上个月八号您在临江市中医院推拿科做推拿，被推销了一千多块钱的药酒，您要求退款，可以吗？",
        "那我这么写：前天晚上您在小区门口的烧烤摊吃了烤串，半夜开始肚子疼，您要求有关部门去查这个摊子。",
        "好的田女士，您反映的是上周三下午社区医院打疫苗时护士没有核对孩子姓名，您希望中心加强管理。",
        "您看我这样记录行不行：您建议儿童医院在周末多开几个儿科诊室，减少家长排队的时间，方便上班族。",
        "跟您再对一遍：这个月五号江北区人民医院收了您两次检查费，一直没退，您要求退还多收的钱，对吧？",
        "我这边记录的是：您母亲昨天在医院摔了一跤，当时没有护工在旁边，您要求医院说明情况并承担检查费用。",
        "倪先生反映本月三号在市二院口腔科拔牙后一直出血，复诊时医生不给处理，要求医院安排复诊并说明原因。",
        "侯先生，您请求疾控调查小区的腹泻呕吐并消毒，对吧？",  # short, but it opens with the account and asks
    ],
)
def test_restatements_are_readbacks(said):
    t = turns(("caller", "就是这么回事"), ("op", said), ("caller", "行，就这样。"))
    assert t[1].readback and t[1].confirmed


@pytest.mark.parametrize(
    "said",
    [
        # advice and explanations to the caller, long as a read-back but telling nothing of the call
        "您可以先去医院的医务科反映，如果协商不成，也可以申请调解，您要求退费的话最好把票据都留好。",
        "好的，表扬信息会在今天转到医院，医院会把处理结果反馈给我们，我们再告诉您，请您留意电话。",
        "医保的报销比例要看您参保的类型，职工医保和居民医保不一样，具体的比例以医保局的答复为准。",
        "您咨询的这个问题，如果是在外地看病的话，也可以在手机上先办备案，回来以后再按规定报销。",
        "您反映的情况我都记下了",  # short
        "您请求的事我记下了，还有别的吗？",  # short and asks, but restates nothing
    ],
)
def test_advice_and_short_turns_are_no_readbacks(said):
    t = turns(("caller", "就是这么回事"), ("op", said), ("caller", "好的。"))
    assert not t[1].readback


def test_a_statement_is_confirmed_only_by_the_callers_yes():
    said = "我帮您理一下：上个月八号您在临江市中医院推拿科做推拿，被推销了一千多块钱的药酒，您要求退款，可以吗？"
    assert not turns(("op", said), ("caller", "不对，是九号。"))[0].confirmed
    assert not turns(("op", said))[0].confirmed


def test_a_number_read_back_with_another_tag_is_confirmed():
    from assistant.draft.extract.phone import extract_phone

    t = turns(("caller", "电话是13512045670。"), ("op", "13512045678，对吧？"), ("caller", "对的。"))
    assert t[1].confirmed and not t[1].readback
    assert extract_phone(t).value == "13512045678"
