"""`hotline learn` as a user runs it: corrections filed in a real store, a real retraining, the two models' scores
side by side, and a plain Chinese line when there is too little to learn from.
"""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy.orm import Session

from assistant.classify.versions import active_folder, active_version
from assistant.store.tickets import create_ticket
from tests.classify.test_learning import corrections, small_version  # noqa: F401  # small_version: a fixture
from tests.cli.test_tickets_cli import fails
from tests.conftest import run_hotline
from tests.store import conftest as store_fixtures

db_url, engine = store_fixtures.db_url, store_fixtures.engine


@pytest.fixture
def centre(small_version, tmp_path):  # noqa: F811
    folder = tmp_path / "centre"
    shutil.copytree(small_version, folder)
    return folder


@pytest.fixture
def corrected(engine):
    """Forty tickets whose urgency the operator corrected, filed without a call: learned from their title."""
    with Session(engine) as session, session.begin():
        for example in corrections(40):
            wrong = "一般" if example.label == "紧急" else "紧急"
            create_ticket(session, hotline="12320", values={"urgency": example.label, "title": example.text},
                                   operator_id="1027", actor="接线员1027", drafted={"urgency": wrong})


def hotline(centre, db_url, *args):
    return run_hotline("--centre", str(centre), "learn", *args, "--db", db_url, timeout=300)


def test_learn_prints_both_scores_and_uses_the_better_model(centre, db_url, corrected):
    before = active_version(centre / "models", "urgency")
    done = hotline(centre, db_url, "--field", "urgency")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "紧急程度（urgency）：更正 40 条" in out and "留出最新 8 条" in out
    assert f"旧 {before}" in out and "新 候选模型" in out and "准确率" in out and "macro-F1" in out
    assert "新模型更好：已启用版本" in out
    now = active_version(centre / "models", "urgency")
    assert now != before and now in out
    meta = json.loads((active_folder(centre / "models", "urgency") / "metadata.json").read_text(encoding="utf-8"))
    assert meta["learned"]["corrections"] == 40 and meta["learned"]["from_version"] == before

    listed = run_hotline("--centre", str(centre), "models", "list", "--field", "urgency")
    assert any(now in line and "更正学习" in line and "使用中" in line for line in listed.stdout.splitlines())


def test_learn_grows_the_language_model_by_what_operators_wrote_once(centre, db_url, corrected):
    from assistant.lexicon.charlm import CharLM

    done = hotline(centre, db_url, "--field", "urgency")
    assert done.returncode == 0, done.stderr
    assert "语言模型：加入 40 段工单文字" in done.stdout
    model = CharLM.load(centre / "models" / "lm" / "lm.json.gz")
    assert model.size > 0 and model.about["tickets_through"] >= 40
    again = hotline(centre, db_url, "--field", "urgency", "--force")
    assert "语言模型：没有新的工单文字" in again.stderr  # the same tickets are not counted twice
    assert CharLM.load(centre / "models" / "lm" / "lm.json.gz").size == model.size


def test_fields_with_too_few_corrections_are_said(centre, db_url, corrected):
    done = hotline(centre, db_url, "--holdout", "0.5")
    assert done.returncode == 0, done.stderr
    assert "诉求类型（appeal_type）：只有 0 条可用的更正，至少需要 20 条，未学习" in done.stderr
    assert "问题分类（category）：只有 0 条" in done.stderr and "留出最新 20 条" in done.stdout
    fails(hotline(centre, db_url, "--field", "category"), "category", "只有 0 条", "hotline tickets edit")


def test_mistakes_before_any_work(centre, db_url, tmp_path):
    from assistant.centre import shipped_centre_folder

    fails(hotline(centre, db_url, "--holdout", "1.5"), "--holdout", "1.5")
    fails(hotline(centre, db_url, "--field", "颜色"), "颜色", "urgency")
    fails(hotline(shipped_centre_folder(), db_url, "--field", "urgency"), "演示中心", "hotline centre init")
    missing = tmp_path / "没有.db"
    fails(hotline(centre, f"sqlite:///{missing}"), str(missing))
