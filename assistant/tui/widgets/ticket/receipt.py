"""The receipt on screen after a submit: the ticket number and the sentence to read to the caller.

It stays until the next call starts, so the operator can read it out, repeat the number when asked, and see
what 并单 changed; likely repeats found at the submit are named here with the key that offers the merge.
"""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import Static

from assistant.console.receipt import Receipt
from assistant.console.tickets import RepeatOffer


class ReceiptPanel(Static):
    def on_mount(self) -> None:
        self.border_title = "受理回执"
        self.display = False

    def clear(self) -> None:
        self.update("")
        self.display = False

    def show(self, receipt: Receipt, offers: tuple[RepeatOffer, ...] = ()) -> None:
        head = f"工单编号 [b]{receipt.number}[/b]"
        if receipt.solved:
            head += "　已当场办结"
        if receipt.merged_into:
            head += f"　已并入 {receipt.merged_into}（办理时限随主单）"
        lines = [head, f"请向来电人宣读：{escape(receipt.sentence)}"]
        if offers:
            first = offers[0]
            more = f" 等 {len(offers)} 张" if len(offers) > 1 else ""
            lines.append(f"[b]疑似重复诉求[/b]：{first.number}（{first.reason}）{more}　按 F6 并单")
        self.update("\n".join(lines))
        self.border_title = "当场办结" if receipt.solved else "受理回执"
        self.display = True
