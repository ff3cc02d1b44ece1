"""Correcting one field of a filed ticket: pick the field, type the value, Enter; Esc leaves it as it was.

Used by the ticket detail (an operator or supervisor corrects a filed ticket) and by the review screen (the
supervisor corrects what the recording's ticket says). The screen only returns ``(field, value)``; the caller
stores it, so what is checked and audited is the same as ``hotline tickets edit``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from assistant.draft.fields import FORM_FIELDS


class FieldEditScreen(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, field: str | None = None, value: str = "", values: dict[str, str] | None = None):
        super().__init__()
        self.field = field or FORM_FIELDS[0][0]
        self.value = value
        self.values = values or {}  # the ticket's current values, shown when another field is picked

    def compose(self) -> ComposeResult:
        with Vertical(id="field-edit"):
            yield Label("更正字段（回车保存，Esc 取消）")
            yield Select([(label, name) for name, label in FORM_FIELDS], value=self.field, allow_blank=False,
                         id="edit-field")
            yield Input(value=self.value, placeholder="新的值；留空表示清空", id="edit-value")

    def on_mount(self) -> None:
        self.query_one("#edit-value", Input).focus()

    @on(Select.Changed, "#edit-field")
    def _field(self, event: Select.Changed) -> None:
        self.query_one("#edit-value", Input).value = self.values.get(str(event.value), "")

    @on(Input.Submitted, "#edit-value")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss((str(self.query_one("#edit-field", Select).value), event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
