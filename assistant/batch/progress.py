"""Batch progress on stderr: a live bar on a terminal (files, audio hours, speed, ETA), one line per call
otherwise (a log file, CI), so stdout stays free for the summary."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.text import Text

from assistant.batch.jobs import Job
from assistant.batch.runner import Reporter
from assistant.batch.worker import Outcome


def clock(seconds: float) -> str:
    """H:MM:SS"""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}"


class Tally:
    """Counts and speed of the batch so far, shared by both displays."""

    def __init__(self, jobs: list[Job]) -> None:
        self.files = len(jobs)
        self.audio_total = sum(j.duration for j in jobs)
        self.done = self.failed = 0
        self.audio_done = 0.0
        self.started = time.monotonic()

    def add(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.error is not None
        self.audio_done += outcome.job.duration

    @property
    def speed(self) -> float:
        """Audio seconds per wall second so far (× real time)."""
        elapsed = time.monotonic() - self.started
        return self.audio_done / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> str:
        left = self.audio_total - self.audio_done
        return clock(left / self.speed) if self.speed > 0 else "--:--:--"

    def line(self) -> str:
        return (f"文件 {self.done}/{self.files}  音频 {clock(self.audio_done)}/{clock(self.audio_total)}  "
                f"速度 {self.speed:.1f}× 实时  剩余 {self.eta}" + (f"  失败 {self.failed}" if self.failed else ""))


class LineReporter(Reporter):
    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tally: Tally | None = None

    def start(self, jobs: list[Job], already_done: int) -> None:
        self.tally = Tally(jobs)
        skipped = f"，{already_done} 个已处理过，跳过" if already_done else ""
        print(f"待处理 {len(jobs)} 个录音，共 {clock(self.tally.audio_total)}{skipped}", file=self.stream,
              flush=True)

    def advance(self, outcome: Outcome, ticket: str | None) -> None:
        self.tally.add(outcome)
        name = outcome.job.path.name
        what = f"失败 {name}：{outcome.error}" if outcome.error else (
            f"完成 {name} → 工单 {ticket}" if ticket else f"完成 {name}（已由另一批次处理）")
        print(f"[{self.tally.done}/{self.tally.files}] {what}  ({self.tally.line()})", file=self.stream, flush=True)


class BarReporter(Reporter):
    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(TextColumn("批量转写"), BarColumn(), TextColumn("{task.fields[line]}"),
                                 console=console or Console(stderr=True), transient=False)
        self.tally: Tally | None = None
        self.task = None

    def start(self, jobs: list[Job], already_done: int) -> None:
        self.tally = Tally(jobs)
        if already_done:
            self.progress.console.print(f"{already_done} 个录音已处理过，跳过")
        self.task = self.progress.add_task("batch", total=max(self.tally.audio_total, 1e-9) if jobs else 1,
                                           line=self.tally.line())
        self.progress.start()

    def advance(self, outcome: Outcome, ticket: str | None) -> None:
        self.tally.add(outcome)
        if outcome.error:
            self.progress.console.print(Text.assemble(("失败 ", "red"), f"{outcome.job.path}：{outcome.error}"))
        self.progress.update(self.task, completed=self.tally.audio_done, line=self.tally.line())

    def stop(self) -> None:
        self.progress.stop()


def reporter_for(stream=None) -> Reporter:
    stream = stream or sys.stderr
    return BarReporter() if stream.isatty() else LineReporter(stream)
