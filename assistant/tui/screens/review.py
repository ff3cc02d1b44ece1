"""Supervisor review of a recorded call: timestamped transcript, drafted fields with evidence, QA checklist.

The checklist is filled from the transcript; the supervisor toggles any item (space), corrects a field (e) and
saves (Ctrl+S) the review as JSON under ``$HOTLINE_HOME/reviews``, the corrections also to the ticket filed
from the recording. ``p`` plays the recording from the selected segment when the machine has an output device.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from assistant.draft.fields import FORM_FIELDS
from assistant.draft.model import FieldValue
from assistant.review.recording import Review, save_review
from assistant.transcript.model import SPEAKER_LABELS
from assistant.tui.widgets.call.transcript import clock


class ReviewScreen(Screen):
    class Loaded(Message):
        def __init__(self, review: Review | None, error: str = ""):
            super().__init__()
            self.review, self.error = review, error

    class Note(Message):
        def __init__(self, text: str, severity: str = "warning"):
            super().__init__()
            self.text, self.severity = text, severity

    result: Review | None = None

    BINDINGS = [
        Binding("space", "toggle", "改判检查项"),
        Binding("e", "edit", "更正字段"),
        Binding("p", "play", "从此处播放"),
        Binding("ctrl+s", "save", "保存质检", priority=True),
        Binding("f1", "app.help", "帮助"),
        Binding("ctrl+q", "app.quit", "退出", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(id="segments", cursor_type="row")
            with Vertical(id="review-side"):
                yield DataTable(id="fields", cursor_type="row")
                yield DataTable(id="checks", cursor_type="row")
        yield Static("正在转写录音…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#segments", DataTable).add_columns("时间", "说话人", "内容")
        self.query_one("#fields", DataTable).add_columns("字段", "草稿值", "置信度", "依据")
        self.query_one("#checks", DataTable).add_columns("检查项", "结果", "依据")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        try:
            self.post_message(self.Loaded(self.app.load_review()))
        except Exception as exc:  # shown on the status line; the screen stays usable
            self.post_message(self.Loaded(None, f"无法读取录音：{exc}"))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.review is None:
            self.query_one("#status", Static).update(message.error)
            return
        self.show(message.review)

    @on(Note)
    def _note(self, message: Note) -> None:
        self.notify(message.text, severity=message.severity)

    def show(self, result: Review) -> None:
        self.result = result
        segments = self.query_one("#segments", DataTable)
        for i, s in enumerate(result.segments):
            speaker = SPEAKER_LABELS.get(s.speaker, s.speaker)
            segments.add_row(clock(s.start), speaker, s.text, key=str(i))
        fields = self.query_one("#fields", DataTable)
        draft = result.draft
        for name, label in FORM_FIELDS:
            field_value = draft.fields.get(name) or FieldValue.empty()
            evidence = "；".join(e.text for e in field_value.evidence)
            fields.add_row(label, self._shown(name), f"{field_value.confidence:.0%}", evidence, key=name)
        self._show_checks()
        filed = f"，工单 {result.ticket}" if result.ticket else "，未找到由此录音登记的工单"
        self.query_one("#status", Static).update(f"{result.source}：{len(result.segments)} 段{filed}")

    def _shown(self, name: str) -> str:
        value = self.result.value(name)
        return f"{value}（已更正）" if name in self.result.corrected else value

    def _show_checks(self) -> None:
        checks = self.query_one("#checks", DataTable)
        checks.clear()
        for item in self.result.checks:
            mark = "✔ 通过" if item.passed else "✘ 未通过"
            if item.overridden:
                mark += "（班长改判）"
            checks.add_row(item.label, mark, item.evidence, key=item.key)

    @on(DataTable.RowHighlighted, "#fields")
    def _field(self, event: DataTable.RowHighlighted) -> None:
        name = str(event.row_key.value)
        field_value = self.result.draft.fields.get(name) or FieldValue.empty()
        wanted = {e.segment for e in field_value.evidence}
        if wanted:
            self.query_one("#segments", DataTable).move_cursor(row=min(wanted))

    def action_toggle(self) -> None:
        checks = self.query_one("#checks", DataTable)
        if self.result is None or checks.row_count == 0:
            return
        self.result.checks[checks.cursor_row].toggle()
        row = checks.cursor_row
        self._show_checks()
        checks.move_cursor(row=row)

    def action_edit(self) -> None:
        from assistant.tui.widgets.ticket.edit import FieldEditScreen

        fields = self.query_one("#fields", DataTable)
        if self.result is None or fields.row_count == 0:
            return
        name = FORM_FIELDS[fields.cursor_row][0]
        values = {n: self.result.value(n) for n, _ in FORM_FIELDS}
        self.app.push_screen(FieldEditScreen(name, values[name], values), self._edited)

    def _edited(self, result: tuple[str, str] | None) -> None:
        if result is None or self.result is None:
            return
        name, value = result
        self.result.correct(name, value)
        fields = self.query_one("#fields", DataTable)
        fields.update_cell_at(Coordinate(fields.get_row_index(name), 1), self._shown(name))

    def action_save(self) -> None:
        if self.result is None:
            return
        try:
            path = save_review(self.result)
        except OSError as exc:
            self.notify(f"质检结果未能保存：{exc}", severity="error")
            return
        self.notify(f"质检结果已保存：{path}")
        if self.result.corrected and self.result.ticket:
            self.store_corrections(self.result.ticket, dict(self.result.corrected))
        elif self.result.corrected:
            self.notify("没有由此录音登记的工单：更正只保存在质检结果中", severity="warning")

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def store_corrections(self, number: str, values: dict[str, str]) -> None:
        from assistant.review.correct import correct_ticket

        try:
            changed = correct_ticket(number, values, actor=self.result.actor, db_url=self.result.db_url)
        except Exception as exc:  # a refused value or an unreachable database is said; the review is saved
            self.post_message(self.Note(f"工单 {number} 未更正：{exc}"))
            return
        self.post_message(self.Note(f"工单 {number} 已更正 {len(changed)} 个字段" if changed
                                    else f"工单 {number} 已是这些值", severity="information"))

    def action_play(self) -> None:
        table = self.query_one("#segments", DataTable)
        if self.result is None or table.row_count == 0:
            return
        start = self.result.segments[table.cursor_row].start
        self.play_from(start)

    @work(thread=True, exclusive=True, exit_on_error=False, group="play")
    def play_from(self, start: float) -> None:
        try:
            import sounddevice as sd

            from assistant.audio.load import SAMPLE_RATE, load_audio

            audio = load_audio(self.result.source)
            data = audio.mono()[int(start * SAMPLE_RATE) :]
            sd.play(data, SAMPLE_RATE)
        except Exception as exc:  # no PortAudio, no output device
            self.post_message(self.Note(f"无法播放：{exc}（需要声卡和 libportaudio2）"))
