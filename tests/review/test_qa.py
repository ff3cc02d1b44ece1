"""The QA checklist judges what was said, in the order and words the centre's script allows: one row per way of
saying (or failing to say) each item, and a centre of another script."""

import pytest

from assistant.centre import Script
from assistant.centre.profile import Hotline
from assistant.draft.text import turns_of
from assistant.review.qa import run_checks
from assistant.transcript.model import Segment, Transcript

DEMO = Script(hotlines=(Hotline("12320", ("卫生健康热线", "健康热线")),
                        Hotline("12345", ("政务服务便民热线", "便民热线"))),
              other_numbers=("12315",), staff_number_digits=4, greeting="您好，{hotline}{name}，工号{staff}，请讲",
              phrases=("我跟您核对一下", "您的诉求是", "当场答复", "本次不转办"))
APPEALS = ("投诉", "举报", "咨询")
# A centre whose operators say the number and name, then N号话务员 with five digits, and no 您好.
OTHER = Script(hotlines=(Hotline("12345", ("政务服务便民热线", "便民热线")),), staff_number_digits=5,
               greeting="{hotline}{name}，{staff}号话务员为您服务")


def check(key, *lines, script=DEMO):
    segments = tuple(Segment(spk, i * 3.0, i * 3.0 + 2.0, text, 0.9) for i, (spk, text) in enumerate(lines))
    turns = turns_of(Transcript("t", "", 3.0 * len(lines), "op-left", segments))
    return next(r for r in run_checks(turns, script, APPEALS) if r.key == key)


@pytest.mark.parametrize("said", [
    "12320卫生健康热线，工号3318，您好。",  # the hotline first, 您好 last
    "您好，12320卫生健康热线，工号3318，请讲。",
    "工号3318为您服务，您好，这边是卫健热线。",  # the name in part, the staff number first
    "您好，幺二三二零，工号三三幺八，请讲。",  # numerals as the ASR writes them
    "你好，健康热线，3318号话务员为您服务。",
    "您好，12320卫生尖康热线，公号3318，请讲。",  # heard as other characters of the same sound
    "下午好，12345，8021号为您服务。",  # the two numbers joined by the normaliser
    "您好 12320衛生健康熱線 工號 3 3 1 8 請講",  # Traditional characters, digits spaced
])
def test_greetings_that_pass(said):
    result = check("greeting", ("op", said), ("caller", "你好，我想问个事。"))
    assert result.passed, result.evidence
    assert result.segment == 0 and result.shown.startswith("第 1 句：开场说了")


@pytest.mark.parametrize(("said", "missing"), [
    ("您好，12320卫生健康热线，请讲。", "工号"),
    ("您好，工号3318，请讲。", "热线名称或号码"),
    ("12320热线，工号3318。", "问候语"),
    ("您好，12320卫生健康热线，工号331，请讲。", "工号位数不对"),
    ("您好，12320卫生健康热线，工号33185，请讲。", "为 5 位，应为 4 位"),
    ("您好，12315市场监管热线，工号3318。", "热线名称或号码"),  # another hotline's number
    ("您好，服务热线，工号3318。", "热线名称或号码"),  # 热线 alone names no hotline
    ("您好，12320卫生健康热线，我是小周，请讲。", "工号"),
])
def test_greetings_that_fail_say_what_is_missing(said, missing):
    result = check("greeting", ("op", said), ("caller", "喂。"))
    assert not result.passed and missing in result.evidence


def test_a_greeting_cut_by_the_caller_is_read_over_two_turns_but_not_later():
    assert check("greeting", ("op", "您好，12320热线。"), ("caller", "喂？听得见吗？"),
                 ("op", "听得见，我是工号5126，请讲。"), ("caller", "我想反映个事。")).passed
    late = check("greeting", ("op", "喂，您好。"), ("caller", "我想反映个事。"), ("op", "您说。"),
                 ("caller", "医院排队太久了。"), ("op", "好的，我是12320热线工号5126，会帮您转交。"))
    assert not late.passed and "热线名称或号码" in late.evidence


@pytest.mark.parametrize(("said", "passed"), [
    ("12345政务服务便民热线，10293号话务员为您服务。", True),  # no 您好 in this centre's script
    ("便民热线，一零二九三号话务员为您服务。", True),
    ("12345便民热线，1029号话务员为您服务。", False),  # four digits where this centre has five
    ("您好，12320卫生健康热线，工号3318。", False),  # the demo centre's greeting is not this centre's
])
def test_another_centres_script_decides(said, passed):
    assert check("greeting", ("op", said), ("caller", "你好。"), script=OTHER).passed is passed


@pytest.mark.parametrize("lines", [
    [("caller", "电话是13907712468。"), ("op", "139 0771 2468，对吗？"), ("caller", "对。")],
    [("caller", "一三九，零七七一，二四六八。"), ("op", "13907712468，是吧？"), ("caller", "是的。")],
    [("caller", "座机0571-86025137。"), ("op", "零五七一，八六零二，五一三七，对吗？"), ("caller", "对的。")],
    [("op", "您是用来电的这个号码15024719368联系吗？"), ("caller", "对，就打这个。")],
    [("caller", "13757719052。"), ("op", "13757719025，对吗？"), ("caller", "不对，是052结尾。"),
     ("op", "13757719052，对吗？"), ("caller", "对了。")],
])
def test_phone_read_back_and_agreed(lines):
    result = check("phone_readback", ("op", "您好，请讲。"), *lines)
    assert result.passed, result.evidence
    assert result.segment == len(lines) - 1 and "复述“" in result.evidence


