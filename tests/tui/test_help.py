"""F1 shows the keys of the screen it is pressed on, read from that screen's bindings: on the review screen its c
(备注) with the rest, on the live call and the ticket list theirs; every key the screen binds, nothing more."""

import re

import pytest
from textual.binding import Binding
from textual.geometry import Region

from assistant.tui.app import ReviewApp
from assistant.tui.screens.help import HelpScreen, key_label, key_rows
from assistant.tui.screens.live import LiveCallScreen
from assistant.tui.screens.review import ReviewScreen
from assistant.tui.screens.tickets import TicketListScreen
from tests.tui.test_console import scripted_app, scripted_review, wait_for

SIZE = (120, 40)


@pytest.mark.parametrize(("key", "label"), [
    ("ctrl+s", "Ctrl+S"), ("shift+tab", "Shift+Tab"), ("f1", "F1"), ("f12", "F12"), ("space", "空格"),
    ("escape", "Esc"), ("enter", "回车"), ("slash", "/"), ("c", "c"),
])
def test_key_label(key, label):
    assert key_label(key) == label


def test_keys_bound_to_one_action_share_a_row():
    assert key_rows(HelpScreen) == [("Esc / F1 / q", "关闭")]


def help_lines(app) -> list[str]:
    """The help's lines as drawn on the screen."""
    lines = []
    for widget in app.screen.query("#help Static"):
        lines += [strip.text.strip() for strip in widget.render_lines(Region(0, 0, *widget.size))]
    return [line for line in lines if line]


async def open_help(pilot, app) -> list[str]:
    """Press F1 and read the help's lines once it is drawn."""
    await pilot.press("f1")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    await pilot.pause(0.2)
    return help_lines(app)


def assert_lists_every_key(lines: list[str], screen: type) -> None:
    bound = list(Binding.make_bindings(screen.BINDINGS))
    assert bound
    for binding in bound:
        key = re.escape(key_label(binding.key))
        wanted = re.compile(rf"^(.* / )?{key}( / .*)?\s+{re.escape(binding.description)}(：|$)")
        assert any(wanted.match(line) for line in lines), (binding.key, lines)
    assert len([line for line in lines if re.match(r"^\S+( / \S+)*\s{2,}\S", line)]) == len(key_rows(screen))


@pytest.mark.asyncio
async def test_the_review_screens_help_lists_c_and_every_other_key(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    app = ReviewApp(tmp_path / "call.wav", loader=scripted_review)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.result is not None, timeout=30)
        lines = await open_help(pilot, app)
        assert lines[0] == "通话质检快捷键"
        assert any(re.match(r"^c\s+备注：", line) for line in lines), lines
        assert_lists_every_key(lines, ReviewScreen)
        assert not any(line.startswith(("F2", "Ctrl+N")) for line in lines)  # the live call's keys are not here
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


@pytest.mark.asyncio
async def test_the_live_call_and_the_ticket_list_each_list_their_own_keys(tmp_path):
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lines = await open_help(pilot, app)
        assert lines[0] == "接线台快捷键"
        assert_lists_every_key(lines, LiveCallScreen)
        await pilot.press("f1")  # F1 closes it again
        assert isinstance(app.screen, LiveCallScreen)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketListScreen))
        lines = await open_help(pilot, app)
        assert lines[0] == "工单列表快捷键"
        assert_lists_every_key(lines, TicketListScreen)
