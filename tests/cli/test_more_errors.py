"""Ordinary mistakes at the command line, each one Chinese line naming the file and what is wrong with it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_hotline

UNITS = "name,aliases,kind,district,handles\n样例区第二医院,二院,医院,样例区,就医流程\n"


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def units(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    return path


def hotline(home, *args):
    return run_hotline(*args, env={"HOTLINE_HOME": str(home), "HOTLINE_DB": "", "HOTLINE_UNITS": ""}, timeout=120)


@pytest.mark.parametrize("segments", ["abc", [1], [{"speaker": "op", "start": 0, "end": 1, "text": "好"}, "x"], 7])
def test_segments_that_are_not_a_list_of_objects_name_the_file(home, units, tmp_path, segments):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"id": "t-9", "segments": segments}), encoding="utf-8")
    done = hotline(home, "draft", str(path), "--units", str(units))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"失败：{path}：t-9 的 segments 应为段落对象的列表"), done.stderr


def test_a_missing_transcript_says_the_file_is_missing(home, units, tmp_path):
    path = tmp_path / "missing.json"
    done = hotline(home, "draft", str(path), "--units", str(units))
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[0] == f"失败 {path}：文件或文件夹不存在", done.stderr


def test_listing_tickets_in_another_programs_sqlite_file_changes_nothing(home, tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE stock (code TEXT)")
    done = hotline(home, "tickets", "list", "--db", f"sqlite:///{path}")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"错误：数据库 sqlite:///{path} 不是 hotline 的数据库"), done.stderr
    with sqlite3.connect(path) as db:
        assert [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["stock"]
