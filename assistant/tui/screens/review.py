"""Supervisor review of a call: timestamped transcript, drafted fields with evidence, QA checklist.

The checklist is filled from the transcript, each item with the words that decided it (selecting an item shows
where they were said); the supervisor toggles any item (space), corrects a field (e), writes a comment (c) and
saves (Ctrl+S). A call the store holds is saved to the database, the review and the ticket's corrections in one
transaction; a recording the store has never seen is saved as JSON under ``$HOTLINE_HOME/reviews``. ``p`` plays
the recording from the selected segment when the machine has an output device.
"""

from __future__ import annotations

from pathlib import Path

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

    class Stored(Message):
        def __init__(self, review_id: int, changed: list[str]):
            super().__init__()
            self.review_id, self.changed = review_id, changed

    result: Review | None = None
    # The selected item's whole evidence: the table's column cuts long ones. Here rather than in app.tcss, which
    # belongs to the whole app.
    DEFAULT_CSS = """
    #check-evidence { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("space", "toggle", "改判检查项", tooltip="选中的检查项在通过和未通过之间切换"),
        Binding("e", "edit", "更正字段", tooltip="改选中字段的值；有工单时，保存质检一并更正"),
        Binding("c", "comment", "备注", tooltip="写或改这次质检的备注"),
        Binding("p", "play", "从此处播放", tooltip="从选中的一段播放录音（需要声卡）"),
        Binding("ctrl+s", "save", "保存质检", priority=True, tooltip="库中有此通话时存入数据库，否则存为文件"),
        Binding("f1", "app.help", "帮助"),
        Binding("ctrl+q", "app.quit", "退出", priority=True, tooltip="未保存的质检结果不会留下"),
    ]
    HELP_TITLE = "通话质检"
    HELP_NOTES = ("Tab 在转写、字段和检查项之间切换。\n"
                  "选中检查项时，下方显示判定的依据，转写跳到说这句话的地方；\n"
                  "选中字段时，转写跳到它的依据。")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(id="segments", cursor_type="row")
            with Vertical(id="review-side"):
                yield DataTable(id="fields", cursor_type="row")
                yield DataTable(id="checks", cursor_type="row")
                yield Static("", id="check-evidence")
        yield Static("正在准备质检（录音要先转写）…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#segments", DataTable).add_columns("时间", "说话人", "内容")
        self.query_one("#fields", DataTable).add_columns("字段", "值", "置信度", "依据")
        self.query_one("#checks", DataTable).add_columns("检查项", "结果", "依据")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        try:
            self.post_message(self.Loaded(self.app.load_review()))
        except Exception as exc:  # shown on the status line; the screen stays usable
            self.post_message(self.Loaded(None, f"无法打开要质检的通话：{exc}"))

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
        self._status()

    def _status(self) -> None:
        result = self.result
        filed = f"，工单 {result.ticket}" if result.ticket else "，没有由此登记的工单"
        where = "保存到数据库" if result.stored else "库中没有此通话，保存为文件"
        passed = sum(c.passed for c in result.checks)
        comment = f"；备注：{result.comment}" if result.comment else ""
        self.query_one("#status", Static).update(
            f"{result.source}：{len(result.segments)} 段{filed}；质检 {passed}/{len(result.checks)} 项通过"
            f"（{where}）{comment}")

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

    @on(DataTable.RowHighlighted, "#checks")
    def _check(self, event: DataTable.RowHighlighted) -> None:
        if self.result is None:
            return
        item = next((c for c in self.result.checks if c.key == str(event.row_key.value)), None)
        if item is None:
            return
        self.query_one("#check-evidence", Static).update(f"{item.label}：{item.evidence}")
        if item.segment is not None:
            self.query_one("#segments", DataTable).move_cursor(row=item.segment)

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
        self._status()

    def action_comment(self) -> None:
        from assistant.tui.widgets.review.comment import CommentScreen

        if self.result is not None:
            self.app.push_screen(CommentScreen(self.result.comment), self._commented)

    def _commented(self, comment: str | None) -> None:
        if comment is not None and self.result is not None:
            self.result.comment = comment
            self._status()

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
        if self.result.stored:
            self.store(self.result)
            return
        try:
            path = save_review(self.result)
        except OSError as exc:
            self.notify(f"质检结果未能保存：{exc}", severity="error")
            return
        self.notify(f"数据库中没有此录音的通话，质检结果已保存为文件：{path}")
        if self.result.corrected:
            self.notify("没有由此录音登记的工单：更正只保存在质检结果中", severity="warning")

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def store(self, review: Review) -> None:
        from assistant.review.stored import store_review

        try:
            review_id, changed = store_review(review)
        except Exception as exc:  # a refused value or an unreachable database is said; nothing was written
            self.post_message(self.Note(f"质检结果未保存：{exc}", severity="error"))
            return
        self.post_message(self.Stored(review_id, changed))

    @on(Stored)
    def _stored(self, message: Stored) -> None:
        again = self.result.review_id is not None
        self.result.review_id = message.review_id
        fixed = f"，工单 {self.result.ticket} 已更正 {len(message.changed)} 个字段" if message.changed else ""
        self.notify(f"质检结果已{'更新' if again else '保存'}到数据库（第 {message.review_id} 条）{fixed}")

    def action_play(self) -> None:
        table = self.query_one("#segments", DataTable)
        if self.result is None or table.row_count == 0:
            return
        if not Path(self.result.source).is_file():
            self.notify("这通电话的录音不在本机，无法播放", severity="warning")
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
