"""`hotline batch` end to end with the real model: store, export, resume by content, failures, pool, Dask,
and Ctrl+C in the middle of a batch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.asr.options import AsrOptions
from assistant.batch.jobs import find_calls, plan
from assistant.batch.runner import BatchError, DaskCluster, Pool, run_batch
from assistant.batch.worker import WorkerConfig
from assistant.errors import AssistantError
from assistant.store.models import Call, Segment, Ticket
from tests.asr.test_pipeline import _cut_call
from tests.conftest import CORPUS
from tests.conftest import run_hotline as hotline
from tests.store.conftest import PG_URL, fresh

pytestmark = pytest.mark.slow  # every test here runs the real speech model

CLIPS = ("BAC009S0150W0001", "BAC009S0150W0007", "BAC009S0150W0013")


@pytest.fixture
def archive(tmp_path, dev_calls):
    """A small archive as a back office has it: a stereo call, read clips, a copy in a subfolder, a corrupt
    recording and a file that is not audio."""
    rec = tmp_path / "rec"
    (rec / "2026" / "11").mkdir(parents=True)
    call = dev_calls["a01"]
    _cut_call(call, call["turns"][1]["end"] + 0.3, rec / "2026" / "11" / "call-a01.wav")
    for name in CLIPS[:2]:
        shutil.copy(CORPUS / "aishell" / "audio" / f"{name}.flac", rec / f"{name}.flac")
    (rec / "zz-copies").mkdir()
    shutil.copy(rec / f"{CLIPS[0]}.flac", rec / "zz-copies" / "copy.flac")
    (rec / "broken.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40)
    (rec / "notes.txt").write_text("不是录音", encoding="utf-8")
    return rec


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'batch.db'}" if request.param == "sqlite" else PG_URL
    fresh(url).dispose()
    return url


def _engine(url):
    from assistant.store.db import make_engine

    return make_engine(url)


def test_batch_stores_exports_records_failures_and_resumes_by_content(archive, db_url, units_csv, tmp_path):
    out = tmp_path / "export"
    done = hotline("batch", str(archive), "--db", db_url, "--units", str(units_csv), "--workers", "1",
                   "--export", str(out))
    assert done.returncode == 1, done.stderr  # one recording failed, the others are stored
    assert "notes.txt" in done.stderr and "copy.flac" in done.stderr  # not audio; same content as another
    assert "新完成 3 个" in done.stdout and "失败 1 个" in done.stdout
    assert "broken.wav" in done.stdout.split("失败 1 个")[1]  # the summary lists the failure with its reason

    engine = _engine(db_url)
    with Session(engine) as s:
        calls = {c.external_id: c for c in s.scalars(select(Call))}
        assert set(calls) == {"call-a01", *CLIPS[:2], "broken"}
        assert calls["broken"].status == "failed" and "损坏" in calls["broken"].error
        stereo = calls["call-a01"]
        assert stereo.status == "done" and stereo.channel_layout == "op-left" and len(stereo.content_sha256) == 64
        speakers = [seg.speaker for seg in stereo.segments]
        assert speakers[:2] == ["op", "caller"]
        tickets = list(s.scalars(select(Ticket)))
        assert len(tickets) == 3 and {t.status for t in tickets} == {"草稿"}
        assert all(t.call_id is not None and t.drafted for t in tickets)
        assert all(e.actor == "batch" for t in tickets for e in t.events)
    exported = json.loads((out / "call-a01.json").read_text(encoding="utf-8"))
    assert exported["segments"] and exported["draft"]["ticket"]["category"]
    assert exported["sha256"] == stereo.content_sha256 and exported["ticket_number"].startswith("12345-")
    assert "接线员" in (out / "call-a01.txt").read_text(encoding="utf-8")
    assert "-->" in (out / "call-a01.srt").read_text(encoding="utf-8")

    # Renamed copy, glob input: nothing is redone; the broken file is tried again and fails again.
    (archive / f"{CLIPS[1]}.flac").rename(archive / "renamed.flac")
    again = hotline("batch", str(archive / "**" / "*.*"), "--db", db_url, "--units", str(units_csv),
                    "--workers", "1")
    assert again.returncode == 1, again.stderr
    assert "新完成 0 个" in again.stdout and "此前已完成 3 个" in again.stdout
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 4  # the failure updated, not duplicated
        assert s.scalar(select(func.count()).select_from(Ticket)) == 3
    engine.dispose()


def test_a_failed_recording_that_is_repaired_replaces_its_failure(tmp_path, units_csv):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    rec = tmp_path / "rec"
    rec.mkdir()
    target = rec / "clip.flac"
    target.write_bytes(b"not audio at all")
    manifest = tmp_path / "calls.jsonl"
    manifest.write_text(json.dumps({"audio": "rec/clip.flac", "id": "pbx-77", "call_start": "2026-03-05T09:30:00+08:00",
                                    "hotline": "12320", "operator_id": "1027"}) + "\n", encoding="utf-8")
    first = hotline("batch", str(manifest), "--db", url, "--units", str(units_csv), "--workers", "1")
    assert first.returncode == 1
    shutil.copy(CORPUS / "aishell" / "audio" / f"{CLIPS[2]}.flac", target)
    second = hotline("batch", str(manifest), "--db", url, "--units", str(units_csv), "--workers", "1")
    assert second.returncode == 0, second.stdout + second.stderr
    engine = _engine(url)
    with Session(engine) as s:  # the failure of that recording is gone, replaced by the stored call
        rows = s.execute(select(Call.external_id, Call.status, Call.hotline, Call.operator_id)).all()
        ticket = s.scalars(select(Ticket)).one()
    engine.dispose()
    assert rows == [("pbx-77", "done", "12320", "1027")]
    assert ticket.number.startswith("12320-") and ticket.operator_id == "1027"


def test_jobs_from_a_manifest_a_glob_and_a_missing_file(tmp_path):
    rec = tmp_path / "rec"
    rec.mkdir()
    shutil.copy(CORPUS / "aishell" / "audio" / f"{CLIPS[0]}.flac", rec / "a.flac")
    manifest = tmp_path / "m.csv"
    manifest.write_text("audio,id,call_start,hotline,operator_id\nrec/a.flac,c1,2026-01-13T10:25:00+08:00,12320,7\n"
                        "rec/gone.wav,c2,2026-01-13T11:00:00+08:00,12345,8\n", encoding="utf-8")
    calls, ignored = find_calls([str(manifest)])
    work = plan(calls)
    assert [j.call.call_id for j in work.jobs] == ["c1"] and work.jobs[0].duration > 1
    assert [(f.call.call_id, f.reason) for f in work.failed] == [("c2", "文件不存在")]
    calls, _ = find_calls([str(tmp_path / "**" / "*.flac")])
    assert [c.path.name for c in calls] == ["a.flac"]
    with pytest.raises(AssistantError, match="没有匹配"):
        find_calls([str(tmp_path / "*.mp3")])


def _config(directory):
    return WorkerConfig(AsrOptions(), directory)


def _clip_jobs(tmp_path, n):
    for name in CLIPS[:n]:
        shutil.copy(CORPUS / "aishell" / "audio" / f"{name}.flac", tmp_path / f"{name}.flac")
    calls, _ = find_calls([str(tmp_path)])
    return plan(calls)


def test_process_pool_loads_the_model_once_per_worker(tmp_path, directory):
    work = _clip_jobs(tmp_path, 3)
    engine = fresh(f"sqlite:///{tmp_path / 'b.db'}")
    seen = []
    pool = Pool(_config(directory), workers=2)
    assert pool.config.options.cpu_threads == max(1, (os.cpu_count() or 1) // 2)
    summary = run_batch(work, engine=engine, runner=pool, export=lambda outcome, ticket: seen.append(outcome))
    assert len(summary.stored) == 3 and not summary.failed
    assert {o.loads for o in seen} == {1}  # each worker loaded the model in its initializer, once
    assert len({o.worker for o in seen}) <= 2 and all(o.transcript.segments for o in seen)
    engine.dispose()


def test_dask_local_cluster_of_two_workers(tmp_path, directory):
    from distributed import LocalCluster

    work = _clip_jobs(tmp_path, 3)
    engine = fresh(f"sqlite:///{tmp_path / 'b.db'}")
    seen = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        runner = DaskCluster(_config(directory), cluster)
        summary = run_batch(work, engine=engine, runner=runner, export=lambda o, t: seen.append(o))
    assert len(summary.stored) == 3 and not summary.failed
    assert {o.loads for o in seen} == {1} and len({o.worker for o in seen}) <= 2
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Segment)) >= 3
    engine.dispose()


def test_unreachable_scheduler_is_a_clear_error(directory):
    with pytest.raises(BatchError, match="无法连接 Dask 调度器 tcp://127.0.0.1:9"):
        DaskCluster(_config(directory), "tcp://127.0.0.1:9", timeout=2)


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path, units_csv):
    rec = tmp_path / "rec"
    rec.mkdir()
    names = sorted(p.name for p in (CORPUS / "aishell" / "audio").glob("*.flac"))[:6]
    for name in names:
        shutil.copy(CORPUS / "aishell" / "audio" / name, rec / name)
    url = f"sqlite:///{tmp_path / 'b.db'}"
    args = [sys.executable, "-m", "assistant", "batch", str(rec), "--db", url, "--units", str(units_csv),
            "--workers", "2"]
    # Ctrl+C in a terminal: SIGINT with its default action, even where this test runs with SIGINT ignored
    # (a shell script's background job inherits SIG_IGN, and Python then installs no KeyboardInterrupt).
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in proc.stderr:  # one line per finished call on a pipe
        if line.startswith("[1/"):
            break
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "已中断" in stdout and "Traceback" not in stderr
    engine = _engine(url)
    with Session(engine) as s:
        stored = s.scalar(select(func.count()).select_from(Call))
        tickets = s.scalar(select(func.count()).select_from(Ticket))
    assert 1 <= stored < len(names) and tickets == stored  # whole calls only: each with its ticket
    done = hotline("batch", str(rec), "--db", url, "--units", str(units_csv), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert f"新完成 {len(names) - stored} 个" in done.stdout and f"此前已完成 {stored} 个" in done.stdout
    engine.dispose()


def test_a_worker_killed_mid_batch_is_replaced_and_the_batch_goes_on(tmp_path, directory):
    """As when the kernel's OOM killer takes a worker: the pool starts again, the calls it had are redone."""
    import multiprocessing

    work = _clip_jobs(tmp_path, 3)
    engine = fresh(f"sqlite:///{tmp_path / 'b.db'}")
    pool = Pool(_config(directory), workers=2)
    seen, killed = [], []

    def kill_a_worker_once(outcome, ticket):
        seen.append(outcome)
        if not killed:
            victim = next(p for p in multiprocessing.active_children() if p.pid != int(outcome.worker.split(":")[1]))
            killed.append(victim.pid)
            os.kill(victim.pid, signal.SIGKILL)

    summary = run_batch(work, engine=engine, runner=pool, export=kill_a_worker_once)
    assert killed and len(summary.stored) == 3 and not summary.failed
    assert sorted(o.job.path.name for o in seen) == sorted(job.path.name for job in work.jobs)
    assert any(int(o.worker.split(":")[1]) not in killed for o in seen[1:])
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 3
    engine.dispose()
