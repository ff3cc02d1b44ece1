import gzip

import pytest

from assistant.errors import ModelError
from assistant.lexicon.charlm import UNIVERSE, CharLM, Mixture, clauses

TEXTS = ["我在城西医院排了两个小时的队", "城西医院的挂号窗口态度不好", "我想问一下城西医院几点开门",
         "孩子在城西医院打疫苗", "东湖街道的垃圾没人清理"]


def test_a_name_the_centre_says_reads_likelier_than_the_same_sound_in_other_characters():
    lm = CharLM.train(TEXTS)
    assert lm.log_prob("我在城西医院看病") > lm.log_prob("我在成溪医院看病")


def test_the_probabilities_after_a_history_sum_to_one_over_every_character():
    lm = CharLM.train(TEXTS, order=3)
    seen = set("".join(TEXTS)) | {"$"}
    mass_seen = sum(lm.probability("城西", c) for c in seen)
    # what is left is spread evenly over the characters never seen, by the uniform floor
    unseen = lm.probability("城西", "鑫")
    assert unseen > 0
    assert mass_seen + unseen * (UNIVERSE - len(seen)) == pytest.approx(1.0)
    assert lm.probability("城西", "医") > 0.5


def test_punctuation_cuts_clauses_and_is_not_scored():
    assert clauses("您好，请讲。12320热线") == ["您好", "请讲", "12320热线"]
    lm = CharLM.train(TEXTS)
    assert lm.log_prob("城西医院，挂号") == pytest.approx(lm.log_prob("城西医院") + lm.log_prob("挂号"))


def test_saved_and_loaded_it_scores_the_same(tmp_path):
    lm = CharLM.train(TEXTS)
    path = tmp_path / "lm" / "lm.json.gz"
    lm.about = {"rows": len(TEXTS)}
    lm.save(path)
    again = CharLM.load(path)
    assert again.about == {"rows": 5}
    assert again.log_prob("城西医院的护士") == pytest.approx(lm.log_prob("城西医院的护士"))


def test_a_damaged_file_is_named_in_one_chinese_line(tmp_path):
    path = tmp_path / "lm.json.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(ModelError, match="语言模型 .*lm.json.gz 无法读取"):
        CharLM.load(path)
    with gzip.open(path, "wt") as f:
        f.write('{"format": 99}')
    with pytest.raises(ModelError, match="格式版本"):
        CharLM.load(path)


def test_a_mixture_lies_between_its_parts():
    hospital, street = CharLM.train(TEXTS[:4]), CharLM.train(TEXTS[4:])
    mixed = Mixture([(hospital, 1), (street, 1)])
    text = "街道的垃圾"
    assert min(hospital.log_prob(text), street.log_prob(text)) < mixed.log_prob(text)
    assert mixed.log_prob(text) < max(hospital.log_prob(text), street.log_prob(text))


def test_extended_with_more_text_it_is_the_model_of_all_of_it():
    both = CharLM.train(TEXTS)
    grown = CharLM.train(TEXTS[:3]).extended(TEXTS[3:])
    assert grown.size == both.size
    assert grown.log_prob("东湖街道的城西医院") == pytest.approx(both.log_prob("东湖街道的城西医院"))
