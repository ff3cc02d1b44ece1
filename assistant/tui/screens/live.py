"""The operator's live-call screen: transcript on the left, the work order filling itself in on the right."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from assistant.draft.fields import LABEL_FIELDS
from assistant.tui.widgets.call.transcript import TranscriptView
from assistant.tui.widgets.ticket.form import TicketForm


class LiveCallScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "submit", "提交工单", priority=True),
        Binding("ctrl+a", "accept", "确认字段"),
        Binding("f2", "next_choice", "换候选"),
        Binding("ctrl+n", "app.new_call", "新来电"),
        Binding("ctrl+l", "app.show_tickets", "工单列表"),
        Binding("f1", "app.help", "帮助"),
        Binding("ctrl+q", "app.quit", "退出", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=self.app.config.clock)
        with Horizontal(id="live"):
            yield TranscriptView(id="transcript")
            yield TicketForm(id="form")
        yield Static("等待通话音频…", id="status")
        yield Footer()

    @property
    def form(self) -> TicketForm:
        return self.query_one(TicketForm)

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def set_status(self, text: str, warning: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(warning, "warning")

    def show_session(self) -> None:
        session = self.app.session
        self.transcript.set_segments(session.segments)
        for name in session.values:
            self.form.set_value(name, session.values.get(name, ""), session.confidence.get(name, 0.0),
                                confirmed=name in session.edited)

    @on(TicketForm.Edited)
    def _edited(self, event: TicketForm.Edited) -> None:
        self.app.service.edit(event.name, event.value)

    @on(TicketForm.Focused)
    def _focused(self, event: TicketForm.Focused) -> None:
        evidence = self.app.session.evidence.get(event.name, [])
        self.transcript.highlight({e["segment"] for e in evidence})
        alternatives = self.app.session.alternatives.get(event.name) or []
        if alternatives:
            choices = "  ".join(f"{label} {p:.0%}" for label, p in alternatives)
            self.set_status(f"候选（F2 切换）：{choices}")

    def action_accept(self) -> None:
        name = self.form.focused_field()
        if name:
            self.app.service.edit(name, self.form.value(name))
            self.form.set_value(name, self.form.value(name), 1.0, confirmed=True)

    def action_next_choice(self) -> None:
        name = self.form.focused_field()
        alternatives = self.app.session.alternatives.get(name or "") or []
        if name not in LABEL_FIELDS or not alternatives:
            self.notify("这个字段没有候选项", severity="warning")
            return
        labels = [label for label, _p in alternatives]
        current = self.form.value(name)
        nxt = labels[(labels.index(current) + 1) % len(labels)] if current in labels else labels[0]
        self.app.service.edit(name, nxt)
        probability = dict(alternatives).get(nxt, 0.0)
        self.form.set_value(name, nxt, probability, confirmed=True)

    def action_submit(self) -> None:
        self.app.submit()
