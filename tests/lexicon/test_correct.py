import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.lexicon.correct import TermCorrector, sounds_alike

DEMO = load_centre(shipped_centre_folder())
DEPARTMENTS = DEMO.vocabulary.departments
HOTLINE_TERMS = (*DEMO.script.numbers, *(n for h in DEMO.script.hotlines for n in h.names), *DEMO.vocabulary.terms)


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
        ("我来说一下而同医院挂号难的事", "我来说一下儿童医院挂号难的事"),  # four: half shared, same sound
        ("我老婆在复用保健院做的产检", "我老婆在妇幼保健院做的产检"),  # five: one syllable with its initial kept
        ("上周将北七人民医院拍的片子", "上周江北区人民医院拍的片子"),  # 七 heard for 区 is no numeral of the name
        ("我妈去是医院看眼科", "我妈去市一院看眼科"),  # after 去 a unit is expected: one shared character will do
        ("上个月在是医院住的院", "上个月在市一院住的院"),
        ("后来去了是医院，一查", "后来去了市一院，一查"),  # 去了, 复查, 通知 … also expect a place or unit
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
        "市场监管部门管不管这个",  # 部 / 局: bu and ju share no final (ju is jü)
        "临江市第二人民医院的大夫说的",  # 第二 is never a mishearing of 第一
        "但是医院一直不给答复",  # 是医院 without a verb of place before it
        "现在是医院的责任",  # 在 of 现在
        # a name that sounds alike and shares two characters, but the clause reads better as it is
        "这台手术是主任做的",  # 手术 / 是, not 手术室
        "我的透析时间改到了下午",  # 时间, not 透析室 间
        "他从医院回来就躺下了",  # 从 / 中 alike only by a rare reading of 从
    ],
)
def test_ordinary_words_are_not_touched(corrector, ordinary):
    assert corrector.correct(ordinary) == ordinary


def test_after_a_routing_verb_only_a_three_character_name_may_gain_less(directory):
    corrector = TermCorrector([*HOTLINE_TERMS, *directory.spellings()])
    assert corrector.correct("这事交卫生监督去查") == "这事交卫生监督去查"  # 卫生监督局 still needs the margin
    assert corrector.correct("这事交是医院去查") == "这事交市一院去查"


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
    assert TermCorrector(HOTLINE_TERMS).correct(heard) == meant


@pytest.fixture(scope="module")
def script_corrector(directory):
    return TermCorrector([*HOTLINE_TERMS, *DEMO.script.phrases, *directory.spellings()])


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("您好，政府服务变灵阵线", "您好，政务服务便民热线"),  # three syllables off, two of them near
        ("请问有什么可疑帮您？", "请问有什么可以帮您？"),
        ("您说个姓名合电话", "您说个姓名和电话"),
        ("两个工作系内联系家属", "两个工作日内联系家属"),  # 系 xi keeps the final of 日 ri
        ("那就案紧急攻单处理", "那就按紧急工单处理"),
        ("请零将是为生建康综合监督执法局去查", "请临江市卫生健康综合监督执法局去查"),
        ("出院小节上写着呢", "出院小结上写着呢"),  # the discharge summary, not a 小节
        ("这里是周五服务变灵热线", "这里是政务服务便民热线"),  # the first syllable misheard: found by the second
        ("老人送往林乡市第二人民医院了", "老人送往临江市第二人民医院了"),  # takes in the alias 第二人民医院 as it is
        ("好的，我何对于下，您的电话", "好的，我核对一下，您的电话"),  # 于 heard for 一 is no numeral
        # 工作日内联系您 sounds near too; the phrase that sounds alike wins, whatever the order of the terms
        ("稍后工作人员连系您", "稍后工作人员联系您"),
        ("请报一下您姓名和连系电话", "请报一下您姓名和联系电话"),
    ],
)
def test_operator_script_and_long_names_snap_with_a_quarter_misheard(script_corrector, heard, meant):
    assert script_corrector.correct(heard) == meant


