"""Snapshot of the review screen on a stored call: transcript, fields, and the checklist with its evidence (review a
diff before running with --snapshot-update)."""

from datetime import datetime
from pathlib import Path

from textual.widgets import DataTable

from assistant.draft.model import CallContext, Evidence, FieldValue, TicketDraft
from assistant.review.recording import Review, checklist
from assistant.transcript.model import Segment, Transcript
from assistant.tui.app import ReviewApp
from tests.review.stored_calls import FILED, SCRIPT

SIZE = (150, 44)


def stored_review(_ref) -> Review:
    segments = tuple(Segment(spk, i * 4.0, i * 4.0 + 3.5, text, 0.9) for i, (spk, text) in enumerate(SCRIPT))
    transcript = Transcript("rec-0412", "", 4.0 * len(SCRIPT), "op-left", segments)
    unit = FILED["unit"]
    draft = TicketDraft("rec-0412", CallContext(datetime(2026, 12, 3, 17, 20)),
                        {"unit": FieldValue(unit, 0.88, (Evidence(1, 2, 2 + len(unit), unit),)),
                         "category": FieldValue("就医流程", 0.64)})
    return Review("rec-0412", "通话 rec-0412", segments, draft, checklist(transcript), ticket="12320-20261203-0042",
                  call_pk=1, filed={"category": "就医流程", "unit": unit})


async def _loaded(pilot):
    for _ in range(300):
        if pilot.app.screen.result is not None:
            break
        await pilot.pause(0.1)
    checks = pilot.app.screen.query_one("#checks", DataTable)
    checks.focus()
    checks.move_cursor(row=3)  # the failed close: its row and the transcript's last sentence highlighted
    await pilot.pause(0.3)


def test_review_screen(snap_compare):
    assert snap_compare(ReviewApp(Path("12320-20261203-0042"), stored_review), terminal_size=SIZE,
                        run_before=_loaded)
