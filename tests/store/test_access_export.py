"""``batch --export`` files masked unless the role may read callers' data in full."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.audio.calls import CallContext, CallInput
from assistant.batch.export import Exporter, mask_text
from assistant.batch.jobs import Job
from assistant.batch.worker import Outcome
from assistant.draft.model import Evidence, FieldValue, TicketDraft
from assistant.errors import AccessError
from assistant.transcript.model import Segment, Transcript, Word

NUMBER = "15907731842"
SAID = f"我叫闵晓舟，电话{NUMBER}，闵晓舟。"


def outcome(call_id: str = f"{NUMBER}_0930") -> Outcome:
    words = tuple(Word(1.0 + i / 10, 1.1 + i / 10, c, 0.9) for i, c in enumerate(SAID))
    segments = (Segment("op", 0.0, 0.9, "您好，卫生健康热线。", 0.9),
                Segment("caller", 1.0, 4.0, SAID, 0.8, words=words, guessed=(NUMBER,)))
    transcript = Transcript(id=call_id, source=f"/录音/{call_id}.wav", duration=5.0, channels="op-left",
                            segments=segments)
    start = SAID.index(NUMBER)
    draft = TicketDraft(call_id, CallContext(datetime(2026, 3, 2, 9, 30, tzinfo=UTC), hotline="12320"), {
        "caller_name": FieldValue("闵晓舟", 0.9, (Evidence(1, 2, 5, "闵晓舟"),)),
        "phone": FieldValue(NUMBER, 0.8, (Evidence(1, start, start + 11, NUMBER),)),
        "summary": FieldValue(f"来电人闵晓舟（{NUMBER}）反映2026-03-01夜间急诊等候过久", 0.7),
        "category": FieldValue("服务态度", 0.9),
    })
    job = Job(CallInput(Path(f"/录音/{call_id}.wav"), call_id, draft.context), "ab" * 32, 5.0)
    return Outcome(job, transcript, draft, None, 1.0, "test", 1)


def test_an_operators_export_is_masked_everywhere_it_says_who_called(tmp_path):
    out = tmp_path / "export"
    Exporter(out, role="operator")(outcome(), "12320-20260302-0001")
    written = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert set(written) == {"159xxxx1842_0930.json", "159xxxx1842_0930.txt", "159xxxx1842_0930.srt"}
    for text in written.values():
        assert NUMBER not in text and "闵晓舟" not in text and "7731" not in text
    data = json.loads(written["159xxxx1842_0930.json"])
    assert data["personal"] == "masked" and data["draft"]["ticket"]["phone"] == "159****1842"
    assert data["draft"]["ticket"]["caller_name"] == "闵**" and data["draft"]["ticket"]["category"] == "服务态度"
    assert "2026-03-01" in data["draft"]["ticket"]["summary"]  # dates are not numbers to hide
    caller = data["segments"][1]
    assert caller["text"] == "我叫闵**，电话159****1842，闵**。" and "words" not in caller
    assert caller["guessed"] == ["159****1842"]
    span = data["draft"]["evidence"]["phone"][0]  # the evidence still points at the masked number
    assert caller["text"][span["start"]:span["end"]] == span["text"] == "159****1842"
    assert "来电人：我叫闵**，电话159****1842" in written["159xxxx1842_0930.txt"]


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_a_supervisors_export_keeps_the_callers_data(tmp_path, role):
    out = tmp_path / role
    Exporter(out, role=role)(outcome(), "12320-20260302-0001")
    data = json.loads((out / f"{NUMBER}_0930.json").read_text(encoding="utf-8"))
    assert data["personal"] == "full" and data["draft"]["ticket"]["phone"] == NUMBER
    assert data["segments"][1]["text"] == SAID and data["segments"][1]["words"]


def test_the_configured_role_decides_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_ROLE", "unit")
    assert not Exporter(tmp_path / "a").full
    monkeypatch.setenv("HOTLINE_ROLE", "admin")
    assert Exporter(tmp_path / "b").full
    with pytest.raises(AccessError, match="boss"):
        Exporter(tmp_path / "c", role="boss")


@pytest.mark.parametrize(("said", "shown"), [
    ("电话13912345678。", "电话139****5678。"),
    ("139 1234 5678", "139 **** 5678"),
    ("0571-86001234", "057*-****1234"),
    ("身份证330102199001011234", "身份证330***********1234"),
    ("2026-01-05去的", "2026-01-05去的"),  # a date
    ("工号3318，分机12320", "工号3318，分机12320"),  # short numbers
    ("上午9点到11点", "上午9点到11点"),
])
def test_numbers_in_what_was_said_are_masked_and_the_rest_left_alone(said, shown):
    assert mask_text(said) == shown and len(shown) == len(said)
