"""`hotline units import`: what offices really send (GBK, .xlsx, a quote left open), each mistake one Chinese
line naming the file and line, and a failed import that changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import run_hotline

HEADER = "name,aliases,kind,district,handles\n"
GOOD = HEADER + ("示例市人民医院,示例人医;人民医院,医院,示例区,医疗质量;服务态度\n"
                 "示例市疾病预防控制中心,示例疾控,疾控机构,市直,疫苗接种;传染病防控\n")
OTHER = HEADER + "示例县中医院,县中医,医院,示例县,就医流程\n"


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def hotline(home, *args):
    return run_hotline(*args, env={"HOTLINE_HOME": str(home), "HOTLINE_DB": "", "HOTLINE_UNITS": ""}, timeout=120)


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def stored_units(home) -> list[str]:
    with sqlite3.connect(home / "hotline.db") as db:
        return sorted(name for (name,) in db.execute("SELECT name FROM unit"))


def failed(done) -> str:
    """The first line of a refused import, after checking it is a clean refusal."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("错误："), done.stderr
    return done.stderr.splitlines()[0]


@pytest.fixture
def imported(home, tmp_path):
    """A home with GOOD already imported: what every failed import must leave alone."""
    done = hotline(home, "units", "import", str(write(tmp_path / "good.csv", GOOD)))
    assert done.returncode == 0, done.stderr
    return home


def assert_unchanged(home):
    assert (home / "centre" / "units.csv").read_text(encoding="utf-8") == GOOD
    assert stored_units(home) == ["示例市人民医院", "示例市疾病预防控制中心"]
    assert [p.name for p in home.iterdir() if p.name.startswith(".")] == []


def test_a_utf8_csv_is_imported_into_the_file_and_the_database(imported):
    assert_unchanged(imported)
    listed = hotline(imported, "units", "list")
    assert listed.stdout.splitlines()[0] == "示例市人民医院\t医院\t示例区\t医疗质量、服务态度"


def test_a_gbk_csv_is_imported_and_kept_as_utf8(home, tmp_path):
    done = hotline(home, "units", "import", str(write(tmp_path / "gbk.csv", GOOD, "gbk")))
    assert done.returncode == 0, done.stderr
    assert (home / "centre" / "units.csv").read_text(encoding="utf-8") == GOOD
    assert stored_units(home) == ["示例市人民医院", "示例市疾病预防控制中心"]


def test_an_xlsx_is_imported_and_kept_as_a_utf8_csv(home, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for line in GOOD.splitlines():
        book.active.append(line.split(","))
    book.active.append([None] * 5)  # a blank row Excel leaves at the end
    book.save(tmp_path / "目录.xlsx")
    done = hotline(home, "units", "import", str(tmp_path / "目录.xlsx"))
    assert done.returncode == 0, done.stderr
    assert (home / "centre" / "units.csv").read_text(encoding="utf-8") == GOOD
    assert stored_units(home) == ["示例市人民医院", "示例市疾病预防控制中心"]


@pytest.mark.parametrize(("text", "line", "says"), [
    # a quote never closed: the rest of the file would have become one unit's name
    (HEADER + "示例市人民医院,人医,医院,示例区,医疗质量\n\"示例区卫生院,卫生院,医院,示例区,就医流程\n"
     "示例县中医院,县中医,医院,示例县,就医流程\n", 3, "引号没有闭合"),
    # a quote closed lines later: the lines between are swallowed into one field
    (HEADER + "\"示例区卫生院,卫生院,医院,示例区,就医流程\n示例县中医院,县中医\",医院,示例县,就医流程\n",
     2, "引号没有闭合"),
    (HEADER + "示例市人民医院,人医,医院,示例区,医疗质量,服务态度,多余\n", 2, "有 7 个字段"),
    (HEADER + "\"示例\"医院,人医,医院,示例区,医疗质量\n", 2, "引号后面应紧跟逗号"),
    (HEADER + "示例市人民医院,人医,医院,示例区,医疗质量\n,无名,医院,示例区,医疗质量\n", 3, "没有单位名称"),
    (HEADER + "示例市人民医院,人医,医院,示例区,医疗质量\n\n示例市人民医院,人医,医院,示例区,服务态度\n", 4, "重复"),
])
def test_a_broken_csv_names_its_line_and_changes_nothing(imported, tmp_path, text, line, says):
    source = write(tmp_path / "broken.csv", text)
    first = failed(hotline(imported, "units", "import", str(source)))
    assert str(source) in first and f"第 {line} 行" in first and says in first
    assert_unchanged(imported)


def test_a_missing_column_is_named(imported, tmp_path):
    source = write(tmp_path / "cols.csv", "name,aliases,kind,district\n示例市人民医院,人医,医院,示例区\n")
    first = failed(hotline(imported, "units", "import", str(source)))
    assert str(source) in first and "缺少列" in first and "handles" in first
    assert_unchanged(imported)


def test_a_missing_file_is_named(imported, tmp_path):
    first = failed(hotline(imported, "units", "import", str(tmp_path / "没有这个文件.csv")))
    assert "没有这个文件.csv" in first and "不存在" in first
    assert_unchanged(imported)


def test_an_unknown_category_is_a_warning_naming_unit_line_and_category(home, tmp_path):
    source = write(tmp_path / "handles.csv", GOOD + "示例区口腔诊所,口腔诊所,诊所,示例区,医疗质量;牙齿美白\n")
    done = hotline(home, "units", "import", str(source))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("警告：")]
    assert len(warnings) == 1, done.stderr
    assert "第 4 行" in warnings[0] and "示例区口腔诊所" in warnings[0] and "“牙齿美白”" in warnings[0]
    assert "疫苗接种" in warnings[0]  # the known categories are listed
    assert "示例区口腔诊所" in stored_units(home)


def test_a_database_that_refuses_the_commit_leaves_the_old_directory(imported, tmp_path):
    # A deferred foreign key the new rows break: the failure comes at COMMIT, after the file was swapped in.
    with sqlite3.connect(imported / "hotline.db") as db:
        db.executescript(
            "CREATE TABLE guard (unit_id INTEGER REFERENCES unit(id) DEFERRABLE INITIALLY DEFERRED);"
            "CREATE TRIGGER guard_units AFTER INSERT ON unit BEGIN INSERT INTO guard VALUES (-1); END;")
    first = failed(hotline(imported, "units", "import", str(write(tmp_path / "other.csv", OTHER))))
    assert "没有导入" in first
    assert_unchanged(imported)
