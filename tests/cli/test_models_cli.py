"""`hotline train --install` and `hotline models` as a user runs them, on a centre profile of the test's own.

Training is real (scikit-learn on a few dozen rows of the demo centre's seed data); each refusal is one Chinese
line naming what is wrong and leaves the models in use as they were.
"""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from assistant.centre import shipped_centre_folder
from assistant.centre.setup import init_centre
from assistant.classify.versions import active_version, versions
from tests.cli.test_tickets_cli import fails
from tests.conftest import run_hotline

SEED = active_version(shipped_centre_folder() / "models", "category")  # the demo centre's version in use


@pytest.fixture
def centre(tmp_path):
    return init_centre(tmp_path / "centre")


def hotline(centre, *args):
    return run_hotline("--centre", str(centre), *args, timeout=300)


@pytest.fixture
def urgency_csv(tmp_path):
    """Thirty rows of each urgency from the demo centre's seed data, as an office would export them."""
    with (shipped_centre_folder() / "training" / "seed.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    picked = [r for r in rows if r["urgency"] == "紧急"][:30] + [r for r in rows if r["urgency"] == "一般"][:30]
    path = tmp_path / "紧急程度.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["来电内容", "紧急程度"])
        writer.writerows([(r["text"], r["urgency"]) for r in picked])
    return path


def test_install_list_and_roll_back(centre, urgency_csv):
    done = hotline(centre, "train", "--data", str(urgency_csv), "--text-col", "来电内容", "--label-col", "紧急程度",
                   "--name", "urgency", "--install")
    assert done.returncode == 0, done.stderr
    root = centre / "models"
    new = active_version(root, "urgency")
    assert new != SEED and new.endswith("-data") and "已装入中心配置" in done.stderr
    meta = json.loads((root / "urgency" / new / "metadata.json").read_text(encoding="utf-8"))
    assert meta["made"] == "data" and meta["source"] == "紧急程度.csv" and meta["n_rows"] == 60
    assert meta["labels"] == ["一般", "紧急"] and meta["metrics"]["baseline_cv"]["macro_f1"] > 0

    listed = hotline(centre, "models", "list", "--field", "urgency")
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if SEED in line or new in line]
    assert len(lines) == 2 and "使用中" in lines[1] and new in lines[1] and "使用中" not in lines[0]
    assert "紧急程度.csv" in lines[1] and " 60 " in lines[1] and "679" in lines[0]

    back = hotline(centre, "models", "use", SEED, "--field", "urgency")
    assert back.returncode == 0, back.stderr
    assert active_version(root, "urgency") == SEED and f"原为 {new}" in back.stdout


def test_models_use_without_a_field_switches_every_field_that_has_the_version(centre):
    root = centre / "models"
    for field in ("appeal_type", "category", "urgency"):
        shutil.copytree(root / field / SEED, root / field / "20270101-000000-seed")
    done = hotline(centre, "models", "use", "20270101-000000-seed")
    assert done.returncode == 0, done.stderr
    assert all(active_version(root, f) == "20270101-000000-seed" for f in ("appeal_type", "category", "urgency"))


def test_a_version_whose_labels_are_not_the_taxonomys_is_not_used(centre):
    root = centre / "models"
    shutil.copytree(root / "category" / SEED, root / "urgency" / "20270101-000000-data")  # sixteen categories
    err = fails(hotline(centre, "models", "use", "20270101-000000-data", "--field", "urgency"),
                "taxonomy.toml", "urgency", "食品安全")
    assert "hotline models use" in err
    assert active_version(root, "urgency") == SEED
    listed = hotline(centre, "models", "list", "--field", "urgency").stdout
    assert "20270101-000000-data" in listed and "标签与分类体系不符" in listed, listed


def test_an_unknown_version_lists_the_ones_there_are(centre):
    fails(hotline(centre, "models", "use", "20990101-000000-data", "--field", "category"),
          "20990101-000000-data", SEED)
    fails(hotline(centre, "models", "use", "20990101-000000-data"), "没有哪个字段有版本")
    fails(hotline(centre, "models", "list", "--field", "颜色"), "颜色", "category")


def test_labels_the_taxonomy_does_not_know_are_refused_before_training(centre, urgency_csv):
    text = urgency_csv.read_text(encoding="utf-8").replace(",紧急\n", ",特急\n", 3)
    urgency_csv.write_text(text, encoding="utf-8")
    fails(hotline(centre, "train", "--data", str(urgency_csv), "--text-col", "来电内容", "--label-col", "紧急程度",
                  "--name", "urgency", "--install"), "特急", "taxonomy.toml", "urgency")
    assert [v.name for v in versions(centre / "models", "urgency")] == [SEED]


def test_a_label_the_data_lacks_is_refused_too(centre, tmp_path):
    path = tmp_path / "分类.csv"
    path.write_text("内容,分类\n饭菜吃坏了肚子,食品安全\n外卖里有虫子,食品安全\n"
                    "报销比例太低,医保报销\n异地报销很麻烦,医保报销\n", encoding="utf-8")
    fails(hotline(centre, "train", "--data", str(path), "--text-col", "内容", "--label-col", "分类",
                  "--name", "category", "--install"), "急救服务", "taxonomy.toml", "不能用于起草")


def test_the_shipped_centre_and_other_names_are_refused(urgency_csv, centre):
    args = ("train", "--data", str(urgency_csv), "--text-col", "来电内容", "--label-col", "紧急程度", "--install")
    fails(hotline(shipped_centre_folder(), *args, "--name", "urgency"), "演示中心", "hotline centre init")
    fails(hotline(centre, *args), "紧急程度", "--name")  # the column's name is not a field of the work order
    fails(hotline(centre, *args, "--name", "urgency", "--out", "x"), "--install", "--out")
    fails(hotline(shipped_centre_folder(), "models", "use", SEED, "--field", "urgency"), "演示中心")
