"""`hotline draft` end to end: transcripts, a PBX manifest with real audio, and the field names score.py reads."""

import json

import pytest

from tests.asr.test_pipeline import _cut_call
from tests.conftest import run_hotline as hotline

FIELDS = {"appeal_type", "category", "unit", "urgency", "institution", "department", "caller_name", "phone",
          "incident_time", "location", "title", "demand", "summary"}




def test_draft_from_a_transcript_file(tmp_path, dev_calls, units_csv):
    call = dev_calls["a01"]
    transcript = {"id": "a01", "source": "", "duration": call["duration"], "channels": "op-left",
                  "segments": [{"speaker": t["spk"], "start": t["start"], "end": t["end"], "text": t["text"]}
                               for t in call["turns"]]}
    path = tmp_path / "a01.json"
    path.write_text(json.dumps(transcript, ensure_ascii=False), encoding="utf-8")
    done = hotline("draft", str(path), "--units", str(units_csv))
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert line["id"] == "a01" and FIELDS <= set(line["ticket"])
    assert line["ticket"]["phone"] == call["ticket"]["phone"]
    assert line["ticket"]["unit"] == call["ticket"]["unit"]
    assert line["call_start_certain"] is False
    assert line["evidence"]["phone"][0]["text"] == call["ticket"]["phone"]
    assert len(line["alternatives"]["category"]) == 3


@pytest.mark.slow  # transcribes a clip with the speech model
def test_manifest_gives_ids_and_call_start_and_a_bad_row_fails_alone(tmp_path, dev_calls, units_csv):
    call = dev_calls["a01"]
    (tmp_path / "rec").mkdir()
    _cut_call(call, call["turns"][1]["end"] + 0.3, tmp_path / "rec" / "x.wav")
    rows = [
        {"audio": "rec/x.wav", "id": "call-1", "call_start": call["call_start"], "hotline": "12320",
         "operator_id": "1027", "extra": "ignored"},
        {"audio": "rec/missing.wav", "id": "call-2", "call_start": call["call_start"]},
    ]
    manifest = tmp_path / "calls.jsonl"
    manifest.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    done = hotline("draft", "--manifest", str(manifest), "--units", str(units_csv))
    assert done.returncode == 1
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["call-1"]
    assert lines[0]["call_start"].startswith(call["call_start"][:16]) and lines[0]["call_start_certain"]
    assert lines[0]["hotline"] == "12320" and lines[0]["operator_id"] == "1027"
    assert lines[0]["ticket"]["unit"]  # the caller's complaint about a hospital is routed somewhere
    assert any("missing.wav" in x and x.startswith("失败") for x in done.stderr.splitlines())


def test_a_centre_without_a_directory_is_a_clear_error(tmp_path, monkeypatch):
    from assistant.centre.setup import init_centre

    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    centre = init_centre(tmp_path / "中心")
    (centre / "units.csv").unlink()
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"id": "x", "segments": []}), encoding="utf-8")
    done = hotline("--centre", str(centre), "draft", str(path))
    assert done.returncode == 2 and "单位目录" in done.stderr and "hotline units import" in done.stderr


def test_units_import_makes_the_default(tmp_path, monkeypatch, units_csv):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    done = hotline("units", "import", str(units_csv))
    assert done.returncode == 0 and "已导入 19 个单位" in done.stdout
    listed = hotline("units", "list")
    assert "临江市第一人民医院" in listed.stdout


@pytest.mark.parametrize("bad", [
    "not json at all",
    json.dumps({"no": "segments"}),
    json.dumps({"id": "x", "segments": [{"speaker": "机器人", "start": 0, "end": 1, "text": "你好"}]}),
    json.dumps({"id": "x", "segments": [{"speaker": "op", "start": "早上", "end": 1, "text": "你好"}]}),
])
def test_bad_transcript_file_is_named(tmp_path, units_csv, bad):
    path = tmp_path / "broken.json"
    path.write_text(bad, encoding="utf-8")
    done = hotline("draft", str(path), "--units", str(units_csv))
    assert done.returncode == 1 and "broken.json" in done.stderr
