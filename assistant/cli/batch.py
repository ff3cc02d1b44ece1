"""``hotline batch``: an archive of recordings → transcripts and drafted tickets in the store."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import replace

from assistant.cli.args import non_negative_int, positive_int
from assistant.errors import AssistantError

# A pool of one worker per core, each decoding in batches of 8, is the fastest way through an archive on a
# small machine (docs/decisions/0012-batch-pool-batched.md).
DEFAULT_BATCH_SIZE = 8


def register(sub) -> None:
    p = sub.add_parser(
        "batch", help="批量转写录音并生成工单草稿",
        description="批量处理录音档案：转写、起草工单并写入数据库。按内容识别已处理的录音，中断后再次运行即可继续。")
    p.add_argument("sources", nargs="+", metavar="PATH",
                   help="录音文件、目录（递归查找）、通配符（如 '录音/**/*.wav'）或话务系统导出的通话清单 .jsonl/.csv")
    p.add_argument("--db", help="数据库地址（默认 HOTLINE_DB 或 SQLite 文件）")
    p.add_argument("--workers", type=positive_int, default=None,
                   help="本机并行的工作进程数（默认为 CPU 核数；1 表示在本进程内逐个处理）")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="Dask 调度器地址：交给集群中的各台机器处理（各节点需能以相同路径读取录音）")
    p.add_argument("--scheduler-timeout", type=float, default=15, metavar="秒",
                   help="连接 Dask 调度器最多等待的秒数（默认 15）")
    p.add_argument("--export", metavar="DIR", help="另外把每个通话导出为文件（转写和工单草稿）")
    p.add_argument("--export-formats", default="json,txt,srt", help="导出格式，逗号分隔：json、txt、srt（默认全部）")
    p.add_argument("--channels", default="auto", choices=("auto", "mono", "op-left", "op-right"),
                   help="声道：auto（立体声时按配置区分接线员和来电人）、mono、op-left、op-right")
    p.add_argument("--batch-size", type=non_negative_int, default=DEFAULT_BATCH_SIZE,
                   help=f"faster-whisper 批量推理每批的语音片段数（默认 {DEFAULT_BATCH_SIZE}，实测最快；0 为逐段解码）")
    p.add_argument("--actor", default="batch", help="写入工单历史的操作人（默认 batch）")
    from assistant.cli.common import add_asr_arguments

    add_asr_arguments(p)
    p.set_defaults(run=run)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run(args) -> int:
    from assistant.asr.model import resolve_model
    from assistant.batch.progress import reporter_for
    from assistant.batch.runner import DaskCluster, InProcess, Pool, run_batch
    from assistant.batch.worker import WorkerConfig
    from assistant.centre import active_centre
    from assistant.cli.common import asr_setup
    from assistant.draft.labels import models_version

    if args.scheduler_timeout <= 0:
        raise AssistantError(f"--scheduler-timeout 应大于 0 秒，而不是 {args.scheduler_timeout:g}")
    options, directory = asr_setup(args, units_required=True)
    options = replace(options, batch_size=args.batch_size)
    config = WorkerConfig(options, directory)
    if args.scheduler:  # an unreachable cluster is said before the archive is read and hashed
        runner = DaskCluster(config, args.scheduler, timeout=args.scheduler_timeout)
    else:
        resolve_model(options.model)  # a bad --model is one clear error, not one per recording
        workers = args.workers or os.cpu_count() or 1
        runner = InProcess(config) if workers == 1 else Pool(config, workers)
    try:
        work, engine, exporter = _prepare(args)
    except BaseException:
        runner.close()
        raise
    signal.signal(signal.SIGTERM, _raise_interrupt)
    summary = run_batch(work, engine=engine, runner=runner, reporter=reporter_for(), export=exporter,
                        actor=args.actor, model_version=models_version(active_centre().models_dir))
    _print_summary(summary, runner.name)
    if summary.interrupted:
        return 130
    return 1 if summary.failed else 0


def _prepare(args):
    """The work to do (calls found, duplicates and stored ones said), the store and the exporter: masked unless
    the role may read callers in full (``tickets.reading_role``: the login's on PostgreSQL, else configured)."""
    from sqlalchemy.orm import Session

    from assistant.batch.export import Exporter
    from assistant.batch.jobs import find_calls, plan
    from assistant.store.db import make_engine
    from assistant.store.migrate import ensure_schema
    from assistant.store.tickets import reading_role

    engine = make_engine(args.db)
    ensure_schema(engine, writing=True)
    exporter = None
    if args.export:
        with Session(engine) as session:
            role = reading_role(session)
        exporter = Exporter(args.export, tuple(k.strip() for k in args.export_formats.split(",") if k.strip()),
                            role=role)
    calls, ignored = find_calls(args.sources)
    for path, reason in ignored:
        print(f"跳过 {path}：{reason}", file=sys.stderr)
    work = plan(calls)
    for copy, original in work.duplicates:
        print(f"跳过 {copy}：与 {original} 内容相同", file=sys.stderr)
    if not work.jobs and not work.failed:
        raise AssistantError("没有找到可处理的录音", "给出录音文件、目录、通配符或通话清单")
    return work, engine, exporter


def _print_summary(summary, mode: str) -> None:
    from assistant.batch.progress import clock

    speed = summary.audio_seconds / summary.wall_seconds if summary.wall_seconds > 0 else 0.0
    head = "已中断" if summary.interrupted else "批量处理结束"
    print(f"{head}（{mode}）：新完成 {len(summary.stored)} 个，音频 {clock(summary.audio_seconds)}，"
          f"用时 {summary.wall_seconds:.0f} 秒（{speed:.1f}× 实时）；此前已完成 {summary.already_done} 个；"
          f"内容重复 {len(summary.duplicates)} 个；失败 {len(summary.failed)} 个")
    for path, reason in summary.failed:
        print(f"  失败 {path}：{reason}")
    if summary.interrupted:
        print("已完成的通话都已保存；再次运行同一命令会跳过它们，从中断处继续。")