@pytest.mark.parametrize(("lines", "why"), [
    ([("caller", "电话13907712468。"), ("op", "好的，记下了。"), ("caller", "嗯。")], "没有复述"),
    ([("caller", "电话13907712468。"), ("op", "尾号2468是吧？"), ("caller", "对。")], "没有复述"),
    ([("caller", "电话13907712468。"), ("op", "13907712486，对吗？"), ("caller", "嗯……不太对，是468结尾。"),
      ("op", "好的。")], "没有确认"),
    ([("caller", "电话13907712468。"), ("op", "13907712468，我记下了。"), ("op", "您还有别的事吗？")], "没有确认"),
    ([("op", "您的工单编号是12320-20261203-0042。"), ("caller", "好。")], "没有复述"),
])
def test_phone_not_read_back_or_not_agreed(lines, why):
    result = check("phone_readback", ("op", "您好，请讲。"), *lines)
    assert not result.passed and why in result.evidence


def test_a_read_back_one_digit_off_is_said_to_be_a_possible_mishearing():
    result = check("phone_readback", ("caller", "18368025147。"), ("op", "18368025141，对吗？"), ("caller", "对。"))
    assert result.passed and "差一位" in result.evidence


ACCOUNT = ("caller", "我前天在城北区中心医院看急诊，医生把药开错了，吃了起疹子，你们管管。")


@pytest.mark.parametrize("said", [
    "我跟您核对一下：您前天在城北区中心医院急诊，医生开错了药，吃了起疹子，希望医院说明原因，对吗？",
    "您是要投诉城北区中心医院急诊医生开错药，让您吃了起疹子，对吧？",  # no cue word, a question tag
    "我负数一下，您前天在城北区中心医院急诊被开错了药，要求医院处理，对吗？",  # 复述 misheard
    "您看我这样记录行不行：城北区中心医院急诊医生开错药导致起疹子，您要求医院处理。",
])
def test_demand_restated_and_agreed(said):
    result = check("demand_confirmed", ("op", "您好，请讲。"), ACCOUNT, ("op", said), ("caller", "对，就是这个。"))
    assert result.passed and result.segment == 2


@pytest.mark.parametrize(("said", "reply", "why"), [
    ("我核对一下，是城北区中心医院急诊，前天晚上，对吗？", "对。", "没有复述"),  # place and time only
    ("我核对一下电话，13907712468，对吗？", "对。", "没有复述"),
    ("我确认一下，您是想投诉城北区中心医院的收费，对吗？", "不是，是开错药。", "没有认可"),
    ("好的，您反映的城北区中心医院开错药的事我都记下了。", "谢谢。", "没有复述"),
])
def test_demand_not_restated_or_not_agreed(said, reply, why):
    result = check("demand_confirmed", ("op", "您好，请讲。"), ACCOUNT, ("op", said), ("caller", reply))
    assert not result.passed and why in result.evidence


@pytest.mark.parametrize("said", [
    "好的，工单会转交医院，五个工作日以内答复您。",
    "您的工单编号是12320-20261203-0042，我们会在12月4日前给您答复。",
    "好的，区疾控中心明天下班前会联系您。",
    "按紧急工单处理，二十四小时内会有人联系您。",
    "这个问题当场答复您，本次不转办。",  # nothing to hear back about
    "好的，您的问题已当厂答复。",  # the script's phrase heard as other characters
])
def test_closing_with_when_the_caller_hears_back(said):
    result = check("closing_time_limit", ("op", "您好，请讲。"), ACCOUNT, ("op", said), ("caller", "好。"),
                   ("op", "感谢您的来电，再见。"))
    assert result.passed and result.segment == 2


@pytest.mark.parametrize("said", [
    "好的，我们会尽快帮您反映给医院。",
    "好，过几天会有人去处理的。",
    "好的，我们今天就把工单转给医院。",  # when it is sent, not when the caller hears back
    "好的，有结果会通知您的。",
])
def test_closing_without_a_time_limit(said):
    result = check("closing_time_limit", ("op", "您好，请讲。"), ACCOUNT, ("op", said), ("caller", "好。"),
                   ("op", "感谢您的来电，再见。"))
    assert not result.passed and "结束时未告知" in result.evidence


def test_a_time_limit_said_mid_call_is_not_the_close():
    result = check("closing_time_limit", ("op", "一般是十个工作日内答复，我帮您催一下。"), ACCOUNT,
                   ("op", "好的，我这边给您催办。"), ("caller", "好。"), ("op", "还有其他问题吗？"),
                   ("caller", "没有了。"), ("op", "感谢您的来电，再见。"))
    assert not result.passed
