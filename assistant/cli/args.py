"""argparse that speaks Chinese: usage, headings, the built-in help texts and every parse error.

argparse builds its English through ``gettext`` at module level; patching that hook would change every parser
in the process and leans on a private name. Instead one ``ArgumentParser`` subclass (which ``add_subparsers``
hands down to every subcommand) sets its own headings and ``-h`` text, a ``HelpFormatter`` writes ``用法：``,
and ``error`` translates argparse's messages, which are a small fixed set, by pattern. A message it does not
know still gets a Chinese line, with argparse's words after it.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import unicodedata
from datetime import date

DATE_FORMAT = "YYYY-MM-DD"
_HEADING = re.compile(r"^(\S[^\n]*[\u4e00-\u9fff]):$", re.M)


def _bad_date(text: str) -> str:
    return f"日期“{text}”无效，应为 {DATE_FORMAT}（例如 2026-03-01）"


def iso_date(text: str) -> date:
    """An argparse ``type`` for dates: ``2026-03-01``; anything else is one Chinese line naming the value."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_bad_date(text)) from None


def non_negative_int(text: str) -> int:
    """An argparse ``type`` for counts where 0 means automatic or off (threads, batch size)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} 无效，应为 0 或正整数")
    return value


def positive_int(text: str) -> int:
    """An argparse ``type`` for counts of at least one (worker processes)."""
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("0 无效，至少为 1")
    return value


def positive_float(text: str) -> float:
    """An argparse ``type`` for a rate above zero (the replay speed)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} 无效，应为大于 0 的数，例如 1 或 2.5")
    return value


def output_file(path: str):
    """``path`` opened for writing (UTF-8); a folder that does not exist or cannot be written is one error naming
    the path, not a traceback."""
    from assistant.errors import AssistantError
    from assistant.files import os_reason

    try:
        return open(path, "w", encoding="utf-8")  # the caller closes it
    except OSError as exc:
        raise AssistantError(f"无法写入输出文件 {path}：{os_reason(exc)}",
                             "检查路径和写入权限，或换一个 --out 路径") from exc


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# A wide character alone, a run of narrow non-space characters (a word, an option, a path), or spaces.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")
_NO_LINE_START = set("，。、；：！？）》」』”’")
_NO_LINE_END = set("（《「『“‘")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken between Chinese characters or at spaces."""
    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line.append(" ")
            continue
        if line and _width("".join(line) + token) > width:
            cut = _break_before(line, token)
            if cut > 0:
                lines.append("".join(line[:cut]).rstrip())
                line = line[cut:]
                while line and line[0].isspace():
                    line.pop(0)
        line.append(token)
    if line:
        lines.append("".join(line).rstrip())
    return lines


def _break_before(line: list[str], token: str) -> int:
    """Where ``line`` ends when ``token`` does not fit: before ``token``; or, when ``token`` may not begin a line
    (，。）), before the word in front of it, with any such punctuation between; never right after an opening
    bracket. 0: no place to break."""
    cut = len(line)
    if token in _NO_LINE_START:
        cut -= 1
        while cut > 0 and (line[cut] in _NO_LINE_START or line[cut].isspace()):
            cut -= 1
    while cut > 1 and line[cut - 1] in _NO_LINE_END:
        cut -= 1
    return cut


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with ``用法：`` for ``usage:``, wrapped by terminal columns rather than characters (a
    line of Chinese help wrapped by ``len`` is twice as wide as the terminal)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text, width):
        return wrap(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class ArgumentParser(argparse.ArgumentParser):
    """The parser of ``hotline`` and, through ``add_subparsers``, of every subcommand."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助信息并退出")

    def format_help(self) -> str:
        # argparse ends every heading with an ASCII colon; ours are Chinese
        return _HEADING.sub(r"\1：", super().format_help())

    def error(self, message: str):
        # the error first, as every other error of the product; the usage after it as a reminder
        self._print_message(f"错误：{translate(message)}\n", sys.stderr)
        self.print_usage(sys.stderr)
        self.exit(2, f"提示：运行 {self.prog} -h 查看各参数的说明\n")


def _value(text: str) -> str:
    """argparse quotes values with repr(): show the value itself."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _listing(text: str) -> str:
    return "、".join(_value(part.strip()) for part in text.split(", "))


_TYPES = {"int": "整数", "float": "数字"}


def _invalid_type(m: re.Match) -> str:
    kind, value = m.group(1), _value(m.group(2))
    if kind in ("fromisoformat", "iso_date", "date"):
        return _bad_date(value)
    if kind in _TYPES:
        return f"“{value}”不是{_TYPES[kind]}"
    return f"取值“{value}”无效（{kind}）"


def _argument(name: str) -> str:
    """``--from`` or ``-o/--out`` is an option (选项); a positional is named by its metavar (命令, FILE)."""
    return f"选项 {name}" if name.startswith("-") else name


def _expected(m: re.Match) -> str:
    n = m.group(1)
    return f"需要 {n} 个值"


# argparse's messages (Python 3.11–3.13), most specific first.
_MESSAGES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"argument (.+?): (.*)", re.S), lambda m: f"{_argument(m.group(1))}：{translate(m.group(2))}"),
    (re.compile(r"the following arguments are required: (.*)"), lambda m: f"缺少必需的参数：{_listing(m.group(1))}"),
    (re.compile(r"unrecognized arguments: (.*)"), lambda m: f"无法识别的参数：{m.group(1)}"),
    (re.compile(r"invalid choice: (.*?) \(choose from (.*)\)"),
     lambda m: f"没有“{_value(m.group(1))}”这一项，可选：{_listing(m.group(2))}"),
    (re.compile(r"invalid (\S+) value: (.*)"), _invalid_type),
    (re.compile(r"expected one argument"), lambda m: "需要一个值"),
    (re.compile(r"expected at most one argument"), lambda m: "最多只能给一个值"),
    (re.compile(r"expected at least one argument"), lambda m: "至少需要一个值"),
    (re.compile(r"expected (\d+) arguments?"), _expected),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"),
     lambda m: f"选项 {m.group(1)} 不明确，可能是：{_listing(m.group(2))}"),
    (re.compile(r"not allowed with argument (.*)"), lambda m: f"不能与参数 {m.group(1)} 同时使用"),
    (re.compile(r"one of the arguments (.*) is required"), lambda m: f"参数 {m.group(1)} 中必须给出一个"),
    (re.compile(r"ignored explicit argument (.*)"), lambda m: f"这个选项不接受值“{_value(m.group(1))}”"),
]
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def translate(message: str) -> str:
    """argparse's English message in Chinese; one it does not know gets a Chinese lead and its own text."""
    for pattern, render in _MESSAGES:
        m = pattern.fullmatch(message)
        if m:
            return render(m)
    if _CHINESE.search(message):  # already ours (an ArgumentTypeError of a type function such as iso_date)
        return message
    return f"命令行参数有误（{message}）"
