import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.lexicon import homophones as homophones_module
from assistant.lexicon.homophones import HomophoneCorrector

VOCABULARY = load_centre(shipped_centre_folder()).vocabulary
DEPARTMENTS, DOMAIN_WORDS = VOCABULARY.departments, VOCABULARY.words


@pytest.fixture(scope="module")
def homophones(directory):
    return HomophoneCorrector([*DEPARTMENTS, *DOMAIN_WORDS, *directory.spellings()])


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("我拿一保卡去药店买东西", "我拿医保卡去药店买东西"),  # 一保卡 is no word, 医保卡 sounds the same
        ("他在市一院股科作的手术", "他在市一院骨科作的手术"),  # 股科 → 骨科; the directory's 市一院 stays
        ("记得带申份证去复印", "记得带身份证去复印"),
        # left as heard
        ("我叫蔡晓红，电话是13712345678。", "我叫蔡晓红，电话是13712345678。"),  # a name is no dictionary word
        ("蔡女士，电话13712345678", "蔡女士，电话13712345678"),  # nor a surname before 女士 (才女士)
        ("我想让医院给个说法", "我想让医院给个说法"),
        ("就是那个药的事，我爸吃了好多年", "就是那个药的事，我爸吃了好多年"),
        ("您好，请问有什么可以帮您？", "您好，请问有什么可以帮您？"),
        ("12320", "12320"),
        ("", ""),
    ],
)
def test_homophones(homophones, heard, meant):
    assert homophones.correct(heard) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        # same tones: the mishearing Whisper makes most (zǒu láng, bèi àn)
        ("我在医院的走狼上等了很久", "我在医院的走廊上等了很久"),
        ("出院前要先被案", "出院前要先备案"),
        # a rising tone heard for a low one (rán / rǎn): the clause must gain more
        ("孩子的伤口感燃了", "孩子的伤口感染了"),
        # left as heard: the same syllables with a level tone changed (mǎ fù / mǎ fū, gān / gǎn)
        ("停车费是扫码付的", "停车费是扫码付的"),
        ("喝酒太多会伤肝", "喝酒太多会伤肝"),
        ("我爸吃了二甲双胍以后老是胃不舒服", "我爸吃了二甲双胍以后老是胃不舒服"),
    ],
)
def test_tones_decide_how_much_a_replacement_must_gain(homophones, heard, meant):
    assert homophones.correct(heard) == meant


@pytest.mark.parametrize(
    ("a", "b", "cost"),
    [
        (("3", "2"), ("3", "2"), 0.0),
        (("2", "4"), ("3", "4"), homophones_module.CONFUSABLE_TONE_COST),
        (("4", "4"), ("3", "4"), homophones_module.CONFUSABLE_TONE_COST),
        (("1", "4"), ("4", "4"), homophones_module.OTHER_TONE_COST),
        (("3", "5"), ("3", "3"), homophones_module.OTHER_TONE_COST),
    ],
)
def test_tone_cost(a, b, cost):
    assert homophones_module.tone_cost(a, b) == cost


@pytest.mark.parametrize(
    "said",
    [
        "俞晓岚，电话13905712468",  # two or three characters on their own that hold no word: a name
        "晏子钧，宴会的宴去掉宝盖，君子的君加个金字旁",
        "我叫贺启航，祝贺的贺，启动的启，航天的航",  # characters spelled out stay, wherever they stand
        "我姓邵，召唤的召加一个耳朵",  # … also before the rest of the spelling (赵家 is no spelling)
        "你好，我是于晓静，住在江北区",  # a name after 我是 (于小径)
        "转到江北区卫生健康局核实",  # the directory's names, spelled right, are never rewritten
        "一共花了300元膏方",  # a unit or measure word after a number (原告方)
    ],
)
def test_names_and_known_words_stay(homophones, said):
    assert homophones.correct(said) == said


def test_clean_text_applies_homophones_after_the_directory(homophones):
    from assistant.text.clean import clean_text

    assert clean_text("他在股科住院", None, homophones) == "他在骨科住院。"
    assert clean_text("他在股科住院") == "他在股科住院。"
