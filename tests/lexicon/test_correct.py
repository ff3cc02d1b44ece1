import pytest

from assistant.lexicon.correct import TermCorrector
from assistant.lexicon.terms import DEPARTMENTS


@pytest.fixture(scope="module")
def corrector(directory):
    return TermCorrector([*DEPARTMENTS, *directory.spellings()])


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("我在新内科看的病", "我在心内科看的病"),  # same sound, 新 for 心
        ("昨天去了是一院", "昨天去了市一院"),  # 是 for 市
        ("去急症科挂号", "去急诊科挂号"),  # zhen / zheng
        ("我打了市急就中心", "我打了市急救中心"),
        ("社区说去疾空中心问", "社区说去疾控中心问"),
        ("孩子在儿同医院住院", "孩子在儿童医院住院"),
        ("我去了市中一院", "我去了市中医院"),
    ],
)
def test_near_misses_snap_to_directory_names(corrector, heard, meant):
    assert corrector.correct(heard) == meant


@pytest.mark.parametrize(
    "ordinary",
    [
        "今天看了新闻联播",
        "我心里很难受",
        "医生说要住院观察",
        "他是一个好人",
        "市一院心内科的孙主任",  # already right
        "我们一起去吃饭吧",
    ],
)
def test_ordinary_words_are_not_touched(corrector, ordinary):
    assert corrector.correct(ordinary) == ordinary


def test_short_terms_are_never_snapped():
    corrector = TermCorrector(["儿科", "骨科"])
    assert corrector.correct("而可以") == "而可以"


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("您好，位生建康学县", "您好，卫生健康热线"),  # long name: one syllable misheard, few shared characters
        ("政府服务辨明热线", "政务服务便民热线"),
    ],
)
def test_long_hotline_names_snap_by_sound(heard, meant):
    from assistant.lexicon.terms import HOTLINE_TERMS

    assert TermCorrector(HOTLINE_TERMS).correct(heard) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("功耗1146，请问", "工号1146，请问"),
        ("公号五一二六", "工号五一二六"),
        ("工号102期，请问", "工号1027，请问"),  # 期 sounds like 七
        ("功耗很大", "功耗很大"),  # no number after it: an ordinary word
    ],
)
def test_staff_number_by_sound(heard, meant):
    from assistant.lexicon.correct import fix_staff_number

    assert fix_staff_number(heard) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("您好，1230 卫生健康热线", "您好，12320 卫生健康热线"),
        ("打了1234热线", "打了12345热线"),
        ("我花了5000，热线说", "我花了5000，热线说"),  # punctuation in between: not a hotline number
        ("12320热线", "12320热线"),
    ],
)
def test_hotline_numbers(heard, meant):
    from assistant.lexicon.correct import fix_hotline_numbers

    assert fix_hotline_numbers(heard) == meant
