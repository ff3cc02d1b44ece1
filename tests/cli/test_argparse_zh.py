"""Everything the command line says about its own arguments is Chinese: help of every command, every parse error.

The walk covers the whole parser tree, so a subcommand added later without help texts fails here."""

from __future__ import annotations

import argparse
import unicodedata

import pytest

from assistant.cli import build_parser
from tests.conftest import run_hotline

ENGLISH = ("usage:", "options:", "positional arguments", "optional arguments", "show this help message",
           "show program's version", "error:", "invalid", "required", "unrecognized", "choose from", "expected")


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))


COMMANDS = dict(_walk(build_parser()))


def _name(path: tuple[str, ...]) -> str:
    return " ".join(("hotline", *path))


@pytest.mark.parametrize("path", list(COMMANDS), ids=_name)
def test_every_option_has_help(path):
    missing = [action.option_strings[-1] for action in COMMANDS[path]._actions
               if action.option_strings and (not action.help or action.help == argparse.SUPPRESS)]
    assert not missing, f"{_name(path)}: options without help: {missing}"


@pytest.mark.parametrize("path", list(COMMANDS), ids=_name)
def test_every_positional_has_help(path):
    missing = [action.metavar or action.dest for action in COMMANDS[path]._actions
               if not action.option_strings and not isinstance(action, argparse._SubParsersAction)
               and not action.help]
    assert not missing, f"{_name(path)}: positionals without help: {missing}"


@pytest.mark.parametrize("path", list(COMMANDS), ids=_name)
def test_help_is_chinese(path):
    done = run_hotline(*path, "-h", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"用法：{_name(path)}"), done.stdout
    assert "选项：" in done.stdout and "显示帮助信息并退出" in done.stdout
    english = [word for word in ENGLISH if word in done.stdout.lower()]
    assert not english, f"{_name(path)} -h: {english}\n{done.stdout}"


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("path", [("batch",), ("tickets", "list"), ("train",), ("units", "import")], ids=_name)
def test_help_fits_the_terminal_counting_chinese_as_two_columns(path):
    done = run_hotline(*path, "-h", env={"COLUMNS": "60"}, timeout=60)
    text = done.stdout.split("\n\n", 1)[1]  # after the usage, whose metavars argparse does not break
    too_wide = [line for line in text.splitlines() if _columns(line) > 60]
    assert not too_wide, "\n".join(too_wide)
    assert not any(line.rstrip().endswith("（") for line in text.splitlines())


def test_wrapping_keeps_punctuation_off_the_start_of_a_line():
    from assistant.cli.args import wrap

    assert wrap("示例文字：甲乙丙（丁戊），己庚", 12) == ["示例文字：甲", "乙丙（丁", "戊），己庚"]
    assert wrap("use --units FILE here", 12) == ["use --units", "FILE here"]


