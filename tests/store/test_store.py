"""The store on SQLite and PostgreSQL: numbering under concurrency, workflow, deadlines, privacy, safety."""

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.errors import TicketError
from assistant.store import case, workflow
from assistant.store.db import StorageError, make_engine
from assistant.store.deadlines import DeadlineRules
from assistant.store.models import Ticket, TicketCounter, TicketEvent
from assistant.store.tickets import Filters, create_ticket, list_tickets, read_full, row, transition
from tests.conftest import run_hotline as hotline

VALUES = {"appeal_type": "投诉", "category": "服务态度", "unit": "临江市第一人民医院", "urgency": "一般",
          "caller_name": "张晓梅", "phone": "13912345678", "title": "测试工单"}


def add(engine, **kw):
    with Session(engine) as session, session.begin():
        ticket = create_ticket(session, hotline=kw.pop("hotline", "12320"), values={**VALUES, **kw.pop("values", {})},
                               operator_id="1027", actor="tester", **kw)
        return ticket.number


def _worker(url: str, n: int, queue) -> None:
    engine = make_engine(url)
    numbers = [add(engine) for _ in range(n)]
    queue.put(numbers)


@pytest.mark.slow  # eight processes filing at once: a stress test, not a quick check
def test_numbers_are_unique_and_gap_free_under_8_processes(engine, db_url):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(db_url, 50, queue)) for _ in range(8)]
    for p in procs:
        p.start()
    numbers = [n for _ in procs for n in queue.get(timeout=300)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(numbers) == 400 == len(set(numbers))
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert seqs == list(range(1, 401))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 400


def test_number_format_and_per_hotline_sequence(engine):
    first = add(engine, hotline="12320")
    other = add(engine, hotline="12345")
    second = add(engine, hotline="12320")
    today = datetime.now().astimezone().date().strftime("%Y%m%d")
    assert first == f"12320-{today}-0001" and second == f"12320-{today}-0002" and other.endswith("-0001")


def test_workflow_moves_and_refusals(engine):
    number = add(engine)
    with Session(engine) as session, session.begin():
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        with pytest.raises(workflow.WorkflowError, match="不能从“已受理”改为“已归档”"):
            transition(session, ticket, workflow.ARCHIVED, actor="t", role="supervisor")
        for state in (workflow.DISPATCHED, workflow.RETURNED, workflow.ACCEPTED, workflow.DISPATCHED,
                      workflow.IN_PROGRESS, workflow.DONE):
            transition(session, ticket, state, actor="班长", note=f"到{state}", role="supervisor")
        with pytest.raises(TicketError, match="回访"):  # a visit needs its method and satisfaction
            transition(session, ticket, workflow.VISITED, actor="班长", role="supervisor")
        case.visit(session, ticket, actor="班长", role="supervisor", method="电话", satisfaction="满意")
        transition(session, ticket, workflow.ARCHIVED, actor="班长", role="supervisor")
        moves = [(e.from_status, e.to_status) for e in ticket.events if e.action == "transition"]
        assert moves[1] == (workflow.DISPATCHED, workflow.RETURNED) and moves[-1][1] == workflow.ARCHIVED
        with pytest.raises(workflow.WorkflowError):
            transition(session, ticket, workflow.IN_PROGRESS, actor="t", role="supervisor")


@pytest.mark.parametrize(
    ("appeal", "urgency", "accepted", "expected"),
    [
        ("咨询", "一般", date(2026, 11, 20), date(2026, 11, 24)),  # Friday + 2 working days
        ("求助", "一般", date(2026, 11, 20), date(2026, 11, 27)),
        ("投诉", "一般", date(2026, 9, 30), date(2026, 10, 15)),  # holidays 10-1, 10-2 skipped; 10-10 worked
        ("投诉", "紧急", date(2026, 11, 21), date(2026, 11, 23)),  # urgent on a Saturday: the next working day
        ("建议", "一般", date(2026, 10, 9), date(2026, 10, 22)),  # 10-10 is a worked Saturday (调休)
    ],
)
def test_deadlines_in_working_days(appeal, urgency, accepted, expected, tmp_path):
    path = tmp_path / "deadlines.toml"
    path.write_text('holidays = ["2026-10-01", "2026-10-02"]\nworkdays = ["2026-10-10"]\n', encoding="utf-8")
    assert DeadlineRules.load(path).deadline(accepted, appeal, urgency) == expected


def test_overdue_query(engine):
    old = datetime(2026, 1, 5, 9, tzinfo=UTC)
    overdue = add(engine, now=old)
    add(engine)
    with Session(engine) as session:
        found = list_tickets(session, Filters(overdue=True))
        assert [t.number for t in found] == [overdue]


def test_lists_mask_and_full_reads_are_audited(engine):
    number = add(engine)
    with Session(engine) as session, session.begin():
        masked = row(list_tickets(session, Filters())[0])
        assert masked["phone"] == "139****5678" and masked["caller_name"] == "张**"
        full = read_full(session, number, actor="质检张三")
        assert row(full, full=True)["phone"] == "13912345678"
    with Session(engine) as session:
        reads = session.scalars(select(TicketEvent).where(TicketEvent.action == "read_personal")).all()
        assert [(e.actor, e.ticket.number) for e in reads] == [("质检张三", number)]


def test_corrections_are_kept_for_retraining(engine):
    drafted = {**VALUES, "category": "医疗质量"}
    with Session(engine) as session, session.begin():
        ticket = create_ticket(session, hotline="12320", values=VALUES, operator_id="1", actor="op",
                               drafted=drafted, model_version="category@abc")
        assert [(c.field, c.drafted_value, c.confirmed_value) for c in ticket.corrections] == [
            ("category", "医疗质量", "服务态度")]


KILLED_WRITER = """
import sys, time
from sqlalchemy.orm import Session
from assistant.store.db import make_engine
from assistant.store.tickets import create_ticket
engine = make_engine(sys.argv[1])
with Session(engine) as session, session.begin():
    create_ticket(session, hotline="12320", values={"title": "half"}, operator_id="1", actor="x")
    print("inside", flush=True)
    time.sleep(60)
"""


def test_sigkill_mid_write_leaves_no_half_ticket(engine, db_url):
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, db_url], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)
    number = add(engine)  # waits for nothing: the killed transaction is gone
    assert number.endswith("-0001")  # its number was never taken: still gap-free
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
        assert session.scalar(select(TicketCounter.last_seq)) == 1