@pytest.mark.parametrize(
    "said",
    [
        "我去了望湖街道旁边卫生服务中心",  # 旁边 for 社区: two syllables that keep neither initial nor final
        "他们按紧急工单通知了疾控",  # another verb, not a mishearing of 处理
        "他在一个工作室内上班",  # 室 / 日 alike, but the phrase is longer than that
        "押金说好十个工作日内援路退回",  # 工作日 is spelled right: 援路 must not become 答复 around it
        "十个工作日内办理完",  # nor 办理 联系
        "请您保持电话畅通",  # the phrase with a word put in is no mishearing of it
        "请问有什么可以帮到您",
    ],
)
def test_ordinary_speech_near_a_script_phrase_stays(script_corrector, said):
    assert script_corrector.correct(said) == said


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("功耗1146，请问", "工号1146，请问"),
        ("公号五一二六", "工号五一二六"),
        ("工号102期，请问", "工号1027，请问"),  # 期 sounds like 七
        ("功耗很大", "功耗很大"),  # no number after it: an ordinary word
        ("宫后五二三三，请问", "工号五二三三，请问"),  # hou for hao
        ("工号102以，请问", "工号1021，请问"),  # 以 reads yi (1), not its rare si
        ("工号二八次零，请讲", "工号二八4零，请讲"),  # within four digits a nearer sound: 次 for 四
        ("工号六五一案，请讲", "工号六五一2，请讲"),  # 案 for 二
        ("我是工号2840您好", "我是工号2840您好"),  # past four, 您 is no 零
        ("功耗于三领五，请讲", "工号1三0五，请讲"),  # after a mishearing of 工号, sounds for digits from the start
        ("我的工号您记一下", "我的工号您记一下"),  # after 工号 itself they may be words
    ],
)
def test_staff_number_by_sound(heard, meant):
    from assistant.text.script import fix_staff_number

    assert fix_staff_number(heard, DEMO.script.staff_number_digits) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("您好，1230 卫生健康热线", "您好，12320 卫生健康热线"),
        ("打了1234热线", "打了12345热线"),
        ("您好，第二三二零卫生健康热线", "您好，12320卫生健康热线"),  # 第 for 幺, Chinese digits
        ("我记得是一二三热线", "我记得是一二三热线"),  # three digits are no hotline number
        ("我花了5000，热线说", "我花了5000，热线说"),  # punctuation in between: not a hotline number
        ("12320热线", "12320热线"),
        ("您好，于二三二领位生建堂学县，", "您好，12320卫生健康热线，"),  # sounds for digits, the name snapped by sound
        ("您好，一二三座五政务服务便民热线", "您好，12345政务服务便民热线"),  # one digit unread inside
        ("您好，12345这线，工号", "您好，12345热线，工号"),
        ("12345这件事没人管", "12345这件事没人管"),  # 这件 is no 热线 without one syllable alike
        ("他一二三四五六地数", "他一二三四五六地数"),  # counting: no hotline name after it
        ("您好，这里是12320卫生健康热线", "您好，这里是12320卫生健康热线"),  # 是 sounds like 4, the number is after it
    ],
)
def test_hotline_numbers(heard, meant):
    from assistant.text.script import fix_hotline_numbers

    assert fix_hotline_numbers(heard, DEMO.script) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("您好，12345热线，工号6630，信将。", "您好，12345热线，工号6630，请讲。"),  # the greeting's closing 请讲
        ("工号2714，现象。", "工号2714，请讲。"),
        ("工号2714，您好。", "工号2714，您好。"),  # another word
        ("他说这个现象。", "他说这个现象。"),  # no greeting
    ],
)
def test_greeting_closing(heard, meant):
    from assistant.text.script import fix_greeting_closing

    assert fix_greeting_closing(heard) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("电话1394827561明。", "电话13948275610。"),  # 明 for 零 at the end
        ("变化于3927401586。", "电话13927401586。"),  # 电话 misheard, 于 for 一
        ("我姓孔，变化1372650918次。", "我姓孔，电话13726509184。"),  # 次 for 四
        ("电话是1396区284015", "电话是13967284015"),  # 是 is not a digit here, 区 is 七
        ("电话是137，2905，6618。", "电话是13729056618。"),  # grouped digits
        ("手机158-204-7736", "手机158-204-7736"),  # a digit missing: not guessed
        ("姓黄，变化1582047736。", "姓黄，变化1582047736。"),  # ten digits: cue left as heard too
        ("病情有变化吗", "病情有变化吗"),  # the ordinary word
        ("他说变化了3次", "他说变化了3次"),  # too few digits to be a number
        ("电话号码是13912345678", "电话号码是13912345678"),  # already right
        ("我叫白峰，变化17730528164。", "我叫白峰，电话17730528164。"),  # digits right, cue misheard
        ("俞建华，13905712468。", "俞建华，13905712468。"),  # a word like 电话 before a pause is its own word
        ("电话1385207461案。", "电话13852074612。"),  # 案 for 二
        ("电话187302斤，596案", "电话18730275962"),  # 斤 for 七, grouped
        ("现化1895及204638。", "电话18957204638。"),  # 及 for 七
        ("电话159，肉区24，三字05", "电话15967243405"),  # 肉 for 六, 区 for 七, 字 for 四
        ("电话136820案数七三九对。", "电话13682024739对。"),  # 案 for 二, 数 for 四
        ("电话13948275610，及时联系我", "电话13948275610，及时联系我"),  # the word after the number stays
        ("变化是一百三十九，名2804731。", "电话是13902804731。"),  # 一三九 written as the numeral 一百三十九
        ("电话是一百三十二", "电话是一百三十二"),  # a numeral alone is no phone number
        ("电话1394827561及时", "电话1394827561及时"),  # ten digits and a word: left as heard
        ("变化1586204913居，以及一下。", "电话15862049137，以及一下。"),  # 以及一 after the comma is no digit
        ("电话13948275610一下", "电话13948275610一下"),
        ("姓黄，变化英雄八二零四岸七三三英九。", "姓黄，电话18204273319。"),  # 英 for 幺, 雄 a garbled syllable
        ("电话1394827561的时候", "电话1394827561的时候"),  # a word after the number is not skipped
        ("姓黄，变化英武零二九岸四七七英武。", "姓黄，电话15029247715。"),  # 英武 end the clause as 15: valid
        ("电话182047以及就吧。", "电话182047以及就吧。"),  # six digits and sound-alikes, not a mobile number
        ("电话1820473以及就吧的事", "电话1820473以及就吧的事"),  # 11 digits, but the clause goes on
        ("电话可以留一百五十893047216有需要打给我", "电话可以留15893047216有需要打给我"),  # a few words later
        ("电话你记一下，一百七十740263958，有事", "电话你记一下，17740263958，有事"),  # 一下 is no number
        ("电话打了五六次，一直没人接。", "电话打了五六次，一直没人接。"),  # counts after the cue: no number
        ("电话没人接。我的13812345678", "电话没人接。我的13812345678"),  # not in the cue's sentence
        ("电话1397205846以。", "电话13972058461。"),  # 以 by its common reading yi, not si
        ("电话1397205846疑。", "电话13972058461。"),  # 疑 is yi too (pypinyin also lists ning)
    ],
)
def test_phone_number_by_sound(heard, meant):
    from assistant.text.phone import fix_phone_number

    assert fix_phone_number(heard) == meant


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("姓黄，变化1582047736。", "姓黄，电话15820473361。"),
        ("联系方式：1391234567，谢谢", "联系方式：15820473361，谢谢"),
        ("电话158204736案", "电话15820473361"),  # 案 (二) is part of the number
        ("电话可以留，一分305814726。", "电话可以留，15820473361。"),  # a few words after the cue
    ],
)
def test_broken_phone_is_found_and_replaced(text, fixed):
    from assistant.text.phone import broken_phone, replace_phone

    run = broken_phone(text)
    assert run is not None and not run.mobile
    assert replace_phone(text, run, "15820473361") == fixed


