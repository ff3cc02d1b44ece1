"""A PBX manifest with a wrong row: one Chinese line naming the file and the line, before any model is loaded."""

from __future__ import annotations

import json

import pytest

from assistant.audio.calls import ManifestError, read_manifest
from tests.conftest import run_hotline

UNITS = "name,aliases,kind,district,handles\n样例区第一医院,一院,医院,样例区,就医流程\n"


@pytest.fixture
def units(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    return path


def refused(tmp_path, units, manifest) -> str:
    done = run_hotline("draft", "--manifest", str(manifest), "--units", str(units),
                       env={"HOTLINE_HOME": str(tmp_path / "home"), "HOTLINE_DB": ""}, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("错误："), done.stderr
    return done.stderr.splitlines()[0]


GOOD_ROW = {"audio": "r1.wav", "id": "k-1", "call_start": "2026-03-02T09:15:00+08:00"}


@pytest.mark.parametrize(("line", "says"), [
    ("[1, 2]", "应为一个对象"),
    ('"r2.wav"', "应为一个对象"),
    ('{"audio": 5, "id": "k-2"}', "audio 应为文字"),
    ('{"audio": "r2.wav", "call_start": 20260101}', "call_start 应为文字"),
    ('{"audio": "r2.wav", "hotline": {}}', "hotline 应为文字或数字"),
    ('{"audio": "r2.wav", "operator_id": [7]}', "operator_id 应为文字或数字"),
    ('{"audio": "r2.wav", "id": true}', "id 应为文字或数字"),
    ("{not json", "不是有效的 JSON"),
])
def test_a_wrong_jsonl_row_is_named_by_file_and_line(tmp_path, units, line, says):
    manifest = tmp_path / "calls.jsonl"
    manifest.write_text(json.dumps(GOOD_ROW) + "\n\n" + line + "\n", encoding="utf-8")
    first = refused(tmp_path, units, manifest)
    assert f"{manifest} 第 3 行" in first and says in first, first


def test_a_gbk_csv_manifest_is_read(tmp_path):
    manifest = tmp_path / "calls.csv"
    text = ("audio,id,call_start,hotline,operator_id\n"
            "录音/甲.wav,k-7,2026-03-02T09:15:00+08:00,市民热线,0815\n")
    manifest.write_bytes(text.encode("gbk"))
    (call,) = read_manifest(manifest)
    assert call.path == (tmp_path / "录音" / "甲.wav").resolve()
    assert (call.call_id, call.context.hotline, call.context.operator_id) == ("k-7", "市民热线", "0815")
    assert call.context.call_start_certain


def test_numbers_from_a_pbx_are_taken_as_text(tmp_path):
    manifest = tmp_path / "calls.jsonl"
    manifest.write_text(json.dumps({**GOOD_ROW, "id": 4711, "hotline": 12345, "operator_id": 9}), encoding="utf-8")
    (call,) = read_manifest(manifest)
    assert (call.call_id, call.context.hotline, call.context.operator_id) == ("4711", "12345", "9")


def test_a_gbk_csv_row_with_a_wrong_time_names_the_line(tmp_path, units):
    manifest = tmp_path / "calls.csv"
    text = "audio,id,call_start\n甲.wav,k-1,2026-03-02T09:15:00\n乙.wav,k-2,前天下午\n"
    manifest.write_bytes(text.encode("gbk"))
    first = refused(tmp_path, units, manifest)
    assert f"{manifest} 第 3 行" in first and "前天下午" in first, first


def test_a_manifest_in_no_known_encoding_is_refused_in_chinese(tmp_path):
    manifest = tmp_path / "calls.csv"
    manifest.write_bytes(b"audio,id\n\xff\xfe\xff,k\n")
    with pytest.raises(ManifestError, match="既不是 UTF-8 也不是 GBK"):
        read_manifest(manifest)
