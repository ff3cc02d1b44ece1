"""Ticket list with search, and ticket detail with its history."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from assistant.draft.fields import LABELS, LIST_FIELDS

# The number and the title name a ticket: they come first, so both stay whole on a 120-column terminal while the
# masked caller, the least telling, scrolls off first; 并单 beside the state, where a merged ticket shows its root.
COLUMNS: tuple[str, ...] = ("number", "title", "status", "group",
                            *(name for name in LIST_FIELDS if name not in ("number", "title", "status")))
TITLE_CHARS = 30  # as `hotline tickets list` shows it; the drafter's titles are no longer


def shown_title(title: str | None) -> str:
    title = title or ""
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


class TicketListScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", tooltip="回到接线台"),
        Binding("/", "search", "搜索", tooltip="按工单编号、标题、来电人姓名或电话查找"),
        Binding("f1", "app.help", "帮助"),
    ]
    HELP_TITLE = "工单列表"
    HELP_NOTES = ("↑ ↓ 选择工单，回车查看它的详情和历史；← → 看右边其余各列。\n"
                  "并单一栏：“主单”有别的工单并入，“并入 …”后是它的主单编号。")

    class Loaded(Message):
        def __init__(self, rows: list[dict], search: str = ""):
            super().__init__()
            self.rows, self.search = rows, search

    class Failed(Message):
        def __init__(self, text: str):
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="查找：工单编号、标题、来电人姓名或电话，回车确定（/ 键回到这里）", id="search")
        yield Static("", id="search-result")
        yield DataTable(id="tickets", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Named as the CLI and exports name them.
        table.add_columns(*("并单" if name == "group" else LABELS[name] for name in COLUMNS))
        table.focus()  # arrows move through tickets at once; / goes to the search box
        self.load("")

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        self.load(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="tickets")
    def load(self, search: str) -> None:
        try:
            self.post_message(self.Loaded(self.app.service.desk.search(search or None), search))
        except Exception as exc:  # the list says what went wrong; the call goes on
            self.post_message(self.Failed(f"无法读取工单：{exc}"))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in message.rows:
            table.add_row(*(shown_title(r["title"]) if name == "title" else r.get(name) or "" for name in COLUMNS),
                          key=r["number"])
        self.query_one("#search-result", Static).update(self._found_text(message.search, len(message.rows)))

    @staticmethod
    def _found_text(search: str, count: int) -> str:
        from assistant.console.tickets import phone_query

        if not search:
            return f"最近的 {count} 张工单（紧急的在前）"
        how = "按来电电话" if phone_query(search) else "按编号、标题或来电人姓名"
        return f"{how}查找“{escape(search)}”：{count} 张" + ("（并单的连同主单一起列出）" if count else "")

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(TicketDetailScreen(str(event.row_key.value)))


class TicketDetailScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", tooltip="回到工单列表"),
        Binding("e", "edit", "更正字段", tooltip="改这张工单的一个字段，记入它的历史"),
        Binding("f1", "app.help", "帮助"),
    ]
    HELP_TITLE = "工单详情"

    class Loaded(Message):
        def __init__(self, text: str, values: dict[str, str] | None = None):
            super().__init__()
            self.text = text
            self.values = values or {}

    class Saved(Message):
        def __init__(self, text: str, error: bool = False):
            super().__init__()
            self.text, self.error = text, error

    def __init__(self, number: str):
        super().__init__()
        self.number = number
        self.values: dict[str, str] = {}  # the ticket's fields as shown, by column name

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static("读取中…", id="detail"))
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> None:
        try:
            pairs = self.app.service.desk.detail(self.number)
        except Exception as exc:
            self.post_message(self.Loaded(f"无法读取工单 {self.number}：{exc}"))
            return
        lines, history = [], []
        by_label = {label: name for name, label in LABELS.items()}
        for label, value in pairs:
            if label == "历史":
                history.append(f"  {escape(value)}")
            else:
                lines.append(f"[b]{label}[/b]：{escape(value)}")
        values = {by_label[label]: value for label, value in pairs if label in by_label}
        self.post_message(self.Loaded("\n".join([*lines, "\n[b]历史[/b]", *history]), values))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.values = message.values
        self.query_one("#detail", Static).update(message.text)

    def action_edit(self) -> None:
        from assistant.tui.widgets.ticket.edit import FieldEditScreen

        first = "category"
        self.app.push_screen(FieldEditScreen(first, self.values.get(first, ""), self.values), self._edited)

    def _edited(self, result: tuple[str, str] | None) -> None:
        if result is not None:
            self.save(*result)

    @work(thread=True, exclusive=True, exit_on_error=False, group="edit")
    def save(self, name: str, value: str) -> None:
        """The store checks and audits the change (as ``hotline tickets edit``); the operator at this seat is
        the one who made it."""
        try:
            actor = f"接线员{self.app.session.operator_id}"
            changed = self.app.service.desk.edit(self.number, {name: value}, actor)
        except Exception as exc:  # a refused value is said; the detail stays as it was
            self.post_message(self.Saved(f"未修改：{exc}", error=True))
            return
        self.post_message(self.Saved(f"已更正 {LABELS.get(name, name)}" if changed else "没有改动"))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.notify(message.text, severity="error" if message.error else "information", timeout=10)
        if not message.error:
            self.load()
