import pytest

from assistant.centre import load_centre, shipped_centre_folder
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


def test_clean_text_applies_homophones_after_the_directory(homophones):
    from assistant.text.clean import clean_text

    assert clean_text("他在股科住院", None, homophones) == "他在骨科住院。"
    assert clean_text("他在股科住院") == "他在股科住院。"
