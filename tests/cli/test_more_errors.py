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


@pytest.mark.parametrize("command", [("tickets", "list"), ("units", "import", "UNITS")])
def test_another_programs_sqlite_file_is_refused_and_unchanged(home, tmp_path, units, command):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE stock (code TEXT)")
    args = [str(units) if a == "UNITS" else a for a in command]
    done = hotline(home, *args, "--db", f"sqlite:///{path}")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"错误：数据库 sqlite:///{path} 不是 hotline 的数据库"), done.stderr
    with sqlite3.connect(path) as db:
        assert [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["stock"]


DRAFT = json.dumps({"hotline": "12345", "operator_id": "0421",
                    "ticket": {"title": "楼下夜市太吵", "appeal_type": "投诉", "phone": "13900004321"}},
                   ensure_ascii=False)


def import_with_rules(home, tmp_path, rules: str):
    from assistant.centre.setup import init_centre

    (init_centre(home / "centre") / "deadlines.toml").write_text(rules, encoding="utf-8")
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text(DRAFT + "\n", encoding="utf-8")
    return hotline(home, "tickets", "import", str(drafts), "--db", f"sqlite:///{tmp_path / 't.db'}")


@pytest.mark.parametrize(("rules", "key", "shown"), [
    ("days = 3\n", "days", "3"),
    ('holidays = "2026-10-01"\n', "holidays", "“2026-10-01”"),
    ('holidays = ["2026-10-01", "国庆"]\n', "holidays", "“国庆”"),
    ("workdays = [20261010]\n", "workdays", "20261010"),
    ('[days]\n"投诉" = -3\n', "days.投诉", "-3"),
    ('[days]\n"求助" = 2.5\n', "days.求助", "2.5"),
    ("urgent_days = -1\n", "urgent_days", "-1"),
    ("dispatch_days = true\n", "dispatch_days", "true"),
    ('urgent_days = "零"\n', "urgent_days", "“零”"),
])
def test_a_wrong_deadline_rule_names_file_key_and_value(home, tmp_path, rules, key, shown):
    done = import_with_rules(home, tmp_path, rules)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"错误：时限配置 {home / 'centre' / 'deadlines.toml'} 中 {key} "), first
    assert shown in first, first


def test_an_unquoted_chinese_key_is_explained(home, tmp_path):
    done = import_with_rules(home, tmp_path, "[days]\n投诉 = 7\n")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"错误：时限配置 {home / 'centre' / 'deadlines.toml'} 不是有效的 TOML"), done.stderr
    assert "中文的键要加引号" in done.stderr


@pytest.mark.parametrize(("rules", "key", "known"), [
    ('holiday = ["2026-10-01"]\n', "holiday", "holidays"),
    ('[days]\n"咨讯" = 3\n', "days.咨讯", "咨询"),
])
def test_an_unknown_deadline_key_is_a_warning_listing_the_known_ones(home, tmp_path, rules, key, known):
    done = import_with_rules(home, tmp_path, rules)
    assert done.returncode == 0, done.stderr
    warning = next(line for line in done.stderr.splitlines() if line.startswith("警告："))
    assert f"时限配置 {home / 'centre' / 'deadlines.toml'} 中" in warning and f" {key} 不认识" in warning, warning
    assert known in warning, warning


def test_deadline_rules_take_toml_dates_and_digit_strings(tmp_path):
    from datetime import date

    from assistant.store.deadlines import DeadlineRules

    path = tmp_path / "deadlines.toml"
    path.write_text('holidays = [2026-10-01, "2026-10-02"]\nurgent_days = "1"\n[days]\n"咨询" = 3\n', encoding="utf-8")
    rules = DeadlineRules.load(path)
    assert rules.holidays == {date(2026, 10, 1), date(2026, 10, 2)}
    assert (rules.urgent_days, rules.days["咨询"], rules.days["投诉"]) == (1, 3, 10)


@pytest.mark.parametrize("flag", [("--full",), ("--actor", "王工"), ("--role", "admin")])
def test_stats_has_no_full_view_to_promise(home, tmp_path, flag):
    done = hotline(home, "tickets", "stats", "--db", f"sqlite:///{tmp_path / 't.db'}", *flag)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(f"错误：无法识别的参数：{flag[0]}"), done.stderr
    assert flag[0] not in hotline(home, "tickets", "stats", "-h").stdout


def test_the_ticket_table_names_fields_as_the_form_and_exports_do(home, tmp_path):
    from assistant.draft.fields import LABELS

    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text(DRAFT + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 't.db'}"
    assert hotline(home, "tickets", "import", str(drafts), "--db", url).returncode == 0
    table = hotline(home, "tickets", "list", "--db", url)
    assert table.returncode == 0, table.stderr
    header = table.stdout.splitlines()[1]
    for name in ("number", "deadline", "appeal_type", "phone", "title"):
        assert LABELS[name] in header, header
    assert "联系电话" in header and "工单标题" in header and "办理时限" in header
    assert "楼下夜市太吵" in table.stdout and "139****4321" in table.stdout


def test_units_list_without_an_import_lists_the_demo_centres_directory(home):
    done = hotline(home, "units", "list")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "演示" in done.stderr and "hotline units import" in done.stderr, done.stderr
    assert "临江市第一人民医院" in done.stdout, done.stdout


def test_units_list_and_review_explain_themselves_in_chinese(home):
    listing = hotline(home, "units", "list", "-h").stdout
    assert "导入的目录" in listing, listing
    review = hotline(home, "review", "-h").stdout
    assert "录音" in review.split("\n\n")[0] and "file" not in review, review
