"""`hotline train --archive`: a centre's ticket texts become the language model its transcription is biased by."""

from __future__ import annotations

import shutil

import pytest

from assistant.centre import shipped_centre_folder
from assistant.lexicon.centre_lm import centre_lm
from assistant.lexicon.charlm import CharLM
from tests.conftest import run_hotline


@pytest.fixture
def centre(tmp_path):
    folder = tmp_path / "centre"
    shutil.copytree(shipped_centre_folder(), folder)
    return folder


def test_an_archive_trains_the_language_model_and_a_second_one_adds_to_it(centre, tmp_path):
    from assistant.centre import load_centre

    archive = tmp_path / "archive.csv"
    archive.write_text("编号,内容\n1,反映石桥镇卫生院夜间无人值班\n2,石桥镇卫生院的医生态度不好\n3,\n",
                       encoding="utf-8")
    before = centre_lm(load_centre(centre)).log_prob("石桥镇卫生院")
    done = run_hotline("--centre", str(centre), "train", "--archive", str(archive), "--text-col", "内容")
    assert done.returncode == 0, done.stderr
    assert "语言模型：加入" in done.stdout and "2 条文本" in done.stdout
    path = centre / "models" / "lm" / "lm.json.gz"
    first = CharLM.load(path)
    assert centre_lm(load_centre(centre)).log_prob("石桥镇卫生院") > before
    run_hotline("--centre", str(centre), "train", "--archive", str(archive), "--text-col", "内容")
    assert CharLM.load(path).size == 2 * first.size
    shown = run_hotline("--centre", str(centre), "centre", "show")
    assert f"语言模型：中心配置和单位目录 + 历史工单 {2 * first.size} 字" in shown.stdout


@pytest.mark.parametrize(("args", "said"), [
    (["--text-col", "内容"], "不存在"),
    (["--text-col", "正文"], "没有列“正文”"),
    ([], "必须给出 --text-col"),
])
def test_mistakes_are_said_in_one_line(centre, tmp_path, args, said):
    archive = tmp_path / "archive.csv"
    if said != "不存在":
        archive.write_text("内容\n一句话\n", encoding="utf-8")
    done = run_hotline("--centre", str(centre), "train", "--archive", str(archive), *args)
    assert done.returncode != 0 and said in done.stderr and "Traceback" not in done.stderr


def test_the_shipped_demo_centre_is_not_written(tmp_path):
    archive = tmp_path / "archive.csv"
    archive.write_text("内容\n一句话\n", encoding="utf-8")
    done = run_hotline("--centre", str(shipped_centre_folder()), "train", "--archive", str(archive),
                       "--text-col", "内容")
    assert done.returncode != 0 and "演示中心" in done.stderr


def test_centre_check_names_a_damaged_language_model(centre):
    (centre / "models" / "lm").mkdir(parents=True)
    (centre / "models" / "lm" / "lm.json.gz").write_bytes(b"broken")
    done = run_hotline("--centre", str(centre), "centre", "check")
    assert done.returncode != 0
    assert "语言模型" in done.stdout + done.stderr and "lm.json.gz 无法读取" in done.stdout + done.stderr
