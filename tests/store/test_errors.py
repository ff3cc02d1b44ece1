"""The store's refusals: one AssistantError subclass each, with message and hint, the same on SQLite and PostgreSQL."""

import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from assistant.errors import AccessError, AssistantError, InputFileError, StorageError, TicketError
from assistant.store import workflow
from assistant.store.db import make_engine, storage_error, storage_errors
from assistant.store.models import Ticket, TicketCounter
from assistant.store.roles import Role, current_role, require_full_access
from assistant.store.tickets import Filters, create_ticket, get, list_tickets, row, transition
from assistant.store.workflow import Status

VALUES = {"title": "楼道灯坏了", "caller_name": "张三", "phone": "13800000000", "category": "市政设施"}


def add(session, **kw):
    return create_ticket(session, hotline=kw.pop("hotline", "12345"), values={**VALUES, **kw.pop("values", {})},
                         operator_id=kw.pop("operator_id", "0815"), actor=kw.pop("actor", "张三"), **kw)


def counts(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.scalar(select(func.count()).select_from(Ticket)),
                session.scalar(select(func.count()).select_from(TicketCounter)))


@pytest.mark.parametrize(("kw", "words"), [
    ({"hotline": "12345678901"}, ("热线号码", "12345678901")),
    ({"hotline": "热线"}, ("热线号码", "3 到 10 位数字")),
    ({"hotline": ""}, ("热线号码",)),
    ({"values": {"caller_name": "张" * 51}}, ("来电人", "最多 50 个字")),
    ({"values": {"category": "分" * 21}}, ("问题分类", "最多 20 个字")),
    ({"values": {"title": {"text": "楼道灯坏了"}}}, ("标题", "对象")),
    ({"values": {"phone": ["13800000000"]}}, ("联系电话", "列表")),
    ({"operator_id": "9" * 21}, ("工号",)),
    ({"actor": "李" * 51}, ("操作人",)),
])
def test_values_the_schema_cannot_hold_are_refused_before_writing(engine, kw, words):
    with Session(engine) as session, session.begin():
        with pytest.raises(TicketError) as caught:
            add(session, **kw)
    assert all(w in caught.value.message for w in words), caught.value.message
    assert caught.value.hint
    assert counts(engine) == (0, 0)  # nothing written, no number taken


def test_numbers_and_text_fit_as_before(engine):
    with Session(engine) as session, session.begin():
        ticket = add(session, hotline=12320, values={"phone": 13800000000, "caller_name": "张" * 50})
        assert ticket.number.startswith("12320-") and ticket.phone == "13800000000"
    with Session(engine) as session:
        stored = row(list_tickets(session, Filters())[0], full=True)
    assert stored["hotline"] == "12320" and stored["phone"] == "13800000000"


def test_states_and_roles_are_str_enums_with_the_stored_values(engine):
    assert [s.value for s in Status] == ["草稿", "已受理", "已派单", "办理中", "已办结", "已回访", "已归档",
                                         "当场办结", "退回"]
    assert workflow.ACCEPTED is Status.ACCEPTED and Status.ACCEPTED == "已受理" and f"{Status.DONE}" == "已办结"
    assert [r.value for r in Role] == ["operator", "unit", "supervisor", "admin"]
    assert current_role("supervisor") is Role.SUPERVISOR and Role.ADMIN.label == "管理员"
    with Session(engine) as session, session.begin():
        number = add(session, values={"unit": "临江市医疗保障局"}).number
        transition(session, get(session, number), "已派单", actor="李四", role="operator")
    with Session(engine) as session:
        raw = session.execute(text("SELECT status FROM ticket")).scalar_one()
        assert raw == "已派单" and type(raw) is str  # the column holds the Chinese name, as before
        assert [t.number for t in list_tickets(session, Filters(status="已派单"))] == [number]
        assert list_tickets(session, Filters(status=Status.DRAFT)) == []


def test_workflow_refusals_are_ticket_errors_listing_the_states(engine):
    with pytest.raises(workflow.WorkflowError) as unknown:
        Filters(status="不存在")
    assert isinstance(unknown.value, TicketError) and "退回" in unknown.value.hint
    with Session(engine) as session, session.begin():
        ticket = add(session)
        with pytest.raises(workflow.WorkflowError, match="已完成") as bad:
            transition(session, ticket, "已完成", actor="李四")
        assert "已办结" in bad.value.hint
        with pytest.raises(workflow.WorkflowError) as illegal:
            transition(session, ticket, "已归档", actor="李四")
        assert illegal.value.hint == "“已受理”之后可以是：已派单、当场办结"
        with pytest.raises(TicketError, match="12345-20260105-9999") as missing:
            get(session, "12345-20260105-9999")
        assert "hotline tickets list" in missing.value.hint


