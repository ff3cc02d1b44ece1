"""What runs in a worker (in-process, a pool process or a Dask worker): recording → transcript → draft.

The speech model and the classifiers are loaded once per worker process and kept for every later call; a
worker never touches the database (the batch's single writer does, see ``runner.py``).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, replace

from assistant.asr.options import AsrOptions
from assistant.batch.jobs import Job
from assistant.draft.model import TicketDraft
from assistant.errors import AssistantError
from assistant.lexicon.units import UnitDirectory
from assistant.transcript.model import Transcript


@dataclass(frozen=True)
class WorkerConfig:
    options: AsrOptions
    directory: UnitDirectory
    models_folder: str | None = None  # classifiers; None: the shipped ones


@dataclass(frozen=True)
class Outcome:
    job: Job
    transcript: Transcript | None
    draft: TicketDraft | None
    error: str | None
    seconds: float  # wall time in the worker
    worker: str  # host:pid, to see where each call ran
    loads: int  # how many times this worker process has loaded the model so far


_lock = threading.Lock()
_loaded: dict = {"config": None, "tools": None, "loads": 0}


def _tools(config: WorkerConfig):
    """The (Transcriber, Drafter) of this process, loaded on first use and reused for the same config."""
    from assistant.asr.pipeline import Transcriber
    from assistant.draft.drafter import Drafter

    with _lock:
        if _loaded["config"] != config:
            _loaded["tools"] = (Transcriber(config.options, config.directory),
                                Drafter(config.directory, config.models_folder))
            _loaded["config"] = config
            _loaded["loads"] += 1
        return _loaded["tools"]


def init_pool_worker(config: WorkerConfig) -> None:
    """Pool initializer: Ctrl+C is the parent's to handle; load the model before the first call arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _tools(config)
    except Exception:  # noqa: S110 - a model that cannot load is raised again, and reported, by the first call
        pass


def process(job: Job, config: WorkerConfig) -> Outcome:
    """Transcribe and draft one call. A failure of the call becomes the outcome's error; a model or
    classifier that cannot be loaded is raised, since it stops the whole batch."""
    started = time.monotonic()
    transcript = draft = error = None
    transcriber, drafter = _tools(config)
    try:
        transcript = replace(transcriber.transcribe_file(job.path), id=job.call.call_id)
        draft = drafter.draft(transcript, job.call.context)
    except AssistantError as exc:  # the reason without the file name, which the batch shows beside it
        error = exc.message.removeprefix(f"{job.path}：").removeprefix(f"{job.path.name}：")
    except MemoryError:
        error = "内存不足，无法处理该录音"
    except Exception as exc:  # one bad call must not stop the batch: record what happened and go on
        error = f"处理出错（{type(exc).__name__}: {exc}）"
    return Outcome(job, transcript, draft, error, time.monotonic() - started,
                   f"{socket.gethostname()}:{os.getpid()}", _loaded["loads"])


def process_on_dask(job: Job, config: WorkerConfig) -> Outcome:
    """Dask task. Without ``--threads``, each task gets the thread count Dask's nanny gives its workers
    (``OMP_NUM_THREADS``, 1 by default: parallelism comes from tasks), else the cores shared among the
    worker's task threads."""
    if config.options.cpu_threads == 0:
        threads = int(os.environ.get("OMP_NUM_THREADS") or 0)
        if threads <= 0:
            from distributed import get_worker

            threads = max(1, (os.cpu_count() or 1) // max(1, get_worker().state.nthreads))
        config = replace(config, options=replace(config.options, cpu_threads=threads))
    return process(job, config)
