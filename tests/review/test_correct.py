"""A supervisor's review corrections reach the ticket filed from the same recording, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import TicketError
from assistant.files import sha256_file
from assistant.review.correct import correct_ticket, filed_ticket
from assistant.store.models import FieldCorrection, TicketEvent
from assistant.store.tickets import add_call, create_ticket
from assistant.transcript.model import Segment, Speaker, Transcript
from tests.store.conftest import db_url, engine  # noqa: F401

DRAFTED = {"appeal_type": "投诉", "category": "医疗质量", "urgency": "一般", "title": "输液等了很久"}


@pytest.fixture
def recording(tmp_path):
    path = tmp_path / "0815-20261201-0910.wav"
    path.write_bytes(b"RIFF" + bytes(range(256)) * 8)
    return path


def file_recording(engine, recording, *, by_path: bool = False) -> str:  # noqa: F811
    transcript = Transcript(id="c1", source=str(recording), duration=5.0, channels="mono",
                            segments=(Segment(Speaker.CALLER, 0.0, 4.0, "输液等了两个小时。", 0.9),))
    with Session(engine) as db, db.begin():
        call = add_call(db, transcript, external_id="c1", started_at=datetime.now(UTC),
                        content_sha256=None if by_path else sha256_file(recording))
        return create_ticket(db, hotline="12320", values=DRAFTED, operator_id="0815", actor="batch", drafted=DRAFTED,
                             call=call).number


def test_the_recordings_ticket_is_found_and_corrected_in_the_reviewers_name(engine, db_url, recording):  # noqa: F811
    number = file_recording(engine, recording)
    assert filed_ticket(recording, db_url) == number
    changed = correct_ticket(number, {"category": "就医流程", "urgency": "一般"}, actor="质检李娜", db_url=db_url)
    assert changed == ["category"]
    with Session(engine) as db:
        rows = [(c.field, c.drafted_value, c.confirmed_value, c.actor) for c in db.scalars(select(FieldCorrection))]
        edit = db.scalars(select(TicketEvent).where(TicketEvent.action == "edit")).one()
    assert rows == [("category", "医疗质量", "就医流程", "质检李娜")] and edit.actor == "质检李娜"


def test_found_by_path_too_and_a_bad_label_changes_nothing(engine, db_url, recording):  # noqa: F811
    number = file_recording(engine, recording, by_path=True)
    assert filed_ticket(recording, db_url) == number
    with pytest.raises(TicketError, match="天气预报"):
        correct_ticket(number, {"title": "改了", "category": "天气预报"}, actor="质检李娜", db_url=db_url)
    with Session(engine) as db:
        assert db.scalars(select(FieldCorrection)).all() == []


def test_no_database_or_no_ticket_is_no_ticket(tmp_path, recording, engine, db_url):  # noqa: F811
    assert filed_ticket(recording, f"sqlite:///{tmp_path / 'none.db'}") is None
    assert not (tmp_path / "none.db").exists()
    assert filed_ticket(recording, db_url) is None
