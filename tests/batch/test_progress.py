"""What the batch shows while it runs: counts, audio time, speed and ETA, on a pipe and on a terminal."""

import io
import re
from datetime import datetime
from pathlib import Path

from rich.console import Console

from assistant.audio.calls import CallInput
from assistant.batch.jobs import Job
from assistant.batch.progress import BarReporter, LineReporter
from assistant.batch.worker import Outcome
from assistant.draft.model import CallContext


def _job(name: str, seconds: float) -> Job:
    call = CallInput(Path(f"/archive/{name}.wav"), name, CallContext(datetime(2026, 1, 13, 10, 25)))
    return Job(call, name * 8, seconds)


def _outcome(job: Job, error: str | None = None) -> Outcome:
    return Outcome(job, None, None, error, 1.0, "host:1", 1)


def test_line_per_call_with_counts_audio_time_speed_and_eta():
    stream = io.StringIO()
    jobs = [_job("a", 3600.0), _job("b", 1800.0)]
    reporter = LineReporter(stream)
    reporter.start(jobs, already_done=4)
    reporter.advance(_outcome(jobs[0]), "12345-20260113-0001")
    reporter.advance(_outcome(jobs[1], "无法解码，文件损坏或不是音频"), None)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "待处理 2 个录音，共 1:30:00，4 个已处理过，跳过"
    assert lines[1].startswith("[1/2] 完成 a.wav → 工单 12345-20260113-0001")
    assert "音频 1:00:00/1:30:00" in lines[1] and "× 实时" in lines[1] and "剩余 " in lines[1]
    assert lines[2].startswith("[2/2] 失败 b.wav：无法解码") and "失败 1" in lines[2]


def test_bar_on_a_terminal_names_failures():
    out = io.StringIO()
    reporter = BarReporter(Console(file=out, force_terminal=True, width=160))
    jobs = [_job("a", 60.0), _job("b", 60.0)]
    reporter.start(jobs, already_done=0)
    reporter.advance(_outcome(jobs[0], "文件不存在"), None)
    reporter.advance(_outcome(jobs[1]), "12345-20260113-0002")
    reporter.stop()
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.getvalue())
    assert "批量转写" in text and "文件 2/2" in text and "失败 /archive/a.wav：文件不存在" in text
