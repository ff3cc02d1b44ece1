"""`hotline transcribe` end to end: formats, stdout discipline, and bad input that loses nothing."""

import json
import shutil

import pytest

from tests.conftest import CORPUS
from tests.conftest import run_hotline as hotline

pytestmark = pytest.mark.slow  # every test here runs the real speech model

CLIP = CORPUS / "aishell/audio/BAC009S0150W0085.flac"




@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(CLIP, folder / "good.flac")
    (folder / "broken.mp3").write_bytes(b"\x00garbage" * 200)
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.txt").write_text("not audio")
    return folder


@pytest.fixture(scope="module")
def mixed_run(mixed_folder, units_csv):
    return hotline("transcribe", str(mixed_folder), str(mixed_folder / "missing.wav"), "--units", str(units_csv))


def test_bad_files_fail_alone_and_the_rest_is_transcribed(mixed_run):
    lines = [json.loads(line) for line in mixed_run.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["good"]
    assert lines[0]["text"] and lines[0]["segments"][0]["speaker"] == "spk"
    assert mixed_run.returncode == 1


@pytest.mark.parametrize("name", ["broken.mp3", "empty.wav", "missing.wav"])
def test_each_failure_is_one_line_naming_the_file(mixed_run, name):
    failures = [line for line in mixed_run.stderr.splitlines() if line.startswith("失败") and name in line]
    assert len(failures) == 1, mixed_run.stderr


def test_non_audio_in_a_folder_is_reported_as_skipped(mixed_run):
    assert any(line.startswith("跳过") and "notes.txt" in line for line in mixed_run.stderr.splitlines())


def test_formats_and_out_file(tmp_path, units_csv):
    out = tmp_path / "call.srt"
    done = hotline("transcribe", str(CLIP), "--format", "srt", "--out", str(out), "--units", str(units_csv))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    srt = out.read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:") and "-->" in srt and "说话人：" in srt
    done = hotline("transcribe", str(CLIP), "--format", "vtt")
    assert done.stdout.startswith("WEBVTT")
    done = hotline("transcribe", str(CLIP), "--format", "json")
    assert json.loads(done.stdout)[0]["id"] == "BAC009S0150W0085"


def test_unreadable_units_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_text("名称,别名\n甲,乙\n", encoding="utf-8")
    done = hotline("transcribe", str(CLIP), "--units", str(bad))
    assert done.returncode == 2
    assert "units.csv" in done.stderr and "缺少列" in done.stderr
