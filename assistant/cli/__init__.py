"""The ``hotline`` command: thin shells over the package's functions."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from assistant import __version__
from assistant.cli.args import ArgumentParser, iso_date
from assistant.errors import AssistantError

__all__ = ["build_parser", "iso_date", "main"]


def build_parser() -> argparse.ArgumentParser:
    from assistant.cli import batch, centre, console, draft, learn, models, report, reviews, store, train, transcribe

    parser = ArgumentParser(prog="hotline", description="12320 / 12345 热线接线助手（离线）")
    parser.add_argument("--version", action="version", version=f"hotline {__version__}", help="显示版本号并退出")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    parser.add_argument("--centre", help="中心配置目录（默认：HOTLINE_CENTRE、config.toml 的 centre、"
                                         "hotline centre init 建的目录，都没有时用内置的演示中心）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令",
                                help="运行 hotline 命令 -h 查看该命令的用法")
    transcribe.register(sub)
    draft.register(sub)
    batch.register(sub)
    train.register(sub)
    store.register(sub)
    console.register(sub)
    centre.register(sub)
    models.register(sub)
    learn.register(sub)
    report.register(sub)
    reviews.register(sub)
    return parser


class _OwnWarnings(logging.Formatter):
    """The product's own warnings are already sentences for the user (``警告：…``); a library's keep its name."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name.startswith("assistant") and record.levelno == logging.WARNING:
            return f"警告：{record.getMessage()}"
        return f"{record.levelname} {record.name}: {record.getMessage()}"


def _setup_logging(verbose: bool) -> None:
    if verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
        return
    handler = logging.StreamHandler()
    handler.setFormatter(_OwnWarnings())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    if args.centre:  # for every part of the program, and for the worker processes a batch starts
        os.environ["HOTLINE_CENTRE"] = args.centre
    try:
        return int(args.run(args) or 0)
    except AssistantError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"提示：{exc.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `hotline … | head`: the reader has gone, nothing more to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
