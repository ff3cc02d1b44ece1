"""A wrong setting is one Chinese line naming it, where it was set and the value: config.toml, the HOTLINE_*
variables, and the Dask scheduler a batch is sent to (the library's own words come after ours)."""

from __future__ import annotations

import pytest

from tests.conftest import run_hotline

# Variables that would otherwise leak in from the environment the tests run in.
CLEAN = {"HOTLINE_CENTRE": "", "HOTLINE_UNITS": "", "HOTLINE_MODEL": "", "HOTLINE_OPERATOR_CHANNEL": "",
         "HOTLINE_THREADS": ""}
UNITS = "name,aliases,kind,district,handles\n示例市人民医院,示例人医,医院,示例区,医疗质量;服务态度\n"


@pytest.fixture
def home(tmp_path):
    from assistant.centre.setup import init_centre

    (init_centre(tmp_path / "centre") / "units.csv").write_text(UNITS, encoding="utf-8")
    return tmp_path


def hotline_with(home, config: str | None, **env: str):
    if config is not None:
        (home / "config.toml").write_text(config, encoding="utf-8")
    return run_hotline("units", "list", env={**CLEAN, "HOTLINE_HOME": str(home), **env}, timeout=120)


def error_line(done) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("错误："), done.stderr
    return first


@pytest.mark.parametrize(("config", "key", "shown", "problem"), [
    ('cpu_threads = "two"\n', "cpu_threads", "“two”", "整数"),
    ("units = 5\n", "units", "5", "路径"),
    ("operator_channel = 3\n", "operator_channel", "3", "left 或 right"),
    ('operator_channel = "middle"\n', "operator_channel", "“middle”", "left 或 right"),
    ("cpu_threads = -1\n", "cpu_threads", "-1", "整数"),
    ("model = false\n", "model", "false", "文字"),
])
def test_a_bad_value_in_the_file_names_file_key_and_value(home, config, key, shown, problem):
    line = error_line(hotline_with(home, config))
    assert str(home / "config.toml") in line
    assert f" {key} " in line and shown in line and problem in line


def test_a_bad_environment_variable_is_named_instead_of_the_file(home):
    line = error_line(hotline_with(home, None, HOTLINE_THREADS="abc"))
    assert "环境变量 HOTLINE_THREADS" in line and "“abc”" in line and "整数" in line


def test_the_environment_variable_wins_over_a_bad_file_value(home):
    done = hotline_with(home, 'cpu_threads = "two"\n', HOTLINE_THREADS="2")
    assert done.returncode == 0, done.stderr


def test_an_unknown_key_is_a_warning_and_the_command_still_runs(home):
    done = hotline_with(home, 'unit = "其他目录.csv"\ncpu_threads = 2\n')
    assert done.returncode == 0, done.stderr
    assert "示例市人民医院" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if line.startswith("警告：")]
    assert len(warnings) == 1, done.stderr
    assert str(home / "config.toml") in warnings[0] and " unit " in warnings[0]
    assert all(known in warnings[0] for known in ("units", "model", "operator_channel", "cpu_threads"))


def test_a_toml_syntax_error_is_chinese_first_with_the_parser_text_after(home):
    line = error_line(hotline_with(home, 'cpu_threads = 2\nmodel = base\n'))
    assert str(home / "config.toml") in line and "不是有效的 TOML：第 2 行" in line
    assert line.index("第 2 行") < line.index("Invalid value")


def test_a_config_file_that_is_not_utf8_is_named(home):
    (home / "config.toml").write_bytes('model = "示例"\n'.encode("gbk"))
    line = error_line(hotline_with(home, None))
    assert str(home / "config.toml") in line and "UTF-8" in line


@pytest.mark.parametrize(("address", "says"), [
    ("tcp://127.0.0.1:1", "1 秒内没有连上"),  # nothing listens on port 1
    ("tcp://127.0.0.1:abc", "无效"),
    ("http://127.0.0.1:8786", "无效"),
])
def test_a_dask_scheduler_that_cannot_be_used_is_named_before_any_work(home, address, says):
    done = run_hotline("batch", str(home / "录音"), "--units", str(home / "centre" / "units.csv"),
                       "--scheduler", address, "--scheduler-timeout", "1", env={**CLEAN, "HOTLINE_HOME": str(home)},
                       timeout=120)
    line = error_line(done)
    assert f"Dask 调度器 {address}" in line or f"Dask 调度器地址 {address}" in line
    assert says in line and "distributed：" in line
    assert line.index(address) < line.index("distributed：")
