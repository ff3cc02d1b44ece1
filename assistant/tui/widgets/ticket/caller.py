"""The repeat-caller panel: the caller's earlier tickets, found by the phone number on the form.

The operator sees at a glance whether this caller called before and about what, before asking again; the
tickets the call's matter likely repeats are marked ≈ (see ``store.repeats``). Names come masked unless the
console's role may read callers in full. Enter on a row opens the ticket.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from assistant.console.tickets import CallerHistory

TITLE_CHARS = 9  # of an earlier ticket's title: the panel's columns fit its width at 120 columns
# Fixed widths (cells): the rows are drawn at their final width at once, and the columns fit 70 cells.
COLUMNS = (("", 2), ("工单编号", 19), ("状态", 8), ("受理", 5), ("来电人", 6), ("标题", 2 * TITLE_CHARS))
LIKELY = "≈"  # the call's matter likely repeats this ticket
MERGED = "并"  # merged into another ticket (并单); the root's number is in the ticket's detail


def short_day(day: date) -> str:
    """12-09: month and day, unambiguous within the window of days the panel shows."""
    return f"{day:%m-%d}"


def clip(text: str, chars: int = TITLE_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


class CallerPanel(Vertical):
    def __init__(self, days: int = 30, **kwargs):
        super().__init__(**kwargs)
        self.days = days
        self.history: CallerHistory | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._waiting_text(), id="caller-title")
        yield DataTable(id="caller-tickets", cursor_type="row", zebra_stripes=True, show_cursor=False)

    def on_mount(self) -> None:
        self.border_title = "来电人历史工单"
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)

    def _waiting_text(self) -> str:
        return f"联系电话填好后，这里列出来电人近 {self.days} 天的工单"

    def clear(self) -> None:
        """No caller yet (a new call, or the phone number was removed)."""
        self.history = None
        self.query_one("#caller-title", Static).update(self._waiting_text())
        self.query_one(DataTable).clear()

    def show(self, history: CallerHistory) -> None:
        self.history, self.days = history, history.days
        table = self.query_one(DataTable)
        table.clear()
        for t in history.tickets:
            mark = LIKELY if t.likely else (MERGED if t.repeat_of else "")
            table.add_row(mark, t.number, t.status, short_day(t.day), t.caller_name, clip(t.title), key=t.number)
        likely = sum(1 for t in history.tickets if t.likely)
        if not history.tickets:
            text = f"来电人近 {history.days} 天没有工单"
        else:
            text = f"来电人近 {history.days} 天有 [b]{len(history.tickets)}[/b] 张工单"
            if likely:
                text += f"，其中 [b]{likely}[/b] 张（{LIKELY}）疑似同一诉求"
            if any(t.repeat_of for t in history.tickets):
                text += f"；{MERGED}：已并单"
        self.query_one("#caller-title", Static).update(text)
        table.show_cursor = bool(history.tickets)

    @property
    def numbers(self) -> list[str]:
        return [t.number for t in self.history.tickets] if self.history else []
