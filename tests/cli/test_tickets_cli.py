"""`hotline tickets` and `hotline db` as a user runs them: every mistake is one Chinese line, exit 2, nothing lost.

Each test runs the real command in a child process on SQLite and on PostgreSQL (the store's fixture).
"""

import argparse
import csv
import json
import re

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from assistant.store.models import Base, Ticket, TicketCounter
from tests.conftest import run_hotline as hotline
from tests.store import conftest as store_fixtures

PG_URL = store_fixtures.PG_URL
db_url, engine = store_fixtures.db_url, store_fixtures.engine  # the store's fixture: SQLite and PostgreSQL

NUMBER = re.compile(r"^\d{3,10}-\d{8}-\d{4}$")


def line(ticket, **top) -> str:
    return json.dumps({"hotline": "12320", "operator_id": "0815", **top, "ticket": ticket}, ensure_ascii=False)


GOOD = [
    line({"title": "小区门口积水", "caller_name": "张三", "phone": "13800000000", "category": "市政设施"}),
    line({"title": "药房排队太久", "caller_name": "李四", "phone": "13800000001", "summary": "窗口少"}),
    line({"title": "公交站牌缺失", "caller_name": "王五", "phone": "13800000002"}),
]


def fails(done, *words: str) -> str:
    """The command failed the way a user should see: exit 2, a Chinese 错误 line naming ``words``, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("错误：") and re.search(r"[\u4e00-\u9fff]", first[3:]), done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)
    return done.stderr


def count(engine, table=Ticket) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(table))


def write(path, *lines: str):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# 1. import: all or nothing, every bad line named by file and number


def test_import_of_a_missing_file(db_url, tmp_path):
    missing = tmp_path / "没有这个文件.jsonl"
    fails(hotline("tickets", "import", str(missing), "--db", db_url), str(missing), "找不到")


@pytest.mark.parametrize(("ticket", "words"), [
    (["小区门口积水"], ("ticket", "对象", "列表")),
    ({"title": {"text": "小区门口积水"}}, ("标题", "title", "文字", "对象")),
    ({"caller_name": ["张三"]}, ("来电人", "caller_name", "列表")),
    ({"urgency": True}, ("紧急程度", "真假值")),
])
def test_import_of_a_line_whose_values_are_not_text(engine, db_url, tmp_path, ticket, words):
    drafts = write(tmp_path / "drafts.jsonl", line(ticket))
    fails(hotline("tickets", "import", str(drafts), "--db", db_url), str(drafts), "第 1 行", *words)
    assert count(engine) == 0


def test_a_bad_third_line_imports_nothing_and_a_good_file_prints_every_number(engine, db_url, tmp_path):
    bad = write(tmp_path / "drafts.jsonl", GOOD[0], GOOD[1], "{这不是 JSON", GOOD[2])
    err = fails(hotline("tickets", "import", str(bad), "--db", db_url), str(bad), "第 3 行", "JSON")
    assert "没有导入任何工单" in err
    assert count(engine) == 0 and count(engine, TicketCounter) == 0  # no number was taken either

    good = write(tmp_path / "fixed.jsonl", *GOOD)
    done = hotline("tickets", "import", str(good), "--db", db_url)
    assert done.returncode == 0, done.stderr
    numbers = done.stdout.split()
    assert len(numbers) == 3 and all(NUMBER.match(n) for n in numbers) and numbers[-1].endswith("-0003")
    assert count(engine) == 3


def test_every_bad_line_is_named_not_only_the_first(engine, db_url, tmp_path):
    drafts = write(tmp_path / "drafts.jsonl", GOOD[0], line(["x"]), GOOD[1], line({"title": {}}))
    err = fails(hotline("tickets", "import", str(drafts), "--db", db_url), "第 2 行", "第 4 行", "共 2 行有误")
    assert "第 1 行" not in err and "第 3 行" not in err
    assert count(engine) == 0


def test_import_from_standard_input(engine, db_url):
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "assistant", "tickets", "import", "-", "--db", db_url],
                          input="\n".join(GOOD[:2]) + "\n", capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) == 2 and count(engine) == 2


# 6. values the schema cannot hold: the same refusal on both engines, before anything is written


@pytest.mark.parametrize(("top", "ticket", "words"), [
    ({"hotline": "12345678901"}, {"title": "小区门口积水"}, ("热线号码", "12345678901", "3 到 10 位数字")),
    ({"hotline": "12345热线"}, {"title": "小区门口积水"}, ("热线号码", "12345热线")),
    ({}, {"caller_name": "张" * 51}, ("来电人", "最多 50 个字", "51")),
    ({}, {"phone": "1" * 21}, ("联系电话", "最多 20 个字")),
    ({"operator_id": "9" * 21}, {"title": "小区门口积水"}, ("工号", "最多 20 个字")),
])
def test_values_the_columns_cannot_hold_are_refused_on_both_engines(engine, db_url, tmp_path, top, ticket, words):
    drafts = write(tmp_path / "drafts.jsonl", GOOD[0], line(ticket, **top))
    fails(hotline("tickets", "import", str(drafts), "--db", db_url), str(drafts), "第 2 行", *words)
    assert count(engine) == 0


def test_an_actor_name_too_long_for_the_audit_log(engine, db_url, tmp_path):
    drafts = write(tmp_path / "drafts.jsonl", GOOD[0])
    fails(hotline("tickets", "import", str(drafts), "--db", db_url, "--actor", "赵" * 51), "操作人", "50")
    assert count(engine) == 0


# 2. export


def test_export_to_a_missing_folder(engine, db_url, tmp_path):
    write(tmp_path / "drafts.jsonl", GOOD[0])
    assert hotline("tickets", "import", str(tmp_path / "drafts.jsonl"), "--db", db_url).returncode == 0
    target = tmp_path / "missing" / "folder" / "x.csv"
    fails(hotline("tickets", "export", "--db", db_url, "--out", str(target)), str(target.parent), "不存在")
    assert not (tmp_path / "missing").exists()
    fails(hotline("tickets", "export", "--db", db_url, "--out", str(tmp_path / "x.txt")), ".txt", ".csv", ".xlsx")
    fails(hotline("tickets", "export", "--db", db_url, "--out", str(tmp_path)), str(tmp_path), "文件夹")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(("drafts", "hotline.db"))] == []


def test_a_refused_full_export_writes_no_audit_entry(engine, db_url, tmp_path):
    from assistant.store.models import TicketEvent

    write(tmp_path / "drafts.jsonl", GOOD[0])
    assert hotline("tickets", "import", str(tmp_path / "drafts.jsonl"), "--db", db_url).returncode == 0
    target = tmp_path / "nowhere" / "x.xlsx"
    fails(hotline("tickets", "export", "--db", db_url, "--out", str(target), "--full", "--role", "admin"), "不存在")
    with Session(engine) as session:
        assert session.scalar(select(func.count()).where(TicketEvent.action == "read_personal")) == 0


# 3. --db: engines, paths, servers


def test_an_unsupported_engine_names_the_supported_ones(tmp_path):
    err = fails(hotline("tickets", "list", "--db", "mysql://someone@localhost/hotline"), "不支持", "mysql")
    assert "SQLite" in err and "PostgreSQL" in err and "sqlite:///" in err and "postgresql+psycopg://" in err


@pytest.mark.parametrize("where", ["missing/folder/hotline.db", "a-file.txt/hotline.db", "."])
def test_a_sqlite_path_that_cannot_hold_a_database(tmp_path, where):
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    path = tmp_path / where
    drafts = write(tmp_path / "drafts.jsonl", GOOD[0])
    fails(hotline("tickets", "import", str(drafts), "--db", f"sqlite:///{path}"), str(path).rstrip("/."), "SQLite")
    assert not (tmp_path / "missing").exists()


def test_a_sqlite_file_that_cannot_be_created(tmp_path):
    drafts = write(tmp_path / "drafts.jsonl", GOOD[0])
    fails(hotline("tickets", "import", str(drafts), "--db", "sqlite:////proc/hotline-test.db"),
          "/proc/hotline-test.db", "无法打开或创建")


def test_a_read_only_folder(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        drafts = write(tmp_path / "drafts.jsonl", GOOD[0])
        fails(hotline("tickets", "import", str(drafts), "--db", f"sqlite:///{folder / 'h.db'}"), "没有权限写入")
    finally:
        folder.chmod(0o700)


def test_a_server_that_cannot_be_reached_is_named_in_chinese_first():
    err = fails(hotline("tickets", "list", "--db", "postgresql+psycopg://someone:secret@127.0.0.1:1/none"),
                "无法连接数据库", "127.0.0.1:1", "连接被拒绝")
    assert err.splitlines()[0].startswith("错误：无法连接数据库")
    assert "Connection refused" in err and "secret" not in err  # the driver's words as detail, no password


def test_a_database_that_does_not_exist_on_the_server():
    fails(hotline("tickets", "list", "--db", PG_URL.rsplit("/", 1)[0] + "/hotline_no_such_db"),
          "无法连接数据库", "hotline_no_such_db", "库不存在")


# 4. a database never upgraded


@pytest.fixture
def blank_url(engine, db_url, tmp_path):
    """An empty database: a new SQLite file, or the PostgreSQL database with every table dropped."""
    if db_url.startswith("sqlite"):
        import sqlite3

        path = tmp_path / "blank.db"
        sqlite3.connect(path).close()
        return f"sqlite:///{path}"
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    return db_url


def test_an_empty_database_is_brought_to_the_schema_by_any_ticket_command(blank_url, tmp_path):
    listed = hotline("tickets", "list", "--db", blank_url, "--format", "json")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    assert json.loads(listed.stdout) == []
    drafts = write(tmp_path / "drafts.jsonl", GOOD[0])
    assert hotline("tickets", "import", str(drafts), "--db", blank_url).returncode == 0


def _downgrade(url: str, revision: str) -> None:
    from alembic import command

    from assistant.store.db import make_engine
    from assistant.store.migrate import alembic_config

    old = make_engine(url)
    config = alembic_config(url)
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    old.dispose()


def test_an_older_schema_is_upgraded_on_sqlite_and_named_on_postgresql(engine, db_url):
    _downgrade(db_url, "0002")
    listed = hotline("tickets", "list", "--db", db_url, "--format", "json")
    if db_url.startswith("sqlite"):
        assert listed.returncode == 0 and json.loads(listed.stdout) == [], listed.stderr
    else:
        fails(listed, "结构不是最新", "请先运行 hotline db upgrade")
        assert hotline("db", "upgrade", "--db", db_url).returncode == 0
        assert hotline("tickets", "list", "--db", db_url).returncode == 0


def test_reading_a_sqlite_file_that_does_not_exist_creates_nothing(tmp_path):
    path = tmp_path / "typo.db"
    for args in (("list",), ("stats",), ("show", "12320-20260105-0001"), ("move", "12320-20260105-0001", "已派单")):
        fails(hotline("tickets", *args, "--db", f"sqlite:///{path}"), str(path), "不存在")
    assert not path.exists()


# 5. states and numbers


def _one_ticket(db_url, tmp_path) -> str:
    done = hotline("tickets", "import", str(write(tmp_path / "one.jsonl", GOOD[0])), "--db", db_url)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_an_unknown_status_filter_lists_the_legal_states(engine, db_url):
    err = fails(hotline("tickets", "list", "--db", db_url, "--status", "不存在"), "不存在", "可用状态")
    assert all(state in err for state in ("草稿", "已受理", "已派单", "已归档", "当场办结", "退回"))


def test_moves_to_unknown_or_illegal_states_and_unknown_numbers(engine, db_url, tmp_path):
    number = _one_ticket(db_url, tmp_path)
    err = fails(hotline("tickets", "move", number, "已完成", "--db", db_url), "已完成", "可用状态")
    assert "已办结" in err and "退回" in err
    fails(hotline("tickets", "move", number, "已归档", "--db", db_url),
          "不能从“已受理”改为“已归档”", "已派单、当场办结")
    fails(hotline("tickets", "move", "12320-20260105-9999", "已派单", "--db", db_url), "12320-20260105-9999", "没有")
    fails(hotline("tickets", "move", number, "已派单", "--db", db_url, "--note", "转市卫健委"),
          "没有承办单位", "--unit")
    moved = hotline("tickets", "dispatch", number, "--unit", "市卫健委", "--db", db_url, "--note", "转市卫健委")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.startswith(f"{number}：已派单（承办单位 临江市卫生健康委员会，办理时限 "), moved.stdout


def test_an_unknown_role(engine, db_url):
    err = fails(hotline("tickets", "list", "--db", db_url, "--role", "boss"), "boss", "可用角色")
    assert "supervisor" in err and "班长/质检" in err


# 7. the 热线 column


def test_show_and_export_fill_the_hotline_column(engine, db_url, tmp_path):
    number = _one_ticket(db_url, tmp_path)
    shown = hotline("tickets", "show", number, "--db", db_url)
    assert "热线：12320" in shown.stdout.splitlines(), shown.stdout
    out = tmp_path / "工单.csv"
    assert hotline("tickets", "export", "--db", db_url, "--out", str(out)).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["热线"] for r in rows] == ["12320"]
    xlsx = tmp_path / "工单.xlsx"
    assert hotline("tickets", "export", "--db", db_url, "--out", str(xlsx)).returncode == 0
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("热线") + 1).value == "12320"


# 8. --search does what its help says


def test_search_matches_number_and_title_as_its_help_says(engine, db_url, tmp_path):
    assert hotline("tickets", "import", str(write(tmp_path / "d.jsonl", *GOOD)), "--db", db_url).returncode == 0

    def found(word):
        done = hotline("tickets", "list", "--db", db_url, "--format", "json", "--search", word)
        assert done.returncode == 0, done.stderr
        return [r["title"] for r in json.loads(done.stdout)]

    assert found("积水") == ["小区门口积水"]
    assert found("窗口少") == []  # only in the summary, which the help says is not searched
    assert found("张三") == []  # personal data is never searched
    assert len(found("-0002")) == 1
    helptext = hotline("tickets", "list", "-h").stdout
    assert "在工单编号和标题中搜索" in " ".join(helptext.split())


# 9. help


def _store_parser() -> argparse.ArgumentParser:
    from assistant.cli import store

    parser = argparse.ArgumentParser(prog="hotline")
    store.register(parser.add_subparsers())
    return parser


def _walk(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _walk(child)


def test_every_option_of_db_and_tickets_has_chinese_help():
    for parser in _walk(_store_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            assert action.help and re.search(r"[\u4e00-\u9fff]", action.help), (parser.prog, action.dest)


def test_move_help_lists_the_states_and_their_steps():
    done = hotline("tickets", "move", "-h")
    assert done.returncode == 0
    helptext = "".join(done.stdout.split())
    assert all(state in helptext for state in ("草稿", "已受理", "已派单", "办理中", "已办结", "已回访", "已归档",
                                                "当场办结", "退回"))
    assert "已受理→已派单、当场办结" in helptext
