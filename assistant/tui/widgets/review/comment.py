"""The reviewer's comment on a call (备注): one line, Enter keeps it, Esc leaves it as it was."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class CommentScreen(ModalScreen[str | None]):
    # Here rather than in a .tcss file: the package data lists only the app's own style sheets.
    DEFAULT_CSS = """
    CommentScreen { align: center middle; }
    #review-comment { width: 70; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, comment: str = ""):
        super().__init__()
        self.comment = comment

    def compose(self) -> ComposeResult:
        with Vertical(id="review-comment"):
            yield Label("质检备注（回车保存，Esc 取消）")
            yield Input(value=self.comment, placeholder="对这通电话的意见；留空表示没有备注", id="comment-text")

    def on_mount(self) -> None:
        self.query_one("#comment-text", Input).focus()

    @on(Input.Submitted, "#comment-text")
    def _keep(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
