"""One jieba dictionary per process, and tokenizers over it that do not see each other's words."""

from assistant.lexicon import wordfreq


def test_tokenizers_share_the_dictionary_but_not_their_words():
    plain = wordfreq.tokenizer()
    hotline = wordfreq.tokenizer(["心内科病房", "临江高新"], freq=2000)
    assert plain.FREQ is not hotline.FREQ
    assert plain.FREQ.get("医院") == hotline.FREQ.get("医院") > 0
    assert hotline.FREQ["临江高新"] == 2000 and "临江高新" not in plain.FREQ
    assert "临江高新" in hotline.lcut("我在临江高新上班") and "临江高新" not in plain.lcut("我在临江高新上班")
    assert wordfreq._dictionary() is wordfreq._dictionary()


def test_a_known_word_keeps_its_higher_frequency_when_asked():
    common = max(("医院", "医生", "电话"), key=lambda w: wordfreq.tokenizer().FREQ[w])
    frequency = wordfreq.tokenizer().FREQ[common]
    assert frequency > 2000
    assert wordfreq.tokenizer([common], 2000, keep_higher=True).FREQ[common] == frequency
    assert wordfreq.tokenizer([common], 2000).FREQ[common] == 2000


def test_log_probability_is_jiebas_best_segmentation_with_extra_words_laid_over():
    plain = wordfreq.tokenizer()
    for text in ("医生说要住院观察", "我想问一下这个药能不能报销"):
        route = {}
        plain.calc(text, plain.get_DAG(text), route)
        assert abs(wordfreq.log_probability(text) - route[0][0]) < 1e-9
    assert wordfreq.log_probability("临江高新") < wordfreq.log_probability("临江高新", {"临江高新": 2000})
    common = max(("医院", "医生"), key=plain.FREQ.get)  # an extra word never lowers a dictionary word
    assert wordfreq.log_probability(common, {common: 1}) == wordfreq.log_probability(common)
