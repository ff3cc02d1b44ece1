"""The console service without a screen: scripted call → drafts → autosave → one ticket per call."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import replace
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.console import events
from assistant.console.service import CallSetup, ConsoleService, load_drafter
from assistant.console.session import Autosave, CallSession
from assistant.console.tickets import TicketDesk
from assistant.demo import DEMO_UNITS
from assistant.live.streaming import LiveSegment
from assistant.store.db import make_engine
from assistant.store.models import FieldCorrection, Ticket, TicketEvent
from tests.console.fakes import ScriptedRecognizer, SilentSource, scripted_segments


@pytest.fixture(scope="module")
def drafter():
    return load_drafter(DEMO_UNITS)


def make_service(tmp_path, drafter, db_url=None, recorded=None):
    received = recorded if recorded is not None else []
    service = ConsoleService(CallSetup(hotline="12320", operator_id="1187", autosave_dir=tmp_path / "autosave"),
                             ScriptedRecognizer(), lambda: drafter,
                             TicketDesk(db_url or f"sqlite:///{tmp_path / 'hotline.db'}"), emit=received.append)
    return service, received


def settle(service, timeout=60.0):
    assert service.wait_for_drafts(timeout)


def played(tmp_path, drafter, db_url=None):
    service, received = make_service(tmp_path, drafter, db_url)
    service.run_call(lambda: SilentSource(len(scripted_segments())))
    settle(service)
    return service, received


def count(engine, model):
    with Session(engine) as db:
        return db.scalar(select(func.count()).select_from(model))


def test_a_scripted_call_is_transcribed_drafted_and_autosaved(tmp_path, drafter):
    service, received = played(tmp_path, drafter)
    kinds = [type(e) for e in received]
    assert events.PartialText in kinds and events.CallEnded in kinds
    assert service.call_over and len(service.call.segments) == len(scripted_segments())
    assert service.call.values["phone"] == "13611112222"
    assert service.call.values["unit"] == "东湖街道社区卫生服务中心"
    saved = json.loads(Autosave(tmp_path / "autosave").path(service.call.call_id).read_text(encoding="utf-8"))
    assert saved["values"]["phone"] == "13611112222"


def test_the_operators_edit_survives_later_drafts(tmp_path, drafter):
    service, _ = make_service(tmp_path, drafter)
    service.edit("caller_name", "郑国华")
    service.run_call(lambda: SilentSource(len(scripted_segments())))
    settle(service)
    assert service.call.values["caller_name"] == "郑国华"
    assert service.call.drafted["caller_name"] != "郑国华"


def test_submitting_twice_files_one_ticket_and_updates_it(tmp_path, drafter, db_url):
    from tests.store.conftest import fresh

    engine = fresh(db_url)
    service, received = played(tmp_path, drafter, db_url)
    first = service.submit()
    second = service.submit({"caller_name": "郑国华"})
    assert isinstance(first, events.Submitted) and not first.updated
    assert isinstance(second, events.Submitted) and second.updated and second.number == first.number
    assert service.submitted == [first.number]
    assert count(engine, Ticket) == 1
    with Session(engine) as db:
        ticket = db.scalars(select(Ticket)).one()
        assert ticket.caller_name == "郑国华"
        assert {c.field for c in ticket.corrections} == {"caller_name"}
        edit = db.scalars(select(TicketEvent).where(TicketEvent.action == "edit")).one()
        assert "来电人" in edit.note and "郑**" in edit.note and "郑国华" not in edit.note  # masked in the history
    engine.dispose()


def test_two_submits_at_once_still_file_one_ticket(tmp_path, drafter):
    service, _ = played(tmp_path, drafter)
    threads = [threading.Thread(target=service.submit) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    assert count(engine, Ticket) == 1
    assert count(engine, FieldCorrection) == 0


def test_a_second_submit_keeps_what_was_said_after_the_first(tmp_path, drafter):
    from assistant.store.models import Call

    service, _ = played(tmp_path, drafter)
    service.submit()
    service._committed(LiveSegment("caller", 99.0, 100.0, "还有一件事，体检报告能寄到家里吗？", True))
    settle(service)
    service.submit()
    with Session(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")) as db:
        call = db.scalars(select(Call)).one()
        assert len(call.segments) == len(scripted_segments()) + 1 and call.duration >= 100.0


def test_a_segment_after_the_submit_does_not_bring_the_call_back(tmp_path, drafter):
    service, _ = played(tmp_path, drafter)
    service.submit()
    folder = tmp_path / "autosave"
    assert not list(folder.glob("*.json"))
    service._committed(LiveSegment("caller", 99.0, 100.0, "好的，谢谢。", True))  # the caller says goodbye
    settle(service)
    assert not list(folder.glob("*.json"))
    again, _ = make_service(tmp_path, drafter)
    assert not again.restored and again.call.call_id != service.call.call_id


def test_a_failed_submit_keeps_the_draft_for_the_next_start(tmp_path, drafter):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    service, received = make_service(tmp_path, drafter, db_url=f"sqlite:///{blocked / 'hotline.db'}")
    service.edit("title", "疫苗预约不上")
    result = service.submit()
    assert isinstance(result, events.SubmitFailed) and "提交失败" in result.message
    again, _ = make_service(tmp_path, drafter)
    assert again.restored and again.call.values["title"] == "疫苗预约不上"


def test_old_submitted_and_broken_autosaves_are_removed(tmp_path):
    folder = tmp_path / "autosave"
    saver = Autosave(folder)
    fresh_call = CallSession(call_id="call-new", hotline="12320", operator_id="1", started_at="2026-12-01T09:00:00")
    old_call = CallSession(call_id="call-old", hotline="12320", operator_id="1", started_at="2026-11-01T09:00:00")
    saver.save(fresh_call)
    saver.save(old_call)
    week_ago = time.time() - 8 * 86400
    os.utime(saver.path("call-old"), (week_ago, week_ago))
    (folder / "call-done.json").write_text(json.dumps({**vars(fresh_call), "call_id": "call-done",
                                                       "ticket_number": "12320-20261201-0001"}), encoding="utf-8")
    (folder / "call-broken.json").write_text("{not json", encoding="utf-8")
    restored = saver.latest()
    assert restored is not None and restored.call_id == "call-new"
    assert sorted(p.name for p in folder.glob("*.json")) == ["call-new.json"]


def test_a_submitted_session_is_never_written(tmp_path):
    saver = Autosave(tmp_path)
    call = CallSession(call_id="call-s", hotline="12320", operator_id="1", started_at="2026-12-01T09:00:00",
                       ticket_number="12320-20261201-0002")
    saver.save(call)
    assert not list(tmp_path.glob("*.json"))


def test_the_service_does_not_need_textual():
    import subprocess
    import sys

    code = ("import sys, assistant.console.service, assistant.console.tickets, assistant.review.recording\n"
            "sys.exit(1 if any(m.split('.')[0] == 'textual' for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_draft_partial_factory_is_used_once(tmp_path, drafter):
    calls = []

    def factory():
        calls.append(1)
        return drafter

    service = ConsoleService(CallSetup(autosave_dir=tmp_path / "a"), ScriptedRecognizer(), factory,
                             TicketDesk(f"sqlite:///{tmp_path / 'h.db'}"))
    service.run_call(partial(SilentSource, 3))
    settle(service)
    assert calls == [1]


def test_a_later_submit_with_a_value_too_long_is_refused_and_changes_nothing(tmp_path, drafter):
    service, _ = played(tmp_path, drafter)
    first = service.submit()
    refused = service.submit({"caller_name": "郑" * 80})
    assert isinstance(refused, events.SubmitFailed) and "来电人" in refused.message
    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    with Session(engine) as db:
        ticket = db.scalars(select(Ticket)).one()
        assert ticket.number == first.number and ticket.caller_name != "郑" * 80
        assert not db.scalars(select(TicketEvent).where(TicketEvent.action == "edit")).all()


def test_the_history_names_an_edit_in_chinese(tmp_path, drafter):
    from assistant.store.tickets import get, history_lines

    service, _ = played(tmp_path, drafter)
    number = service.submit().number
    service.submit({"title": "疫苗预约不上"})
    with Session(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")) as db:
        lines = history_lines(get(db, number))
    assert any("修改" in line and "工单标题" in line and "疫苗预约不上" in line for line in lines)


def test_the_next_call_on_the_line_gets_a_ticket_of_its_own(tmp_path, drafter):
    service, received = played(tmp_path, drafter)
    first = service.submit()
    service.new_call()
    assert any(isinstance(e, events.CallStarted) for e in received)
    assert not service.call.segments and not service.call.values
    line_time = scripted_segments()[-1].end + 3.0  # the source's clock has gone on since the first call
    for speaker, text in (("op", "您好，请讲。"), ("caller", "我想问一下体检报告什么时候能拿。")):
        service._committed(LiveSegment(speaker, line_time, line_time + 2.0, text, True))
        line_time += 3.0
    settle(service)
    assert [round(s["start"]) for s in service.call.segments] == [3, 6]  # the new call's own clock
    second = service.submit()
    assert isinstance(second, events.Submitted) and not second.updated and second.number != first.number
    assert count(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}"), Ticket) == 2


def test_a_restored_call_goes_on_after_what_it_already_holds(tmp_path, drafter):
    saved = CallSession(call_id="call-r", hotline="12320", operator_id="1187", started_at="2026-12-01T09:10:00",
                        segments=[{"speaker": "caller", "start": 1.0, "end": 12.0, "text": "我想问一下疫苗的事。"}])
    Autosave(tmp_path / "autosave").save(saved)
    service, _ = make_service(tmp_path, drafter)
    assert service.restored
    service._committed(LiveSegment("op", 0.5, 2.0, "请讲。", True))
    assert [s["text"] for s in service.call.segments] == ["我想问一下疫苗的事。", "请讲。"]
    assert service.call.segments[1]["start"] > 12.0


def test_the_operator_on_the_right_channel(tmp_path, drafter):
    heard = []

    class Recorder(ScriptedRecognizer):
        def open(self, speakers, on_segment, on_status):
            heard.append(speakers)
            return super().open(speakers, on_segment, on_status)

    service = ConsoleService(CallSetup(autosave_dir=tmp_path / "a", operator_channel="right"), Recorder(),
                             lambda: drafter, TicketDesk(f"sqlite:///{tmp_path / 'h.db'}"))
    service.run_call(lambda: SilentSource(1))
    assert heard == [("caller", "op")]


def test_an_unexpected_error_in_the_audio_ends_the_call_and_keeps_what_was_heard(tmp_path, drafter):
    class Broken(SilentSource):
        def blocks(self):
            yield from super().blocks()
            raise RuntimeError("声卡断开")

    service, received = make_service(tmp_path, drafter)
    service.run_call(lambda: Broken(2))
    settle(service)
    assert service.call_over and len(service.call.segments) >= 2  # what was heard, and what the flush gave
    assert any(isinstance(e, events.StatusChanged) and "音频中断" in e.text for e in received)
    assert any(isinstance(e, events.CallEnded) for e in received)


def test_a_disk_that_refuses_the_autosave_is_said_once_and_the_call_goes_on(tmp_path, drafter):
    blocked = tmp_path / "autosave"
    blocked.write_text("not a folder")
    service, received = make_service(tmp_path, drafter)
    service.run_call(lambda: SilentSource(len(scripted_segments())))
    settle(service)
    warnings = [e for e in received if isinstance(e, events.StatusChanged) and "自动保存失败" in e.text]
    assert len(warnings) == 1
    assert len(service.call.segments) == len(scripted_segments())
    assert isinstance(service.submit(), events.Submitted)


def test_an_autosave_that_is_not_a_call_is_ignored(tmp_path):
    folder = tmp_path / "autosave"
    folder.mkdir()
    (folder / "call-list.json").write_text("[1, 2]", encoding="utf-8")
    assert Autosave(folder).latest() is None


def heard_short_then_revised() -> list[LiveSegment]:
    """The scripted call, its phone number first committed a digit short, then the revision that hears it whole."""
    segments = scripted_segments()
    i = next(n for n, s in enumerate(segments) if "电话" in s.text and s.speaker == "caller")
    whole = segments[i]
    segments[i] = replace(whole, text=whole.text.replace("13611112222", "1361111222"))
    return [*segments, replace(whole, revised=True)]


def played_with_revision(tmp_path, drafter):
    received = []
    service = ConsoleService(CallSetup(hotline="12320", operator_id="1187", autosave_dir=tmp_path / "autosave"),
                             ScriptedRecognizer(heard_short_then_revised()), lambda: drafter,
                             TicketDesk(f"sqlite:///{tmp_path / 'hotline.db'}"), emit=received.append)
    service.run_call(lambda: SilentSource(len(heard_short_then_revised())))
    settle(service)
    return service, received


def test_a_revised_text_replaces_its_line_in_place_and_is_drafted_and_autosaved(tmp_path, drafter):
    service, received = played_with_revision(tmp_path, drafter)
    texts = [s["text"] for s in service.call.segments]
    assert len(texts) == len(scripted_segments())  # replaced, not added
    assert texts == [s.text for s in scripted_segments()]
    assert [s["revised"] for s in service.call.segments].count(True) == 1
    assert service.call.values["phone"] == "13611112222"
    changes = [e for e in received if isinstance(e, events.SegmentsChanged)]
    assert changes[-1].revised and list(changes[-1].segments) == service.call.segments
    saved = json.loads(Autosave(tmp_path / "autosave").path(service.call.call_id).read_text(encoding="utf-8"))
    assert saved["segments"] == service.call.segments and saved["values"]["phone"] == "13611112222"


def test_a_revision_keeps_what_the_operator_typed(tmp_path, drafter):
    *heard, revision = heard_short_then_revised()
    service, _ = make_service(tmp_path, drafter)
    service.recognizer = ScriptedRecognizer(heard)
    service.run_call(lambda: SilentSource(len(heard)))
    settle(service)
    service.edit("phone", "13611112223")  # the operator asked again and typed the number
    service._committed(revision)
    settle(service)
    assert [s["text"] for s in service.call.segments] == [s.text for s in scripted_segments()]
    assert service.call.drafted["phone"] == "13611112222"
    assert service.call.values["phone"] == "13611112223" and "phone" in service.call.edited


def test_a_revision_from_the_call_before_changes_nothing(tmp_path, drafter):
    *heard, revision = heard_short_then_revised()
    service, received = make_service(tmp_path, drafter)
    service.recognizer = ScriptedRecognizer(heard)
    service.run_call(lambda: SilentSource(len(heard)))
    settle(service)
    service.new_call()
    received.clear()
    service._committed(revision)  # decoded while the operator already took the next call
    assert not service.call.segments and not received
