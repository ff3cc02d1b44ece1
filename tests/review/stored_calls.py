"""A call as batch files it: its transcript in the store and the ticket drafted from it, for review tests."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from assistant.store.tickets import add_call, create_ticket
from assistant.transcript.model import Segment, Speaker, Transcript

# Greeting, read-back of the number and of the demand pass; the close gives no time limit.
SCRIPT = (
    (Speaker.OPERATOR, "您好，12320卫生健康热线，工号2219，请讲。"),
    (Speaker.CALLER, "我在东湖街道社区卫生服务中心打疫苗，预约了三次都约不上。"),
    (Speaker.OPERATOR, "您贵姓？电话多少？"),
    (Speaker.CALLER, "姓韩，电话13906617258。"),
    (Speaker.OPERATOR, "13906617258，对吗？"),
    (Speaker.CALLER, "对。"),
    (Speaker.OPERATOR, "我跟您核对一下，您在东湖街道社区卫生服务中心预约疫苗三次都约不上，希望尽快安排接种，对吗？"),
    (Speaker.CALLER, "对。"),
    (Speaker.OPERATOR, "好的，工单会转给区卫健局。"),
    (Speaker.CALLER, "好。"),
    (Speaker.OPERATOR, "感谢来电，再见。"),
)
FILED = {"appeal_type": "求助", "category": "就医流程", "unit": "东湖街道社区卫生服务中心", "title": "疫苗预约不上"}


def file_call(engine, external_id: str = "rec-0412", operator: str = "2219", *, ticket: bool = True,
              sha256: str | None = None, source: str = "") -> tuple[int, str | None]:
    """Store the call (and its ticket): (the call's row id, the ticket number)."""
    segments = tuple(Segment(spk, i * 4.0, i * 4.0 + 3.5, text, 0.9) for i, (spk, text) in enumerate(SCRIPT))
    transcript = Transcript(external_id, source, 4.0 * len(SCRIPT), "op-left", segments)
    with Session(engine) as db, db.begin():
        call = add_call(db, transcript, external_id=external_id, started_at=datetime(2026, 12, 3, 9, 20, tzinfo=UTC),
                        content_sha256=sha256, hotline="12320", operator_id=operator)
        number = create_ticket(db, hotline="12320", values=FILED, operator_id=operator, actor="batch", drafted=FILED,
                               call=call).number if ticket else None
        db.flush()
        return call.id, number
