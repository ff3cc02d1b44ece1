"""Learning from corrections: the candidate is judged on the newest corrections and put in use only when better.

Real training on a small centre of the test's own: its urgency model is trained on sixty rows of the demo
centre's seed data, then corrected with calls about gas leaks and fires (urgent) and appointments (not).
"""

from __future__ import annotations

import json

import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.centre.setup import init_centre
from assistant.classify.data import Table
from assistant.classify.learning import MIN_CORRECTIONS, Example, TooFewCorrections, base_data, learn, split
from assistant.classify.training import install_table, seed_table
from assistant.classify.versions import active_folder, active_version
from assistant.errors import ModelError

URGENT = ("家里燃气管道嘶嘶漏气，满屋子都是煤气味，{}", "楼道里电线冒烟着火了，烟越来越大，{}",
          "{}，老人在家摔倒了起不来，头上一直流血", "孩子把洗衣凝珠吞下去了，{}，现在一直在吐")
USUAL = ("{}，想问一下专家门诊下周几出诊", "我想咨询一下，{}，体检报告多久能拿到",
         "{}，医保卡换卡要带什么材料", "社区医院的疫苗预约怎么改时间，{}")
WHO = ("我在城东小区", "我是三号楼的住户", "刚才打过一次电话", "我姓周", "我在老街这边", "麻烦你们一下",
       "我是外地来的", "我这边是新村二期", "我家住河西", "我在单位宿舍")


def corrections(n: int, start: int = 1) -> list[Example]:
    """``n`` corrections, alternating urgent and usual calls, in varied wording."""
    out = []
    for i in range(n):
        templates, label = (URGENT, "紧急") if i % 2 == 0 else (USUAL, "一般")
        text = templates[(i // 2) % len(templates)].format(WHO[(i * 7 + i // 4) % len(WHO)])
        out.append(Example(start + i, text, label))
    return out


@pytest.fixture(scope="module")
def small_version(tmp_path_factory):
    """A centre whose urgency model in use was trained on sixty seed rows (made once, copied per test)."""
    folder = init_centre(tmp_path_factory.mktemp("learning") / "centre")
    seed = seed_table("urgency", load_centre(folder))
    rows = [(t, lab) for t, lab in zip(seed.texts, seed.labels, strict=True) if lab == "紧急"][:30]
    rows += [(t, lab) for t, lab in zip(seed.texts, seed.labels, strict=True) if lab == "一般"][:30]
    table = Table(tuple(t for t, _ in rows), tuple(lab for _, lab in rows), "sixty.tsv")
    install_table(table, load_centre(folder), "urgency")
    return folder


@pytest.fixture
def centre(small_version, tmp_path):
    import shutil

    folder = tmp_path / "centre"
    shutil.copytree(small_version, folder)
    return load_centre(folder)


def test_corrections_that_teach_something_new_are_learned_and_recorded(centre):
    before = active_version(centre.models_dir, "urgency")
    examples = corrections(40)
    outcome = learn(centre, "urgency", examples, skipped={"标签不在分类体系中": 2})
    assert outcome.held_out == 8 and outcome.corrections == 40 and outcome.old_version == before
    assert outcome.new.macro_f1 > outcome.old.macro_f1 and outcome.better
    assert outcome.installed == active_version(centre.models_dir, "urgency") != before
    meta = json.loads((active_folder(centre.models_dir, "urgency") / "metadata.json").read_text(encoding="utf-8"))
    learned = meta["learned"]
    assert meta["made"] == "learn" and meta["n_rows"] == 100 and len(meta["data_sha256"]) == 64
    assert learned["base_rows"] == 60 and learned["correction_ids"] == [1, 40] and learned["held_out_ids"] == [33, 40]
    assert learned["skipped"] == {"标签不在分类体系中": 2} and learned["from_version"] == before
    assert learned["scores"]["new"]["macro_f1"] == outcome.new.macro_f1 and not learned["forced"]

    # learning again counts each correction once, with the value it has now
    again = [*examples[:-1], Example(40, examples[-1].text, "紧急"), *corrections(20, start=41)]
    second = learn(centre, "urgency", again, force=True)
    meta = json.loads((active_folder(centre.models_dir, "urgency") / "metadata.json").read_text(encoding="utf-8"))
    assert meta["learned"]["base_rows"] == 60 and meta["n_rows"] == 120 and second.old_version == outcome.installed
    assert base_data(active_folder(centre.models_dir, "urgency"), ("一般", "紧急"))[1].count("紧急") == 30


def test_a_candidate_no_better_than_the_version_in_use_is_not_used(centre):
    before = active_version(centre.models_dir, "urgency")
    texts, labels = base_data(active_folder(centre.models_dir, "urgency"), ("一般", "紧急"))
    known = [Example(i + 1, t, lab) for i, (t, lab) in enumerate(zip(texts, labels, strict=True))][::2]
    outcome = learn(centre, "urgency", known)  # what the model in use already gets right
    assert outcome.old.accuracy == 1.0 and not outcome.better and outcome.installed is None
    assert active_version(centre.models_dir, "urgency") == before
    forced = learn(centre, "urgency", known, force=True)
    assert forced.installed == active_version(centre.models_dir, "urgency") != before
    meta = json.loads((active_folder(centre.models_dir, "urgency") / "metadata.json").read_text(encoding="utf-8"))
    assert meta["learned"]["forced"]


def test_too_few_corrections_are_said(centre):
    with pytest.raises(TooFewCorrections, match=f"只有 5 条可用的更正，至少需要 {MIN_CORRECTIONS} 条") as info:
        learn(centre, "urgency", corrections(5))
    assert "hotline tickets edit" in info.value.hint


def test_the_shipped_centre_is_not_written():
    with pytest.raises(ModelError, match="演示中心"):
        learn(load_centre(shipped_centre_folder()), "urgency", corrections(30))


def test_the_newest_corrections_are_held_out():
    examples = corrections(30)
    train, held = split(examples, 0.2)
    assert [e.id for e in held] == list(range(25, 31)) and train == examples[:24]
    assert len(split(examples, 0.01)[1]) == 5  # never fewer than five to judge on


def test_an_unversioned_model_is_not_silently_left_in_use(centre):
    import shutil

    folder = centre.models_dir / "urgency"
    shutil.copy(active_folder(centre.models_dir, "urgency") / "metadata.json", folder / "metadata.json")
    with pytest.raises(ModelError, match="未分版本") as info:
        learn(centre, "urgency", corrections(30))
    assert "ACTIVE" in info.value.hint