def test_corrupt_sqlite_file_is_named(tmp_path):
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="broken.db"):
        make_engine(f"sqlite:///{bad}")


def test_unreachable_database_is_named():
    with pytest.raises(StorageError, match="127.0.0.1:1"):
        make_engine("postgresql+psycopg://someone:secret@127.0.0.1:1/none")




def test_cli_list_show_export_stats(engine, db_url, tmp_path):
    number = add(engine)
    add(engine, values={"category": "医保报销", "unit": "临江市医疗保障局"})
    listed = hotline("tickets", "list", "--db", db_url, "--format", "json", "--category", "服务态度")
    rows = json.loads(listed.stdout)
    assert [r["number"] for r in rows] == [number] and rows[0]["phone"] == "139****5678"
    csv_out = hotline("tickets", "list", "--db", db_url, "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("工单编号,状态")
    xlsx = tmp_path / "工单.xlsx"
    done = hotline("tickets", "export", "--db", db_url, "--out", str(xlsx))
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.cell(1, 1).value == "工单编号" and sheet.max_row == 3
    stats = hotline("tickets", "stats", "--db", db_url)
    assert "医保报销\t1" in stats.stdout
    shown = hotline("tickets", "show", number, "--db", db_url)
    assert "139****5678" in shown.stdout and "历史" in shown.stdout
    moved = hotline("tickets", "move", number, "已归档", "--db", db_url)
    assert moved.returncode == 2 and "不能从“已受理”改为“已归档”" in moved.stderr


def test_full_personal_data_needs_a_supervisor_role(engine, db_url):
    number = add(engine)
    denied = hotline("tickets", "show", number, "--db", db_url, "--full")
    assert denied.returncode == 2 and "无权查看" in denied.stderr
    allowed = hotline("tickets", "show", number, "--db", db_url, "--full", "--role", "supervisor",
                      "--actor", "质检李四")
    assert allowed.returncode == 0 and "13912345678" in allowed.stdout
    listed = hotline("tickets", "list", "--db", db_url, "--format", "json", "--full", env={"HOTLINE_ROLE": "admin"})
    assert json.loads(listed.stdout)[0]["phone"] == "13912345678"
    with Session(engine) as session:
        actors = [e.actor for e in session.scalars(select(TicketEvent).where(TicketEvent.action == "read_personal"))]
        assert actors == ["质检李四", "cli"]


def test_units_import_fills_the_unit_table(engine, db_url, units_csv, tmp_path):
    from assistant.store.models import Unit

    done = hotline("units", "import", str(units_csv), "--db", db_url, env={"HOTLINE_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    with Session(engine) as session:
        names = session.scalars(select(Unit.name)).all()
        assert len(names) == 19 and "临江市第一人民医院" in names


def test_stored_segments_keep_the_numbers_the_asr_guessed(engine):
    from assistant.store.models import Segment as StoredSegment
    from assistant.store.tickets import add_call
    from assistant.transcript.model import Segment, Transcript

    heard = Segment("caller", 1.0, 4.0, "电话13852074612。", 0.8, guessed=("13852074612",))
    plain = Segment("op", 0.0, 0.9, "您好。", 0.9)
    transcript = Transcript(id="t1", source="", duration=5.0, channels="op-left", segments=(plain, heard), model="m")
    with Session(engine) as session, session.begin():
        add_call(session, transcript, external_id="t1", started_at=datetime(2026, 1, 13, tzinfo=UTC))
    with Session(engine) as session:
        stored = session.scalars(select(StoredSegment).order_by(StoredSegment.start)).all()
    assert [s.guessed for s in stored] == [[], ["13852074612"]]


def test_migrations_build_exactly_the_schema_the_models_declare(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from assistant.store.models import Base

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
