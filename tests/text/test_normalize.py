import pytest

from assistant.text.normalize import end_sentence, normalize_numbers, punctuate, to_simplified


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("电话是幺三九二零四七五八六一", "电话是13920475861"),  # 幺 for 1
        ("电话是一三九 二零四七 五八六一", "电话是13920475861"),  # grouped digits
        ("电话是139 2047 5861", "电话是13920475861"),  # grouped Arabic digits
        ("手机号一三九-零零一二-三四五六", "手机号13900123456"),
        ("座机零五七一八七六五四三二一", "座机057187654321"),  # landline with area code
        ("电话可以留158.3021.7946", "电话可以留15830217946"),  # grouped with dots
        ("工号一零二七，请问", "工号1027，请问"),  # staff number announced by 工号
        ("工号是零三八", "工号是038"),
        ("打的幺二三二零", "打的12320"),  # hotline number
        ("挂号费五十块钱", "挂号费50块钱"),  # amount in Chinese numerals
        ("一共花了两千五百块", "一共花了2500块"),
        ("退了三百二十元", "退了320元"),
        ("交了一万二千元", "交了12000元"),
        ("孩子是九月三十日晚上发烧的", "孩子是9月30日晚上发烧的"),  # a date as written Chinese writes it
        ("是六月二十三月上午", "是6月23日上午"),  # 日 heard as 月: no month has a 23rd month after it
        ("老人摔了，赶紧打一百二十", "老人摔了，赶紧打120"),  # the emergency number after a dialling verb
        ("被幺二零拉走了", "被120拉走了"),
        ("打完一百二十就在楼下等", "打完120就在楼下等"),
        ("一百二十急救车半小时才到", "120急救车半小时才到"),  # followed by what the number calls
        ("住在西环路一百零六号三楼", "住在西环路106号三楼"),  # a house number
        ("四十八小时内回复，二十个工作日内办结", "48小时内回复，20个工作日内办结"),  # two-digit time limits
    ],
)
def test_numbers_become_digits(spoken, expected):
    assert normalize_numbers(spoken) == expected


@pytest.mark.parametrize(
    "ordinary",
    ["我去看一下一个医生", "十点来钟", "三三两两", "七十三岁", "一五一十地说", "第二个指标", "一一核实", "体温38.5度",
     "一共1080.50元", "三个工作日内", "等了两三个小时", "十三月五日", "一号楼", "说好五月三号来",
     "二月八月都去过", "来了一百二十个人"],
)
def test_counting_words_are_left_alone(ordinary):
    assert normalize_numbers(ordinary) == ordinary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("請問有什麼可以幫您", "请问有什么可以帮您"),
        ("醫院的態度", "医院的态度"),
        ("他看著我，很著急", "他看着我，很着急"),  # 著 as the particle 着
        ("著名專家，效果顯著", "著名专家，效果显著"),  # 著 in its own words stays
    ],
)
def test_traditional_becomes_simplified(raw, expected):
    assert to_simplified(raw) == expected


def test_punctuation_is_chinese():
    assert punctuate("你好, 请问 有什么事?") == "你好，请问，有什么事？"
    assert end_sentence("好的，") == "好的。"
    assert end_sentence("对吗？") == "对吗？"