def test_version_has_chinese_help_and_prints_the_version():
    assert "显示版本号并退出" in run_hotline("-h", timeout=60).stdout
    done = run_hotline("--version", timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("hotline ")


@pytest.mark.parametrize(("args", "says"), [
    ((), "缺少必需的参数：命令"),
    (("units", "import"), "缺少必需的参数：FILE"),
    (("tickets", "export"), "缺少必需的参数：--out"),
    (("units", "list", "--colour", "蓝"), "无法识别的参数：--colour 蓝"),
    (("导入",), "没有“导入”这一项，可选：transcribe、draft"),
    (("draft", "--format", "xml"), "选项 --format：没有“xml”这一项，可选：jsonl、json"),
    (("transcribe", "录音.wav", "--threads", "二"), "选项 --threads：“二”不是整数"),
    (("console", "--speed", "快"), "选项 --speed：“快”不是数字"),
    (("console", "--replay", "demo", "--speed", "0"), "选项 --speed：0 无效，应为大于 0 的数"),
    (("batch", "录音", "--scheduler-timeout", "半分钟"), "选项 --scheduler-timeout：“半分钟”不是数字"),
    (("tickets", "list", "--from", "2026-13-01"), "日期“2026-13-01”无效，应为 YYYY-MM-DD"),
    (("tickets", "stats", "--to", "上周五"), "日期“上周五”无效，应为 YYYY-MM-DD"),
    (("units", "import", "a.csv", "--db"), "选项 --db：需要一个值"),
    (("transcribe", "录音.wav", "--threads", "-3"), "选项 --threads：-3 无效，应为 0 或正整数"),
    (("batch", "录音", "--workers", "0"), "选项 --workers：0 无效，至少为 1"),
    (("--ver",), "选项 --ver 不明确，可能是：--version、--verbose"),
])
def test_parse_errors_are_one_chinese_line_first(args, says):
    done = run_hotline(*args, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("错误：") and says in lines[0], done.stderr
    assert lines[1].startswith("用法：hotline")
    assert sum(line.startswith("错误：") for line in lines) == 1
    assert lines[-1].startswith("提示：运行 hotline")
    english = [word for word in ENGLISH if word in done.stderr.lower()]
    assert not english, done.stderr


UNITS = "name,aliases,kind,district,handles\n示例市人民医院,示例人医,医院,示例区,医疗质量\n"
CLIP = "aishell/audio/BAC009S0150W0085.flac"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("command", "says"), [
    (("transcribe", "{clip}", "--out", "{bad}/文字.jsonl"),
     "无法写入输出文件 {bad}/文字.jsonl：路径中有一段不是文件夹"),
    (("transcribe", "{clip}", "{clip2}", "--format", "txt", "--out", "{bad}/文字"),
     "无法创建输出文件夹 {bad}/文字：路径中有一段不是文件夹"),
    (("draft", "{folder}/转写.json", "--units", "{bad}", "--out", "{bad}/草稿.jsonl"),
     "无法写入输出文件 {bad}/草稿.jsonl：路径中有一段不是文件夹"),
    (("draft", "{folder}/转写.json", "--units", "{bad}", "--out", "{folder}"),
     "无法写入输出文件 {folder}：这是一个文件夹"),
    (("batch", "{clip}", "--units", "{bad}", "--db", "sqlite:///{folder}/b.db", "--export", "{bad}/导出"),
     "无法创建导出目录 {bad}/导出：路径中有一段不是文件夹"),
])
def test_an_output_path_that_cannot_be_written_is_named_before_any_work(folder, command, says):
    from tests.conftest import CORPUS

    (folder / "转写.json").write_text('{"id": "a", "segments": []}', encoding="utf-8")
    (folder / "b.flac").write_bytes((CORPUS / CLIP).read_bytes())
    names = {"clip": str(CORPUS / CLIP), "clip2": str(folder / "b.flac"), "bad": str(folder / "units.csv"),
             "folder": str(folder)}
    done = run_hotline(*(part.format(**names) for part in command), env={"HOTLINE_HOME": str(folder)}, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-2] == "错误：" + says.format(**names), done.stderr


@pytest.mark.parametrize(("out", "says"), [
    ("{bad}/模型", "无法创建模型输出目录 {bad}：已有同名的文件"),
    ("{bad}", "模型输出目录 {bad} 是一个文件"),
])
def test_a_model_folder_that_cannot_be_written_is_said_before_training(folder, out, says):
    data = folder / "样本.csv"
    data.write_text("内容,类别\n示例一,甲\n示例二,甲\n示例三,乙\n示例四,乙\n", encoding="utf-8")
    bad = str(folder / "units.csv")
    done = run_hotline("train", "--data", str(data), "--text-col", "内容", "--label-col", "类别",
                       "--out", out.format(bad=bad), timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "错误：" + says.format(bad=bad) in done.stderr.splitlines(), done.stderr
    assert "训练" not in done.stderr.splitlines()[0]


def test_training_data_with_every_label_once_is_refused_in_chinese(folder):
    data = folder / "样本.csv"
    data.write_text("内容,类别\n示例一,甲\n示例二,乙\n示例三,丙\n", encoding="utf-8")
    done = run_hotline("train", "--data", str(data), "--text-col", "内容", "--label-col", "类别",
                       "--out", str(folder / "模型"), timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "错误：" in done.stderr and "每种标签都只有 1 条" in done.stderr
    assert not (folder / "模型").exists()


def test_translated_messages_keep_english_only_as_detail():
    from assistant.cli.args import translate

    assert translate("ambiguous option: --ver could match --version, --verbose") == \
        "选项 --ver 不明确，可能是：--version、--verbose"
    assert translate("argument --x: invalid Path value: '?'") == "选项 --x：取值“?”无效（Path）"
    assert translate("something argparse may say one day").startswith("命令行参数有误（")
