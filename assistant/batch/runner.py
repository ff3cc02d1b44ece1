"""Run a batch: hand the calls to workers (this process, a process pool or a Dask cluster) and write each
outcome to the store as it arrives, one transaction per call, from this process only.

Interrupting (Ctrl+C, SIGTERM) stops the workers at once; every call already written stays written, and the
next run of the same command skips them by content hash. A call that was running when the batch stopped is
simply done again next time.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.batch.jobs import Job, Plan
from assistant.batch.worker import Outcome, WorkerConfig, init_pool_worker, process, process_on_dask
from assistant.errors import AssistantError
from assistant.store.calls import done_hashes, store_call, store_failure
from assistant.store.repeats import flag

log = logging.getLogger("assistant.batch")
LOST_WORKER = "处理该录音时工作进程意外退出（录音可能损坏，或内存不足）"


class BatchError(AssistantError):
    """The batch as a whole cannot go on (workers lost, scheduler unreachable)."""


class InProcess:
    """One call after another in this process: the model loaded once, all cores for each call."""

    name = "sequential"

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config

    def outcomes(self, jobs: list[Job]) -> Iterator[Outcome]:
        for job in jobs:
            yield process(job, self.config)

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass


class Pool:
    """A pool of worker processes on this machine, each loading the model once and sharing the cores."""

    name = "pool"

    def __init__(self, config: WorkerConfig, workers: int) -> None:
        if config.options.cpu_threads == 0:
            threads = max(1, (os.cpu_count() or 1) // workers)
            config = replace(config, options=replace(config.options, cpu_threads=threads))
        self.config = config
        self.workers = workers
        self.executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: CTranslate2 and ONNX Runtime keep thread pools that a forked child must not inherit.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_pool_worker, initargs=(self.config,))

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new_executor()

    def outcomes(self, jobs: list[Job]) -> Iterator[Outcome]:
        """Every job's outcome, in the order they finish. A worker that dies (the kernel's OOM killer, a crash in
        native code on one recording) breaks the pool: the pool is started again, the calls that were in the
        workers' hands are each run alone (one that kills its worker again is recorded as failed), and the
        rest of the batch goes on."""
        queue = list(jobs)
        while queue:
            pending = {self.executor.submit(process, job, self.config): job for job in queue}  # in order
            try:
                for future in as_completed(list(pending)):
                    outcome = future.result()
                    del pending[future]
                    yield outcome
                return
            except BrokenProcessPool:
                pass
            unfinished = []
            for future, job in pending.items():
                error = future.exception() if future.done() and not future.cancelled() else BrokenProcessPool()
                if error is None:  # finished before the pool broke, not yet handed out
                    yield future.result()
                elif isinstance(error, BrokenProcessPool):
                    unfinished.append(job)
                else:
                    raise error
            # The executor hands calls to its workers in order, at most one more than it has workers.
            suspects, queue = unfinished[: self.workers + 1], unfinished[self.workers + 1 :]
            log.warning("工作进程意外退出，重启进程池；%d 个通话单独重试，其余 %d 个继续", len(suspects), len(queue))
            self._restart()
            lost = 0
            for job in suspects:
                outcome = self._alone(job)
                lost += outcome is None
                yield outcome or Outcome(job, None, None, LOST_WORKER, 0.0, "", 0)
            if lost == len(suspects) > 1:  # every call kills its worker: memory, not a recording
                raise BatchError("工作进程反复意外退出（可能是内存不足）",
                                 "已完成的通话都已保存；减少 --workers 后重新运行同一命令即可继续")

    def _alone(self, job: Job) -> Outcome | None:
        """``job`` run with nothing else in the pool; None when its worker died on it (the pool is restarted)."""
        try:
            return self.executor.submit(process, job, self.config).result()
        except BrokenProcessPool:
            self._restart()
            return None

    def abort(self) -> None:
        processes = list((self.executor._processes or {}).values())  # no public way before Python 3.14
        self.executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.join(timeout=5)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """Workers of a Dask distributed cluster (``--scheduler tcp://host:8786``, or a LocalCluster in tests).

    Every worker must see the recordings at the same paths (a shared archive) and have this package
    installed; each worker process loads the model once, on its first call.
    """

    name = "dask"

    def __init__(self, config: WorkerConfig, scheduler, timeout: float = 15) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise BatchError("没有安装 Dask（distributed）", "pip install distributed") from exc
        self.config = config
        self.futures: list = []
        try:
            self.client = Client(scheduler, timeout=timeout)
        except ValueError as exc:  # distributed's own words on a malformed address, as detail
            raise BatchError(f"Dask 调度器地址 {scheduler} 无效（distributed：{exc}）",
                             "地址应为 tcp://主机:端口，例如 tcp://192.168.1.20:8786") from exc
        except (OSError, TimeoutError) as exc:
            raise BatchError(f"无法连接 Dask 调度器 {scheduler}：{timeout:g} 秒内没有连上（distributed：{exc}）",
                             "确认调度器已启动（dask scheduler）且地址、端口正确") from exc

    def outcomes(self, jobs: list[Job]) -> Iterator[Outcome]:
        from distributed import as_completed as dask_completed

        if not jobs:
            return
        if not self.client.scheduler_info().get("workers"):
            raise BatchError("Dask 集群没有可用的工作节点", "在各台机器上启动 dask worker 调度器地址")
        config = self.client.scatter(self.config, broadcast=True)
        self.futures = self.client.map(process_on_dask, jobs, config=config, pure=False)
        for future in dask_completed(self.futures):
            yield future.result()

    def abort(self) -> None:
        if self.futures:
            self.client.cancel(self.futures)
        self.client.close()

    def close(self) -> None:
        self.client.close()


@dataclass
class Summary:
    stored: list[tuple[Job, str]] = field(default_factory=list)  # (job, ticket number)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    already_done: int = 0
    duplicates: list[tuple[Path, Path]] = field(default_factory=list)
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    interrupted: bool = False


class Reporter:
    """What the batch tells the user as it goes (see ``progress.py``); the base class says nothing."""

    def start(self, jobs: list[Job], already_done: int) -> None: ...

    def advance(self, outcome: Outcome, ticket: str | None) -> None: ...

    def stop(self) -> None: ...


def run_batch(plan: Plan, *, engine: Engine, runner, reporter: Reporter | None = None,
              export: Callable[[Outcome, str], None] | None = None, actor: str = "batch",
              model_version: str | None = None) -> Summary:
    reporter = reporter or Reporter()
    summary = Summary(duplicates=list(plan.duplicates))
    started = time.monotonic()
    with Session(engine) as session:
        done = done_hashes(session, (job.sha256 for job in plan.jobs))
    todo = [job for job in plan.jobs if job.sha256 not in done]
    summary.already_done = len(plan.jobs) - len(todo)
    for bad in plan.failed:
        _fail(engine, bad.call, None, bad.reason, 0.0)
        summary.failed.append((bad.call.path, bad.reason))
    reporter.start(todo, summary.already_done)
    try:
        for outcome in runner.outcomes(todo):
            ticket = _write(engine, outcome, actor, model_version, summary)
            if ticket is not None and export is not None:
                export(outcome, ticket)
            reporter.advance(outcome, ticket)
    except KeyboardInterrupt:
        runner.abort()
        summary.interrupted = True
    except BaseException:
        runner.abort()
        raise
    else:
        runner.close()
    finally:
        reporter.stop()
        summary.wall_seconds = time.monotonic() - started
    return summary


def _write(engine: Engine, outcome: Outcome, actor: str, model_version: str | None, summary: Summary) -> str | None:
    job = outcome.job
    if outcome.error is not None:
        _fail(engine, job.call, job.sha256, outcome.error, job.duration)
        summary.failed.append((job.path, outcome.error))
        return None
    try:
        with Session(engine) as session, session.begin():
            number = store_call(session, outcome.transcript, outcome.draft, sha256=job.sha256, actor=actor,
                                model_version=model_version)
            flag(session, number, actor=actor)  # a likely repeat of an open ticket is marked for review
    except IntegrityError:  # another batch stored the same recording meanwhile: it is done
        summary.already_done += 1
        return None
    summary.stored.append((job, number))
    summary.audio_seconds += outcome.transcript.duration
    return number


def _fail(engine: Engine, call, sha256: str | None, reason: str, duration: float) -> None:
    with Session(engine) as session, session.begin():
        store_failure(session, external_id=call.call_id, path=str(call.path), sha256=sha256,
                      started_at=call.context.call_start, reason=reason, duration=duration,
                      hotline=call.context.hotline, operator_id=call.context.operator_id)