def test_valid_or_absent_phone_is_not_broken():
    from assistant.text.phone import broken_phone

    assert broken_phone("电话13912345678。") is None
    assert broken_phone("我昨天去看病，变化很大。") is None


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("请问您的性名？", "请问您的姓名？"),
        ("您贵性？", "您贵姓？"),
        ("我性黄，电话", "我姓黄，电话"),
        ("我性格。", "我性格。"),  # a real word
        ("一次性材料费", "一次性材料费"),
        ("我想反应一下问题", "我想反映一下问题"),
        ("您要反应什么情况？", "您要反映什么情况？"),
        ("过敏反应很严重", "过敏反应很严重"),  # the body's 反应 stays
        ("他反应很慢", "他反应很慢"),
        ("我跟居委会反应过好几次", "我跟居委会反映过好几次"),  # a complaint is 反映 whoever hears it
        ("打完针没反应", "打完针没反应"),
        ("打完疫苗发烧是正常反应", "打完疫苗发烧是正常反应"),  # a reaction after a modifier stays
        ("他的反应是对的", "他的反应是对的"),
        ("让我打12345反应，", "让我打12345反映，"),
        ("那个包装盒子旧旧等，", "那个包装盒子旧旧的，"),  # a clause ending in 等 / 灯: the particle 的
        ("是前天晚上送来灯。", "是前天晚上送来的。"),
        ("你在门口等，我下来", "你在门口等，我下来"),  # the verb wait stays
        ("我等了又等，", "我等了又等，"),
        ("我们等啊等，一直没人来", "我们等啊等，一直没人来"),
        ("小区的路灯。", "小区的路灯。"),  # a lamp stays
        ("我带孩子去探牙科医生", "我带孩子去看牙科医生"),  # kan heard as tan
        ("周末去医院探望老人", "周末去医院探望老人"),
        ("请卫生监督所和查一下", "请卫生监督所核查一下"),  # 核查 heard as 和查
        ("我和查了一遍", "我和查了一遍"),  # ordinary 和 stays
        ("您这次自行的问题已经答复", "您这次咨询的问题已经答复"),  # 咨询 heard as 自行
        ("您可以自行前往", "您可以自行前往"),  # by oneself, with its verb
        ("一号，我想投诉一家诊所", "你好，我想投诉一家诊所"),  # the caller's opening 你好
        ("一号我去的医院", "一号我去的医院"),  # a date stays
        ("我去区一保中心问了", "我去区医保中心问了"),  # 一保 is no word
        ("来了一保安", "来了一保安"),  # one guard
        ("好的，白女是，我记一下", "好的，白女士，我记一下"),  # 女是 is no word
        ("十个工作室内给出答复", "十个工作日内给出答复"),  # 日 heard as 室 in a time limit
        ("他开了两个工作室，", "他开了两个工作室，"),  # studios: no 内 or pause after a number of them
    ],
)
def test_short_hotline_mishearings(heard, meant):
    from assistant.lexicon.correct import fix_phrases

    assert fix_phrases(heard) == meant


