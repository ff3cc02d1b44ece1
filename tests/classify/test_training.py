"""Training and evaluation: awkward archives, round trips, and refusing models that do not match."""

import json

import openpyxl
import pytest

from assistant.classify import persist
from assistant.classify.catalog import SHIPPED_LABEL_SETS, models_dir
from assistant.classify.data import DataError, load_table
from assistant.classify.training import seed_table, train_table
from assistant.classify.versions import active_folder
from assistant.errors import ModelError
from tests.conftest import run_hotline as hotline


@pytest.fixture(scope="module")
def archive_rows():
    """A small 'archive' from the seed data: three categories, then the usual mess added."""
    table = seed_table("category")
    keep = {"食品安全", "医保报销", "急救服务"}
    rows = [(t, lab) for t, lab in zip(table.texts, table.labels, strict=True) if lab in keep]
    rows += rows[:5]  # duplicate rows
    rows += [("", "食品安全"), ("孩子发烧了怎么办", "")]  # empty cells
    rows += [("我想问一下献血证丢了怎么补", "献血服务")]  # a label seen once
    return rows


def write_xlsx(path, rows, header=("来电内容", "问题分类")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])  # a blank first row, as exported sheets often have
    sheet.append(list(header))
    for text, label in rows:
        sheet.append([text or None, label or None])
    book.save(path)


def test_awkward_xlsx_is_cleaned_and_said(tmp_path, archive_rows):
    path = tmp_path / "工单导出.xlsx"
    write_xlsx(path, archive_rows)
    table = load_table(path, "来电内容", "问题分类")
    notes = " ".join(table.notes)
    assert "跳过 2 行" in notes and "去掉 5 行重复" in notes and "献血服务" in notes
    assert len(table.texts) == len(set(zip(table.texts, table.labels, strict=True)))


def test_gbk_csv_and_segmented_text(tmp_path, archive_rows):
    path = tmp_path / "archive.csv"
    lines = ["内容,类别"] + [f"{' '.join(t)},{lab}" for t, lab in archive_rows if t and lab]
    path.write_bytes("\n".join(lines).encode("gb18030"))
    table = load_table(path, "内容", "类别")
    assert table.texts[0].count(" ") > 3


def test_missing_column_lists_the_columns(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"正文": "x", "类型": "y"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="没有列“内容”") as info:
        load_table(path, "内容", "类型")
    assert "正文" in info.value.hint


def test_one_label_only_is_refused(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"t": f"文本{i}", "l": "同一类"}, ensure_ascii=False) for i in range(5)),
                    encoding="utf-8")
    with pytest.raises(DataError, match="只有 1 种标签"):
        load_table(path, "t", "l")


@pytest.mark.slow  # trains and cross-validates classifiers
def test_train_cli_on_a_spreadsheet_then_evaluate(tmp_path, archive_rows):
    data = tmp_path / "archive.xlsx"
    write_xlsx(data, archive_rows)
    out = tmp_path / "model"
    done = hotline("train", "--data", str(data), "--text-col", "来电内容", "--label-col", "问题分类",
                   "--name", "分类", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "去掉 5 行重复" in done.stderr and "交叉验证 macro-F1" in done.stdout
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["name"] == "分类" and "献血服务" in meta["labels"]
    evaluated = hotline("evaluate", "--model", str(out), "--data", str(data), "--text-col", "来电内容",
                        "--label-col", "问题分类")
    assert evaluated.returncode == 0, evaluated.stderr
    last = evaluated.stdout.strip().splitlines()[-1]
    assert last.startswith("macro-F1 ") and float(last.split()[1]) > 0.9  # its own training data
    assert "混淆矩阵" in evaluated.stdout
    cv = hotline("evaluate", "--model", str(out))
    assert cv.returncode == 0 and "交叉验证" in cv.stdout and "macro-F1" in cv.stdout


@pytest.mark.slow  # trains and cross-validates classifiers
def test_segmented_text_scores_like_raw_text(tmp_path):
    table = seed_table("appeal_type")
    raw = train_table(table, tmp_path / "raw", "raw")
    from assistant.classify.data import Table
    from assistant.classify.tokenize import words

    segmented = Table(texts=tuple(" ".join(words(t)) for t in table.texts), labels=table.labels, source="seg")
    seg = train_table(segmented, tmp_path / "seg", "seg")
    best = lambda m: m["cv"][m["chosen"]["name"]]["macro_f1"]  # noqa: E731
    assert abs(best(raw) - best(seg)) < 0.03


def test_shipped_models_load_and_give_top3_probabilities():
    for name in SHIPPED_LABEL_SETS:
        model = persist.load(active_folder(models_dir(), name))
        proba = model.pipeline.predict_proba(["我在饭店吃完饭以后上吐下泻，想投诉这家饭店"])[0]
        assert abs(proba.sum() - 1) < 1e-6 and len(proba) == len(model.labels)
    category = persist.load(active_folder(models_dir(), "category"))
    top = category.pipeline.classes_[category.pipeline.predict_proba(["饭店的菜吃了拉肚子"])[0].argsort()[::-1][:3]]
    assert top[0] == "食品安全"


@pytest.fixture(scope="module")
def small_table():
    from assistant.classify.data import Table

    table = seed_table("category")
    keep = [(t, lab) for t, lab in zip(table.texts, table.labels, strict=True) if lab in {"食品安全", "急救服务"}]
    return Table(texts=tuple(t for t, _ in keep), labels=tuple(lab for _, lab in keep), source="small")


@pytest.fixture
def small_model(tmp_path, small_table):
    return persist.load(train_table(small_table, tmp_path / "m", "small") and tmp_path / "m")


def test_training_is_reproducible(tmp_path, small_table, small_model):
    train_table(small_table, tmp_path / "again", "small")
    again = json.loads((tmp_path / "again" / "metadata.json").read_text())
    assert again["model_sha256"] == small_model.metadata["model_sha256"]


def test_tampered_model_file_is_refused(small_model):
    with (small_model.folder / "model.joblib").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelError, match="不匹配"):
        persist.load(small_model.folder)


def test_model_from_another_sklearn_is_refused(small_model):
    folder = small_model.folder
    meta = json.loads((folder / "metadata.json").read_text())
    meta["versions"]["scikit-learn"] = "0.24.2"
    (folder / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="scikit-learn 0.24.2"):
        persist.load(folder)


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ModelError, match="不是分类模型目录"):
        persist.load(tmp_path)


def test_model_of_an_older_format_is_refused_with_the_way_out(small_model):
    folder = small_model.folder
    meta = json.loads((folder / "metadata.json").read_text())
    meta["format"] = 1  # trained when character features still saw punctuation
    (folder / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="模型格式 1") as info:
        persist.load(folder)
    assert "hotline train" in info.value.hint


def test_character_features_ignore_punctuation_and_spaces():
    from assistant.classify.tokenize import squash

    assert squash("医生，态度 很差！！Ok？") == squash("医生态度很差ok") == "医生态度很差ok"