def test_roles_refuse_with_access_errors():
    with pytest.raises(AccessError, match="boss") as unknown:
        current_role("boss")
    assert "supervisor（班长/质检）" in unknown.value.hint
    with pytest.raises(AccessError, match="接线员"):
        require_full_access(current_role("operator"))


def test_every_store_error_is_an_assistant_error_with_a_hint():
    for cls in (StorageError, TicketError, AccessError, InputFileError, workflow.WorkflowError):
        assert issubclass(cls, AssistantError)
    with pytest.raises(StorageError) as caught:
        make_engine("mysql://someone@localhost/hotline")
    assert "mysql" in caught.value.message and "sqlite:///" in caught.value.hint
    from assistant.store import db

    assert db.StorageError is StorageError  # the former import path keeps working


def test_a_missing_table_asks_for_db_upgrade(engine, db_url):
    with pytest.raises(StorageError) as caught, storage_errors(db_url), engine.connect() as conn:
        conn.execute(text("SELECT * FROM ticket_that_is_not_there"))
    assert "hotline db upgrade" in caught.value.hint


def test_a_read_only_sqlite_file_is_named(tmp_path):
    path = tmp_path / "h.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("INSERT INTO t VALUES (1)")
    error = storage_error(caught.value, f"sqlite:///{path}")
    assert error.message == f"SQLite 数据库文件 {path} 只读，无法写入" and "readonly" in error.hint


def test_a_missing_folder_is_not_created_for_a_given_url(tmp_path):
    with pytest.raises(StorageError, match="不存在"):
        make_engine(f"sqlite:///{tmp_path / 'typo' / 'h.db'}")
    assert not (tmp_path / "typo").exists()


def test_postgresql_without_a_driver_uses_psycopg():
    from assistant.store.db import parse_url

    assert parse_url("postgresql://someone@localhost/hotline").drivername == "postgresql+psycopg"
    with pytest.raises(StorageError, match="asyncpg"):
        parse_url("postgresql+asyncpg://someone@localhost/hotline")


def _downgrade(engine, revision: str) -> None:
    from alembic import command

    from assistant.store.migrate import alembic_config

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_ensure_schema_upgrades_sqlite_and_asks_postgresql(engine, db_url):
    from alembic.migration import MigrationContext

    from assistant.store.migrate import HEAD, ensure_schema

    _downgrade(engine, "0002")
    if engine.dialect.name == "sqlite":
        ensure_schema(engine)
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == HEAD
    else:
        with pytest.raises(StorageError, match="0002") as caught:
            ensure_schema(engine)
        assert caught.value.hint.startswith("请先运行 hotline db upgrade")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="9999") as newer:
        ensure_schema(engine)
    assert "升级本程序" in newer.value.hint


def test_a_failed_export_leaves_the_earlier_file_and_no_temporary_one(tmp_path, monkeypatch):
    from assistant.store import export

    out = tmp_path / "工单.xlsx"
    export.write_tickets(out, [{"number": "12345-20260105-0001", "title": "灯\x01坏了"}])  # a control character
    before = out.read_bytes()

    def full_disk(path, rows):
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write_xlsx", full_disk)
    with pytest.raises(InputFileError, match="工单.xlsx") as caught:
        export.write_tickets(out, [])
    assert "没有写出任何内容" in caught.value.hint
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["工单.xlsx"]


def test_drafts_are_checked_line_by_line(tmp_path):
    from assistant.store.importing import parse_drafts, read_lines

    good = '{"hotline": "12320", "ticket": {"title": "楼道灯坏了"}}'
    assert [d.line for d in parse_drafts(["\ufeff" + good, "", good], "d.jsonl")] == [1, 3]
    lines = [good, "[]", '{"title": "x"}', "null", *(['{"ticket": 1}'] * 8)]
    with pytest.raises(InputFileError) as caught:
        parse_drafts(lines, "d.jsonl")
    assert caught.value.message.startswith("d.jsonl 第 2 行：") and "共 11 行有误" in caught.value.message
    assert "第 3 行：没有 ticket 字段" in caught.value.hint and caught.value.hint.endswith("……")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes("楼道".encode("gb18030"))
    with pytest.raises(InputFileError, match="UTF-8"):
        read_lines(str(latin))


def test_a_failure_is_recorded_even_when_the_manifest_values_do_not_fit(engine):
    from datetime import UTC, datetime

    from assistant.store.calls import failures, store_failure

    with Session(engine) as session, session.begin():
        store_failure(session, external_id="c1", path="/录音/c1.wav", sha256=None, reason="无法解码",
                      started_at=datetime(2026, 1, 5, 9, tzinfo=UTC), hotline="12345热线转人工", operator_id="9" * 30)
    with Session(engine) as session:
        [call] = failures(session)
        assert (call.error, call.hotline, call.operator_id) == ("无法解码", None, None)
