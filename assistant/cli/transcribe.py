"""``hotline transcribe``: recordings → transcripts on stdout or in files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from assistant.cli.args import output_file
from assistant.cli.common import add_asr_arguments, asr_setup
from assistant.errors import AssistantError, AudioError
from assistant.files import os_reason
from assistant.transcript import formats


def register(sub) -> None:
    p = sub.add_parser("transcribe", help="转写通话录音", description="把通话录音转写成带说话人和时间戳的简体中文文本")
    p.add_argument("files", nargs="+", metavar="FILE", help="录音文件或目录（wav、mp3、flac、ogg、m4a）")
    p.add_argument("--channels", default="auto", choices=("auto", "mono", "op-left", "op-right"),
                   help="声道：auto（立体声时按配置区分接线员和来电人）、mono、op-left、op-right")
    p.add_argument("--format", default="jsonl", choices=formats.FORMATS, help="输出格式（默认 jsonl）")
    p.add_argument("--out", help="输出文件；多个文件且格式为 txt/srt/vtt 时为输出目录；不给则输出到标准输出")
    add_asr_arguments(p)
    p.set_defaults(run=run)


def make_transcriber(args):
    """Build the Transcriber from flags and the centre's configured defaults."""
    from assistant.asr.pipeline import Transcriber

    return Transcriber(*asr_setup(args))


class _Progress:
    """Progress of long files on stderr: a live line on a terminal, nothing on a pipe until a file ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: float, total: float) -> None:
        now = time.monotonic()
        if self.tty and now - self.last > 0.5:
            self.last = now
            pct = 100 * done / total if total else 100
            print(f"\r转写 {self.name}：{pct:5.1f}%", end="", file=sys.stderr, flush=True)

    def finish(self, audio_seconds: float, wall: float) -> None:
        if self.tty:
            print("\r", end="", file=sys.stderr)
        print(f"完成 {self.name}：音频 {audio_seconds:.1f} 秒，用时 {wall:.1f} 秒", file=sys.stderr)


def run(args) -> int:
    from assistant.audio.inputs import collect

    inputs = collect(args.files)
    for path, reason in inputs.skipped:
        print(f"跳过 {path}：{reason}", file=sys.stderr)
    if not inputs.files:
        print("错误：没有可转写的音频文件", file=sys.stderr)
        return 1
    per_file_dir = args.out and args.format in ("txt", "srt", "vtt") and len(inputs.files) > 1
    if per_file_dir:
        try:
            Path(args.out).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AssistantError(f"无法创建输出文件夹 {args.out}：{os_reason(exc)}",
                                 "检查路径和写入权限，或换一个 --out 路径") from exc
    stream = sys.stdout if not args.out or per_file_dir else output_file(args.out)  # a bad --out before the model
    failed = 0
    done = []
    try:
        transcriber = make_transcriber(args)
        for path in inputs.files:
            progress = _Progress(path.name)
            started = time.monotonic()
            try:
                transcript = transcriber.transcribe_file(path, progress=progress)
            except AudioError as exc:
                failed += 1
                print(f"失败 {exc.message}", file=sys.stderr)
                continue
            except AssistantError as exc:
                failed += 1
                print(f"失败 {path}：{exc}", file=sys.stderr)
                continue
            progress.finish(transcript.duration, time.monotonic() - started)
            if per_file_dir:
                out = Path(args.out) / f"{transcript.id}.{args.format}"
                out.write_text(formats.render([transcript], args.format), encoding="utf-8")
            elif args.format == "jsonl":
                stream.write(formats.to_jsonl_line(transcript) + "\n")
                stream.flush()
            else:
                done.append(transcript)
        if done:
            stream.write(formats.render(done, args.format))
    finally:
        if stream is not sys.stdout:
            stream.close()
    if failed:
        print(f"{failed} 个文件失败，{len(inputs.files) - failed} 个成功", file=sys.stderr)
    return 1 if failed else 0
