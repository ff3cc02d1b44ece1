"""The recipe: its choice is at least as good as the plain baseline, and every candidate gives probabilities."""

import random

import numpy as np
import pytest

from assistant.classify.recipe import CANDIDATES, Candidate, build, segmented, select_and_fit

# label -> words only that label uses; all labels share the rest, and some texts borrow another label's word
TOPICS = {
    "供水": ("停水", "水压", "自来水", "水管", "水表"),
    "噪音": ("广场舞", "音响", "打桩", "吵闹", "喇叭"),
    "工资": ("欠薪", "包工头", "加班费", "工钱", "老板"),
    "公交": ("公交车", "站台", "末班车", "班次", "司机"),
    "学校": ("学位", "补课", "校服", "老师", "学费"),
}
SHARED = ("小区", "最近", "每天", "反映", "没人管", "希望", "尽快", "处理", "已经", "好几次", "街道", "社区", "问题",
          "电话", "一直", "我们", "附近", "晚上", "严重", "影响")
SIZES = {"供水": 150, "噪音": 90, "工资": 60, "公交": 40, "学校": 25}


def generated(seed: int = 0, noise: float = 0.08) -> tuple[list[str], list[str]]:
    """A small imbalanced archive with wrong labels, some rows cut into words with spaces."""
    rng = random.Random(seed)
    texts, labels = [], []
    for label, size in SIZES.items():
        for _ in range(size):
            words = rng.sample(SHARED, 6) + rng.sample(TOPICS[label], 2)
            if rng.random() < 0.3:
                words.append(rng.choice(TOPICS[rng.choice(list(TOPICS))]))
            rng.shuffle(words)
            texts.append((" " if rng.random() < 0.3 else "").join(words))
            labels.append(rng.choice(list(TOPICS)) if rng.random() < noise else label)
    return texts, labels


@pytest.fixture(scope="module")
def selection():
    texts, labels = generated()
    return select_and_fit(texts, labels)


def test_the_choice_is_at_least_as_good_as_the_baseline(selection):
    chosen = selection.scores[selection.candidate.name]["macro_f1"]
    assert chosen == max(s["macro_f1"] for s in selection.scores.values())
    assert chosen >= selection.baseline["macro_f1"], (selection.candidate.name, chosen, selection.baseline)


def test_every_candidate_is_scored_and_summarised(selection):
    assert set(selection.scores) == {c.name for c in CANDIDATES}
    summary = selection.summary()
    assert summary["chosen"]["name"] == selection.candidate.name
    assert Candidate(**{k: v for k, v in summary["chosen"].items() if k != "name"}) == selection.candidate


@pytest.mark.parametrize("candidate", CANDIDATES, ids=lambda c: c.name)
def test_every_candidate_gives_calibrated_probabilities(candidate):
    texts, labels = generated(seed=1)
    held_texts, held_labels = generated(seed=2)
    model = build(candidate, 25).fit(texts, labels)
    proba = model.predict_proba(held_texts)
    assert np.allclose(proba.sum(axis=1), 1) and proba.shape == (len(held_texts), len(TOPICS))
    confidence = float(proba.max(axis=1).mean())
    accuracy = float(np.mean(model.classes_[proba.argmax(axis=1)] == np.asarray(held_labels)))
    assert abs(confidence - accuracy) < 0.1, (confidence, accuracy)


@pytest.mark.parametrize("chosen", [Candidate("char", "svm", 1.0, True), Candidate("char", "logreg", 20.0, True),
                                    Candidate("char-tf", "svm", 1.0, False), Candidate("char+word", "svm", 1.0, True)],
                         ids=lambda c: c.name)
def test_recipes_of_saved_models_still_build(chosen):
    """``hotline evaluate`` re-runs a saved model's recipe from its metadata; older models chose these."""
    texts, labels = generated(seed=3)
    model = build(chosen, 25).fit(texts, labels)
    assert list(model.classes_) == sorted(TOPICS)


def test_segmented_and_raw_text_read_alike():
    assert segmented("小区 最近 一直 停水") == segmented("小区最近一直停水，")