def test_directory_place_names_snap_like_unit_names(directory):
    places = directory.place_names()
    # the districts of units.csv, and the city its unit names begin with
    assert places == ("江北区", "江南区", "高新区", "临江市")
    corrector = TermCorrector([*directory.spellings(), *places])
    assert corrector.correct("我家住在将北区") == "我家住在江北区"
    assert corrector.correct("我在林江市打工") == "我在临江市打工"
    assert corrector.correct("将来再说吧") == "将来再说吧"


def test_zai_before_a_place_is_the_locative(directory):
    places = [*directory.spellings(), *directory.place_names()]
    corrector = TermCorrector(places, places=places)
    assert corrector.correct("我家再江北区，离得近") == "我家在江北区，离得近"  # 在 heard as 再
    assert corrector.correct("我明天再去一趟") == "我明天再去一趟"  # 再 before a verb stays
    assert TermCorrector(places).correct("我家再江北区") == "我家再江北区"  # only for the places it was given



def test_proposals_put_in_near_misses_the_strict_pass_leaves_alone():
    corrector = TermCorrector(["城西区人民医院", "市三院", "发热门诊"])
    heard = "我在十三月看病"  # 十 sounds like 市, 三 is shared, 月 keeps the initial of 院
    assert corrector.correct(heard) == heard
    assert "我在市三院看病" in corrector.proposals(heard)
    # one syllable of a long name heard as another sound entirely
    assert "昨天去了城西区人民医院" in corrector.proposals("昨天去了成西去人民医院")


def test_proposals_never_swap_a_numeral_or_invent_a_name_from_nothing():
    corrector = TermCorrector(["市三院", "发热门诊"])
    assert corrector.proposals("我在市四院看病") == []
    assert corrector.proposals("今天天气很好我们出去走走") == []
    assert corrector.proposals("我在市三院看病") == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("公号", "工号", True),  # one character for another of the same sound
        ("陈小明", "程晓鸣", True),  # chen / cheng are one sound on a phone line; no character in common
        ("8号", "8号", True),  # digits and signs count when they are the same
        ("8号", "9号", False),
        ("工号", "工作", False),
        ("王", "黄", False),  # the final alone is ``alike``'s looser test, not this one
        ("", "", True),
    ],
)
def test_sounds_alike_character_for_character(a, b, same):
    assert sounds_alike(a, b) is same
