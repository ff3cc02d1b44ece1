"""The work-order form: every field on one screen, one row each, label beside it and confidence after it.

Fields sit two to a row where their values are short (the labels, the caller, the department, the time) and
alone on a row where a value runs long (the unit, the place, the title, the demand, the summary), so that the
whole order, the caller's earlier tickets and the receipt fit a 120×40 terminal. Inputs are Textual's compact
ones (one row, no border); the confidence is a coloured percentage, ✔ once the operator confirmed the value.
"""

from __future__ import annotations

from textual import on
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from assistant.draft.fields import FORM_FIELDS

# Fields given a whole row of the form: their values are long.
WIDE_FIELDS = frozenset({"unit", "location", "title", "demand", "summary"})
CONFIRMED = "✔"


def confidence_class(confidence: float) -> str:
    return "high" if confidence >= 0.8 else ("medium" if confidence >= 0.5 else "low")


def confidence_text(value: str, confidence: float, confirmed: bool) -> str:
    if confirmed:
        return CONFIRMED
    return f"{confidence:.0%}" if value else ""


class FieldRow(Horizontal):
    def __init__(self, name: str, label: str):
        super().__init__(classes="field-row wide" if name in WIDE_FIELDS else "field-row", id=f"row-{name}")
        self.field_name, self.label = name, label

    def compose(self):
        yield Label(self.label, classes="field-label")
        yield Input(id=f"field-{self.field_name}", classes="field-input", compact=True)
        yield Static("", classes="field-confidence", id=f"conf-{self.field_name}")


class TicketForm(VerticalScroll):
    """Attributes down (``set_value``), messages up (``Edited``, ``Focused``)."""

    class Edited(Message):
        def __init__(self, name: str, value: str):
            super().__init__()
            self.name, self.value = name, value

    class Focused(Message):
        def __init__(self, name: str):
            super().__init__()
            self.name = name

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._shown: dict[str, str] = {}
        self.confirmed: set[str] = set()

    def compose(self):
        for name, label in FORM_FIELDS:
            yield FieldRow(name, label)

    def set_value(self, name: str, value: str, confidence: float, confirmed: bool = False) -> None:
        self._shown[name] = value
        field = self.query_one(f"#field-{name}", Input)
        if field.value != value:
            field.value = value
            field.cursor_position = 0  # a long value shows its beginning in the one-row input
        self.set_confidence(name, confidence, confirmed)

    def set_confidence(self, name: str, confidence: float, confirmed: bool = False) -> None:
        """The badge alone: a new draft may be surer (or less sure) of a value it did not change."""
        value = self.value(name)
        self.confirmed.discard(name)
        if confirmed:
            self.confirmed.add(name)
        badge = self.query_one(f"#conf-{name}", Static)
        badge.update(confidence_text(value, confidence, confirmed))
        for cls in ("high", "medium", "low", "confirmed"):
            badge.remove_class(cls)
        badge.add_class("confirmed" if confirmed else confidence_class(confidence))

    def clear(self) -> None:
        """Every field empty, for the next call."""
        for name, _label in FORM_FIELDS:
            self.set_value(name, "", 0.0)

    def names(self) -> list[str]:
        return [name for name, _label in FORM_FIELDS]

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value

    def focused_field(self) -> str | None:
        focused = self.app.focused
        if isinstance(focused, Input) and focused.id and focused.id.startswith("field-"):
            return focused.id.removeprefix("field-")
        return None

    @on(Input.Changed, ".field-input")
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id.removeprefix("field-")
        if self._shown.get(name) != event.value:  # typed by the operator, not set by the draft
            self._shown[name] = event.value
            self.post_message(self.Edited(name, event.value))

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if isinstance(widget, Input) and widget.id and widget.id.startswith("field-"):
            self.post_message(self.Focused(widget.id.removeprefix("field-")))
