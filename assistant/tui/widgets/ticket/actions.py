"""What the operator confirms before a step on the call's ticket: 并单 into an earlier ticket, 当场办结.

Each screen only returns the operator's choice; the console service takes the step, so the store checks,
refuses and audits it as it does for ``hotline tickets merge`` and ``tickets move``.
"""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from assistant.console.tickets import RepeatOffer


class MergeScreen(ModalScreen[str | None]):
    """并单: pick the earlier open ticket this call's ticket repeats; Enter merges, Esc leaves both apart."""

    BINDINGS = [Binding("escape", "cancel", "不并单")]

    def __init__(self, number: str, offers: tuple[RepeatOffer, ...]):
        super().__init__()
        self.number, self.offers = number, offers

    def compose(self) -> ComposeResult:
        with Vertical(id="merge", classes="dialog"):
            yield Label(f"并单：把本单 {self.number} 作为重复诉求并入所选的更早工单")
            yield Label("并入后办理时限随主单，两张工单的历史都记下这次并单。回车并单，Esc 不并单", classes="hint")
            yield OptionList(*(Option(f"{o.number}  {o.status}  {o.day.month}月{o.day.day}日  {escape(o.title[:20])}"
                                      f"  （{o.reason}，相似度 {o.score:.2f}）", id=o.number) for o in self.offers),
                             id="merge-offers")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#merge-offers")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SolveScreen(ModalScreen[str | None]):
    """当场办结: the answer given on the call (may be left empty); Enter files the ticket as solved, Esc not."""

    BINDINGS = [Binding("escape", "cancel", "取消")]

    def compose(self) -> ComposeResult:
        with Vertical(id="solve", classes="dialog"):
            yield Label("当场办结：工单不转办，直接办结（回车确认，Esc 取消）")
            yield Input(placeholder="当场答复的内容（办理结果，可留空）", id="solve-reply")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#solve-reply")
    def _confirmed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
