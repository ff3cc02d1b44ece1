"""Correcting a filed ticket from the console's ticket detail: the change and who made it reach the store.

A scripted call (no speech model) is filed, then corrected from its detail with the ``e`` key; a value the
taxonomy does not know is refused with a notification and changes nothing.
"""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import Input, Select

from assistant.store.db import make_engine
from assistant.store.models import FieldCorrection, Ticket
from assistant.tui.screens.tickets import TicketDetailScreen
from assistant.tui.widgets.ticket.edit import FieldEditScreen
from tests.tui.test_console import SIZE, filed, scripted_app, wait_for


def stored(tmp_path):
    with Session(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")) as db:
        ticket = db.scalars(select(Ticket)).one()
        return ticket.category, sorted((c.field, c.confirmed_value, c.actor) for c in db.scalars(
            select(FieldCorrection)))


async def correct(pilot, field: str, value: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TicketDetailScreen) and pilot.app.screen.values)
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FieldEditScreen))
    pilot.app.screen.query_one("#edit-field", Select).value = field
    await pilot.pause()
    pilot.app.screen.query_one("#edit-value", Input).value = value
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TicketDetailScreen))


@pytest.mark.asyncio
async def test_a_filed_ticket_is_corrected_from_its_detail(tmp_path):
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        number = await filed(pilot)
        drafted = app.session.drafted["category"]
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.screen.query("#tickets") and app.screen.query_one("#tickets").row_count)
        await pilot.press("enter")
        await correct(pilot, "category", "天气预报")  # not a label of the centre's taxonomy
        await pilot.pause(1.0)
        assert stored(tmp_path)[0] == drafted
        await correct(pilot, "category", "收费价格")
        await wait_for(pilot, lambda: stored(tmp_path)[0] == "收费价格", timeout=30)
        await wait_for(pilot, lambda: "收费价格" in str(app.screen.query_one("#detail").render()), timeout=30)
    category, corrections = stored(tmp_path)
    assert ("category", "收费价格", "接线员1187") in corrections
    assert all(actor == "接线员1187" for _, _, actor in corrections)  # filed and corrected at this seat
    assert number.startswith("12320-")
