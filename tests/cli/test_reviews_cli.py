"""`hotline reviews list | export | scores` and `hotline review 工单编号` as a user runs them, on SQLite and
PostgreSQL: the stored reviews read back, and every mistake one Chinese line before the database is touched."""

import csv
from datetime import UTC, datetime

import openpyxl
from sqlalchemy.orm import Session

from assistant.demo import DEMO_UNITS
from assistant.store import reviews
from assistant.store.reviews import Item
from tests.cli.test_tickets_cli import fails
from tests.conftest import run_hotline as hotline
from tests.review.stored_calls import file_call
from tests.store.conftest import db_url, engine  # noqa: F401

CHECKS = (("greeting", "开场问候并报工号"), ("phone_readback", "复述并确认联系电话"),
          ("demand_confirmed", "复述诉求并得到确认"), ("closing_time_limit", "结束时告知办理时限"))


def reviewed(engine, ref, passed: int, day: int, reviewer="质检李娜"):  # noqa: F811
    items = [Item(key, label, i < passed, i < passed, "") for i, (key, label) in enumerate(CHECKS)]
    with Session(engine) as db, db.begin():
        call, ticket = reviews.find_call(db, ref)
        reviews.save(db, items, reviewer=reviewer, call=call, ticket=ticket,
                     now=datetime(2026, 12, day, 2, 0, tzinfo=UTC))


def three_reviews(engine):  # noqa: F811
    _, a = file_call(engine, "rec-a", operator="2219")
    _, b = file_call(engine, "rec-b", operator="2219")
    _, c = file_call(engine, "rec-c", operator="3050")
    reviewed(engine, a, 4, 1)
    reviewed(engine, b, 2, 2)
    reviewed(engine, c, 1, 3, reviewer="质检周敏")
    return a, b, c


def test_reviews_are_listed_by_operator_and_day(engine, db_url):  # noqa: F811
    a, b, c = three_reviews(engine)
    done = hotline("reviews", "list", "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.index(c) < done.stdout.index(b) < done.stdout.index(a) and "共 3 条质检结果" in done.stderr
    mine = hotline("reviews", "list", "--db", db_url, "--operator", "2219", "--from", "2026-12-02")
    assert b in mine.stdout and a not in mine.stdout and c not in mine.stdout, mine.stdout
    assert "复述诉求并得到确认、结束时告知办理时限" in mine.stdout


def test_scores_per_operator_lowest_first(engine, db_url):  # noqa: F811
    three_reviews(engine)
    done = hotline("reviews", "scores", "--db", db_url)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if "3050" in line or "2219" in line]
    assert "3050" in lines[0] and "25" in lines[0] and "2219" in lines[1] and "75" in lines[1], done.stdout
    assert "结束时告知办理时限通过率" in done.stdout and "共 2 位接线员" in done.stderr


def test_reviews_are_exported_to_csv_and_xlsx(engine, db_url, tmp_path):  # noqa: F811
    a, b, c = three_reviews(engine)
    done = hotline("reviews", "export", "--db", db_url, "--out", str(tmp_path / "质检.csv"), "--operator", "2219")
    assert done.returncode == 0 and "已导出 2 条质检结果" in done.stdout, done.stderr
    rows = list(csv.DictReader((tmp_path / "质检.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["工单编号"], r["得分"]) for r in rows] == [(b, "50"), (a, "100")]
    done = hotline("reviews", "export", "--db", db_url, "--out", str(tmp_path / "质检.xlsx"))
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "质检.xlsx").active
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [c, b, a]


def test_mistakes_are_named_before_the_database_is_read(db_url, tmp_path):  # noqa: F811
    fails(hotline("reviews", "list", "--db", db_url, "--from", "2026-12-05", "--to", "2026-12-01"), "晚于")
    fails(hotline("reviews", "list", "--db", db_url, "--from", "12/05"), "12/05")
    fails(hotline("reviews", "export", "--db", db_url, "--out", str(tmp_path / "质检.pdf")), "不支持的导出格式")
    fails(hotline("reviews", "scores", "--db", f"sqlite:///{tmp_path / 'none.db'}"), "不存在")
    assert not (tmp_path / "none.db").exists()


def test_review_names_a_ticket_or_call_the_store_does_not_hold(engine, db_url):  # noqa: F811
    file_call(engine)
    fails(hotline("review", "12320-20991231-0009", "--db", db_url, "--units", str(DEMO_UNITS)),
          "找不到工单或通话“12320-20991231-0009”")
    fails(hotline("review", "no-such-call.wav", "--db", db_url, "--units", str(DEMO_UNITS)), "no-such-call.wav")
