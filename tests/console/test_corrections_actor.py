"""What the operator changed in the draft, filed or re-submitted from the console, names the operator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import FieldCorrection
from tests.console.test_service import drafter, played  # noqa: F401  # drafter: a fixture
from tests.store.conftest import fresh


def test_corrections_at_filing_and_at_a_second_submit_name_the_operator(tmp_path, drafter, db_url):  # noqa: F811
    engine = fresh(db_url)
    service, _ = played(tmp_path, drafter, db_url)
    service.edit("caller_name", "郑国华")
    service.submit()
    service.submit({"caller_name": "郑国华", "title": "疫苗预约不上（已补充）"})
    with Session(engine) as db:
        rows = sorted((c.field, c.confirmed_value, c.actor) for c in db.scalars(select(FieldCorrection)))
    assert rows == [("caller_name", "郑国华", "接线员1187"), ("title", "疫苗预约不上（已补充）", "接线员1187")]
    engine.dispose()
