"""The ticket list at 120×40, the smallest terminal the console is made for: each ticket's whole title is on screen
beside its number, however wide the columns after it (a merged ticket's root number, a long unit name)."""

from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len
from sqlalchemy.orm import Session
from textual.widgets import DataTable

from assistant.store import merging
from assistant.store.db import make_engine
from assistant.store.migrate import upgrade
from assistant.store.tickets import create_ticket
from assistant.tui.screens.tickets import COLUMNS, TITLE_CHARS, TicketListScreen, shown_title
from tests.tui.test_console import scripted_app, wait_for

SIZE = (120, 40)
LONGEST = "街道卫生服务中心周末不开门，老人量血压只得跑去区医院排长队。"  # as long as the list shows a title whole
TOO_LONG = LONGEST + "已经反映过两回"
TITLES = (LONGEST, TOO_LONG, "疫苗预约不上", "体检报告迟迟拿不到")


def seed(tmp_path) -> dict[str, str]:
    """A ticket per title, the last two merged (并入 <number> widens the column after the title); their numbers."""
    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    upgrade(engine)
    now = datetime.now(UTC)
    with Session(engine) as db, db.begin():
        tickets = [create_ticket(db, hotline="12320", operator_id="1187", actor="接线员1187",
                                 now=now - timedelta(days=len(TITLES) - i),
                                 values={"title": title, "phone": "13611112222", "caller_name": "郑先生",
                                         "unit": "东湖街道社区卫生服务中心", "category": "就医流程"})
                   for i, title in enumerate(TITLES)]
        merging.merge(db, tickets[3], tickets[2], actor="接线员1187")
        numbers = {t.title: t.number for t in tickets}
    engine.dispose()
    return numbers


def test_a_title_is_cut_only_past_the_lists_width_and_says_so():
    assert len(LONGEST) == TITLE_CHARS and shown_title(LONGEST) == LONGEST
    assert shown_title(TOO_LONG) == TOO_LONG[: TITLE_CHARS - 1] + "…" and len(shown_title(TOO_LONG)) == TITLE_CHARS
    assert shown_title(None) == ""


@pytest.mark.asyncio
async def test_every_title_is_whole_on_screen_at_120_by_40(tmp_path):
    numbers = seed(tmp_path)
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketListScreen))
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == len(TITLES), timeout=30)
        await pilot.pause(0.3)
        assert table.scroll_x == 0 and table.region.right <= SIZE[0]
        columns = list(table.ordered_columns)
        at = COLUMNS.index("title")
        assert str(columns[at].label) == "工单标题"
        # The title column, where the table draws it: wide enough for the widest title, and inside the visible
        # part of the table (nothing of it behind the right edge).
        left = table.region.x + sum(c.get_render_width(table) for c in columns[:at])
        width = columns[at].get_render_width(table)
        widest = max(cell_len(shown_title(t)) for t in TITLES)
        assert cell_len(LONGEST) == widest and width - 2 * table.cell_padding >= widest
        assert left + width <= table.scrollable_content_region.right
        # And as drawn: each row's line holds its number and its whole title.
        for title in TITLES:
            row = table.get_row_index(numbers[title])
            line = table.render_line(table.header_height + row).text
            assert numbers[title] in line and shown_title(title) in line, (title, line)
        merged = table.get_row_index(numbers[TITLES[3]])
        assert table.get_row_at(merged)[COLUMNS.index("group")] == f"并入 {numbers[TITLES[2]]}"
