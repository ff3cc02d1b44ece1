"""The keyboard help (F1): the keys of the screen it was opened from, read from that screen's bindings.

A screen's ``BINDINGS`` are the one list of its keys. The footer shows each binding's short description; the help
shows it with the binding's tooltip, the longer explanation. So the help cannot name a key the screen lacks nor
miss one it has; what no binding says (Tab between fields, what the colours mean) is the screen's ``HELP_NOTES``.
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "super": "Super"}
KEY_NAMES = {"space": "空格", "escape": "Esc", "enter": "回车", "tab": "Tab", "delete": "Del", "backspace": "退格",
             "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "PgUp", "pagedown": "PgDn"}


def key_label(key: str) -> str:
    """How the help names a Textual key: ``ctrl+s`` → Ctrl+S, ``f1`` → F1, ``space`` → 空格, ``slash`` → /."""
    *modifiers, name = key.split("+")
    if name in KEY_NAMES:
        shown = KEY_NAMES[name]
    elif re.fullmatch(r"f\d+", name):
        shown = name.upper()
    else:
        shown = format_key(name)
        if modifiers:  # Ctrl+S, as keyboards print it; a letter alone stays as typed
            shown = shown.upper()
    return "+".join([*(MODIFIERS.get(m, m.capitalize()) for m in modifiers), shown])


def key_rows(screen: Screen | type[Screen]) -> list[tuple[str, str]]:
    """(keys, what they do) for each action the screen binds, in the order of its ``BINDINGS``; keys bound to
    the same action share a row."""
    rows: dict[tuple[str, str], list[str]] = {}
    bindings = screen.BINDINGS if isinstance(screen, type) else type(screen).BINDINGS
    for binding in Binding.make_bindings(bindings):
        what = binding.description or binding.action
        if binding.tooltip:
            what = f"{what}：{binding.tooltip}"
        rows.setdefault((binding.action, what), []).append(key_label(binding.key))
    return [(" / ".join(keys), what) for (_action, what), keys in rows.items()]


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "关闭")]

    def __init__(self, described: Screen):
        super().__init__()
        self.described = described

    def compose(self) -> ComposeResult:
        title = getattr(self.described, "HELP_TITLE", "") or "本页"
        keys = Table.grid(padding=(0, 2))
        keys.add_column(no_wrap=True, style="bold")
        keys.add_column(overflow="fold")  # Chinese has no spaces to wrap at
        for key, what in key_rows(self.described):
            keys.add_row(Text(key), Text(what))
        with Vertical(id="help"):
            yield Static(f"[b]{title}快捷键[/b]", id="help-title")
            yield Static(keys, id="help-keys")
            notes = getattr(self.described, "HELP_NOTES", "")
            if notes:
                yield Static(Text(notes), id="help-notes")
            closing = " / ".join(key for key, _ in key_rows(self))
            yield Static(f"按 {closing} 关闭本帮助", id="help-close")
