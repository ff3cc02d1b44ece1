"""The operator's live-call screen: the transcript on the left; on the right the whole work order, what the
focused field was read from, the receipt after the submit and the caller's earlier tickets."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from assistant.config import Settings
from assistant.draft.fields import LABEL_FIELDS, LABELS
from assistant.transcript.model import SPEAKER_LABELS
from assistant.tui.widgets.call.transcript import TranscriptView, clock
from assistant.tui.widgets.ticket.caller import CallerPanel
from assistant.tui.widgets.ticket.form import TicketForm
from assistant.tui.widgets.ticket.receipt import ReceiptPanel

FIELD_HINT = "Tab 逐项核对；选中字段时这里显示它的依据和候选（✔ 为已确认）"
EVIDENCE_CHARS = 40  # of the sentence a value was read from, on the one line below the form


class LiveCallScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "submit", "提交工单", priority=True, tooltip="显示受理回执（工单编号和要宣读的句子）"),
        Binding("ctrl+a", "accept", "确认字段", priority=True,  # before the focused input's own Ctrl+A (home)
                tooltip="当前字段不再被自动草稿覆盖"),
        Binding("f2", "next_choice", "换候选", tooltip="诉求类型、问题分类、承办单位、紧急程度"),
        Binding("f9", "solve", "当场办结", tooltip="角色允许时才有"),
        Binding("f6", "merge", "并单", tooltip="提交后发现疑似重复的更早工单时才有"),
        Binding("ctrl+n", "app.new_call", "新来电", tooltip="清空转写、工单和回执；草稿已自动保存"),
        Binding("ctrl+l", "app.show_tickets", "工单列表", tooltip="按编号、标题、姓名或电话查找工单"),
        Binding("f1", "app.help", "帮助"),
        Binding("ctrl+q", "app.quit", "退出", priority=True, tooltip="内容已自动保存"),
    ]
    HELP_TITLE = "接线台"
    HELP_NOTES = ("Tab 下一个字段，Shift+Tab 上一个字段。\n"
                  "字段后是置信度：绿色较可靠，黄色请核对，红色多半需要修改；\n"
                  "✔ 为已确认。选中字段时，表下显示它的依据和候选。\n"
                  "填好联系电话后，右下列出来电人近期的工单，\n"
                  "≈ 为疑似同一诉求，在其上回车可查看。")

    def compose(self) -> ComposeResult:
        yield Header(show_clock=self.app.config.clock)
        with Horizontal(id="live"):
            yield TranscriptView(id="transcript")
            with Vertical(id="work"):
                yield TicketForm(id="form")
                yield Static(FIELD_HINT, id="field-info")
                yield ReceiptPanel(id="receipt")
                yield CallerPanel(Settings.load().repeat_days, id="caller")
        yield Static("等待通话音频…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.form.border_title = "工单"

    @property
    def form(self) -> TicketForm:
        return self.query_one(TicketForm)

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def caller(self) -> CallerPanel:
        return self.query_one(CallerPanel)

    @property
    def receipt(self) -> ReceiptPanel:
        return self.query_one(ReceiptPanel)

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
        self.app.caller_changed()

    def new_call(self) -> None:
        """Everything of the last call off the screen: transcript, form, receipt, the caller's tickets."""
        self.transcript.clear()
        self.form.clear()
        self.receipt.clear()
        self.caller.clear()
        self.query_one("#field-info", Static).update(FIELD_HINT)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "solve":  # only a role the centre lets solve on the call sees the key
            return self.app.may_solve
        if action == "merge":
            return bool(self.app.offers)
        return True

    @on(TicketForm.Edited)
    def _edited(self, event: TicketForm.Edited) -> None:
        self.app.service.edit(event.name, event.value)
        if event.name == "phone":
            self.app.caller_changed()

    @on(TicketForm.Focused)
    def _focused(self, event: TicketForm.Focused) -> None:
        session = self.app.session
        evidence = session.evidence.get(event.name, [])
        self.transcript.highlight({e["segment"] for e in evidence})
        self.query_one("#field-info", Static).update(self.field_info(event.name))

    def field_info(self, name: str) -> str:
        """Two lines on the focused field: its confidence and where it was read; its other candidates."""
        session = self.app.session
        value = self.form.value(name)
        if name in self.form.confirmed:
            head = f"[b]{LABELS[name]}[/b] ✔ 已确认"
        elif value:
            head = f"[b]{LABELS[name]}[/b] 置信度 {session.confidence.get(name, 0.0):.0%}"
        else:
            head = f"[b]{LABELS[name]}[/b] 未填"
        spoken = [s for s in session.segments if s["text"]]
        said = []
        for e in session.evidence.get(name, [])[:1]:
            if 0 <= e["segment"] < len(spoken):
                seg = spoken[e["segment"]]
                text = seg["text"] if len(seg["text"]) <= EVIDENCE_CHARS else seg["text"][:EVIDENCE_CHARS] + "…"
                said.append(f"依据 [{clock(seg['start'])}] {SPEAKER_LABELS.get(seg['speaker'], seg['speaker'])}："
                            f"{escape(text)}")
        alternatives = session.alternatives.get(name) or []
        second = ("候选（F2 切换）：" + "  ".join(f"{escape(label)} {p:.0%}" for label, p in alternatives)
                  if alternatives and name in LABEL_FIELDS else "")
        return "\n".join([f"{head}　{said[0]}" if said else f"{head}　（通话中没有直接依据）", second])

    def action_accept(self) -> None:
        name = self.form.focused_field()
        if name:
            self.app.service.edit(name, self.form.value(name))
            self.form.set_value(name, self.form.value(name), 1.0, confirmed=True)
            self.query_one("#field-info", Static).update(self.field_info(name))

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
        self.query_one("#field-info", Static).update(self.field_info(name))

    def action_submit(self) -> None:
        self.app.submit()

    def action_solve(self) -> None:
        self.app.solve_on_call()

    def action_merge(self) -> None:
        self.app.offer_merge()

    @on(DataTable.RowSelected, "#caller-tickets")
    def _open_earlier(self, event: DataTable.RowSelected) -> None:
        from assistant.tui.screens.tickets import TicketDetailScreen

        self.app.push_screen(TicketDetailScreen(str(event.row_key.value)))
