"""`hotline units import` when the centre has configured a directory: `units` in config.toml or HOTLINE_UNITS
wins over the imported one, so the import says so instead of leaving the operator to find out later."""

from __future__ import annotations

from tests.conftest import run_hotline

HEADER = "name,aliases,kind,district,handles\n"
IMPORTED = HEADER + "青禾县妇幼保健院,县妇幼,医院,青禾县,母婴保健\n"
CONFIGURED = HEADER + "青禾县口腔医院,县口腔,医院,青禾县,服务态度\n"


def import_units(tmp_path, env: dict):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    source = tmp_path / "新目录.csv"
    source.write_text(IMPORTED, encoding="utf-8")
    done = run_hotline("units", "import", str(source),
                       env={"HOTLINE_HOME": str(home), "HOTLINE_DB": "", "HOTLINE_UNITS": "", **env}, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (home / "centre" / "units.csv").read_text(encoding="utf-8") == IMPORTED
    return home, done


def configured_csv(tmp_path):
    path = tmp_path / "已配置.csv"
    path.write_text(CONFIGURED, encoding="utf-8")
    return path


def test_environment_variable_is_named_with_its_value(tmp_path):
    other = configured_csv(tmp_path)
    home, done = import_units(tmp_path, {"HOTLINE_UNITS": str(other)})
    warning = done.stderr.strip().splitlines()[-1]
    assert warning.startswith("警告：环境变量 HOTLINE_UNITS 指向 "), done.stderr
    assert str(other) in warning and "不会用刚导入的目录" in warning and str(home / "centre" / "units.csv") in warning
    # and the setting does win: the list shows the configured directory, not the imported one
    shown = run_hotline("units", "list", env={"HOTLINE_HOME": str(home), "HOTLINE_UNITS": str(other)}, timeout=120)
    assert "青禾县口腔医院" in shown.stdout and "青禾县妇幼保健院" not in shown.stdout, shown.stdout + shown.stderr


def test_config_file_key_is_named_with_its_value(tmp_path):
    other = configured_csv(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'units = "{other}"\n', encoding="utf-8")
    home, done = import_units(tmp_path, {})
    warning = done.stderr.strip().splitlines()[-1]
    assert warning.startswith(f"警告：配置文件 {home / 'config.toml'} 中的 units 指向 {other}"), done.stderr


def test_no_warning_without_a_setting_or_when_it_names_the_imported_file(tmp_path):
    home, done = import_units(tmp_path, {})
    assert "警告" not in done.stderr, done.stderr
    _, again = import_units(tmp_path, {"HOTLINE_UNITS": str(home / "centre" / "units.csv")})
    assert "警告" not in again.stderr, again.stderr
