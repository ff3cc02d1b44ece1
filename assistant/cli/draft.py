"""``hotline draft`` and ``hotline units``: recordings or transcripts → work-order drafts."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from assistant.cli.common import add_asr_arguments, asr_setup, resolve_units
from assistant.errors import AssistantError, AudioError, DirectoryError, ModelError
from assistant.files import os_reason


def register(sub) -> None:
    p = sub.add_parser("draft", help="从录音或转写结果生成工单草稿",
                       description="录音先转写；转写结果（hotline transcribe 的 JSON/JSONL）直接起草工单")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="录音文件、目录，或转写结果 .json/.jsonl")
    p.add_argument("--manifest",
                   help="话务系统导出的通话清单（.jsonl 或 .csv：audio、id、call_start、hotline、operator_id）")
    p.add_argument("--format", default="jsonl", choices=("jsonl", "json"), help="输出格式（默认 jsonl）")
    p.add_argument("--out", help="输出文件（默认标准输出）")
    add_asr_arguments(p)
    p.set_defaults(run=run_draft)

    u = sub.add_parser("units", help="单位目录", description="导入或查看本中心的承办单位目录（units.csv 格式）")
    usub = u.add_subparsers(dest="units_command", required=True, metavar="操作")
    imp = usub.add_parser("import", help="导入单位目录并设为默认",
                          description="检查并导入单位目录：保存为默认目录（UTF-8 CSV），同时写入数据库的承办单位表")
    imp.add_argument("file", metavar="FILE",
                     help="单位目录：CSV（UTF-8 或 GBK）或 .xlsx，列为 name,aliases,kind,district,handles")
    imp.add_argument("--db", help="同时写入的数据库（默认 HOTLINE_DB 或 SQLite 文件）")
    imp.set_defaults(run=run_units_import)
    show = usub.add_parser("list", help="列出当前默认的单位目录",
                           description="列出命令使用的单位目录：设置中的 units（HOTLINE_UNITS 或 config.toml），"
                                       "否则 hotline units import 导入的目录；每行为名称、类型、辖区和承办类别")
    show.set_defaults(run=run_units_list)


def run_units_import(args) -> int:
    """Check the file, then make it the centre's directory: the profile's units.csv (always a UTF-8 CSV, whatever
    was imported) and the Unit table change together or not at all. The shipped demo centre is not written: a
    centre importing its directory first gets a profile of its own (``hotline centre init``)."""
    import os

    from assistant.centre import active_centre, load_centre
    from assistant.centre.setup import init_centre
    from assistant.config import Settings, home_dir
    from assistant.lexicon.units import parse_units, read_unit_table, unknown_handles

    source = Path(args.file)
    if not source.exists():
        raise DirectoryError(f"要导入的单位目录 {source} 不存在", "检查文件路径；支持 UTF-8 或 GBK 编码的 CSV 和 .xlsx")
    table = read_unit_table(source)
    directory = parse_units(table)
    centre = active_centre()
    known = centre.taxonomy.labels("category")
    if known:
        for unit, category in unknown_handles(directory, known):
            print(f"警告：{source} 第 {unit.line} 行 {unit.name}：承办类别“{category}”不在问题分类中，"
                  f"按分类派单时不会派给它（已知的分类：{'、'.join(known)}）", file=sys.stderr)
    if centre.shipped:
        centre = load_centre(init_centre())
        print(f"已在 {centre.folder} 新建本中心的配置（复制自演示中心），单位目录导入到这里")
    target = centre.units_path
    configured = Settings.load().units  # wins over the imported directory (units_path), so warned about below
    engine = _units_engine(args.db)
    _replace_directory(engine, directory, table.to_csv(), target)
    from assistant.store.db import safe_url

    print(f"已导入 {len(directory)} 个单位，设为默认目录：{target}（数据库 {safe_url(str(engine.url))}）")
    if configured and configured.resolve() != target.resolve():
        setting = ("环境变量 HOTLINE_UNITS" if os.environ.get("HOTLINE_UNITS")
                   else f"配置文件 {home_dir() / 'config.toml'} 中的 units")
        print(f"警告：{setting} 指向 {configured}，只要这项设置还指向别处，命令就不会用刚导入的目录；"
              f"要用它，请去掉这项设置或改为 {target}", file=sys.stderr)
    return 0


def _units_engine(url: str | None):
    from assistant.store.db import make_engine
    from assistant.store.migrate import ensure_schema

    engine = make_engine(url)
    ensure_schema(engine, writing=True)
    return engine


def _replace_directory(engine, directory, text: str, target: Path) -> None:
    """Replace the Unit table and the file in one step: the file is swapped in inside the database transaction
    and put back if the commit then fails, so a failed import leaves both as they were."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from assistant.store.db import StorageError, driver_detail, safe_url
    from assistant.store.tickets import replace_units

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    previous = target.read_bytes() if target.exists() else None
    swapped = False
    try:
        with Session(engine) as session, session.begin():
            replace_units(session, directory)
            tmp.replace(target)
            swapped = True
    except BaseException as exc:
        if swapped:
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                tmp.write_bytes(previous)
                tmp.replace(target)
        if isinstance(exc, SQLAlchemyError):
            raise StorageError(f"写入数据库 {safe_url(str(engine.url))} 失败，单位目录没有导入（原有目录未改动）",
                               driver_detail(getattr(exc, "orig", None) or exc)) from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)


def run_units_list(args) -> int:
    from assistant.centre import active_centre
    from assistant.lexicon.units import load_units

    path = resolve_units(None, "本中心没有单位目录", "先运行 hotline units import 文件，或在 config.toml 中设置 units")
    centre = active_centre()
    if path == centre.units_path and centre.shipped:
        print(f"（这是内置演示中心的单位目录 {path}；用 hotline units import 文件 导入本中心的目录）", file=sys.stderr)
    else:
        print(f"（单位目录 {path}）", file=sys.stderr)
    directory = load_units(path)
    for unit in directory.units:
        print(f"{unit.name}\t{unit.kind}\t{unit.district}\t{'、'.join(unit.handles)}")
    return 0


def _transcripts_in(path: Path):
    from assistant.transcript.model import Transcript

    text = path.read_text(encoding="utf-8-sig")
    try:
        items = [json.loads(text)] if path.suffix.lower() == ".json" else [
            json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise AudioError(f"{path}：不是有效的转写结果 JSON（{exc.msg}）") from exc
    flat = [x for item in items for x in (item if isinstance(item, list) else [item])]
    for item in flat:
        if not isinstance(item, dict) or "segments" not in item or "id" not in item:
            raise AudioError(f"{path}：不是 hotline transcribe 的输出（缺少 id 或 segments）")
        segments = item["segments"]
        if not isinstance(segments, list) or not all(isinstance(s, dict) for s in segments):
            raise AudioError(f"{path}：{item.get('id')} 的 segments 应为段落对象的列表",
                             "每段需要 speaker（op、caller 或 spk）、start、end、text")
        try:
            transcript = Transcript.from_dict(item)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise AudioError(f"{path}：{item.get('id')} 的段落不是 hotline transcribe 的格式（{exc}）",
                             "每段需要 speaker（op、caller 或 spk）、start、end、text") from exc
        yield transcript


def run_draft(args) -> int:
    from assistant.audio.calls import CallInput, file_time, from_paths, read_manifest
    from assistant.audio.inputs import collect
    from assistant.cli.args import output_file
    from assistant.draft.model import CallContext

    options, directory = asr_setup(args, units_required=True)
    calls: list[CallInput] = read_manifest(args.manifest) if args.manifest else []
    transcript_files = [Path(p) for p in args.inputs if Path(p).suffix.lower() in (".json", ".jsonl")]
    audio_args = [p for p in args.inputs if Path(p).suffix.lower() not in (".json", ".jsonl")]
    if audio_args:
        found = collect(audio_args)
        for path, reason in found.skipped:
            print(f"跳过 {path}：{reason}", file=sys.stderr)
        calls += from_paths(list(found.files))
    if not calls and not transcript_files:
        raise AssistantError("没有输入：请给出录音、转写结果或 --manifest 清单")
    out = output_file(args.out) if args.out else sys.stdout  # a bad --out before the models are loaded
    transcriber = None
    results, failed = [], 0

    def emit(draft) -> None:
        if args.format == "jsonl":
            out.write(json.dumps(draft.to_dict(), ensure_ascii=False) + "\n")
            out.flush()
        else:
            results.append(draft.to_dict())

    drafter = None

    def draft(transcript, context):
        nonlocal drafter
        if drafter is None:  # loading the classifiers takes a second: not for input that is refused anyway
            from assistant.draft.drafter import Drafter

            drafter = Drafter(directory)
        return drafter.draft(transcript, context)

    try:
        for path in transcript_files:
            try:
                for transcript in _transcripts_in(path):
                    source = Path(transcript.source) if transcript.source else path
                    context = CallContext(call_start=file_time(source), call_start_certain=False)
                    emit(draft(transcript, context))
            except AssistantError as exc:  # its message names the file
                if isinstance(exc, ModelError):  # the centre's models, not this file: nothing else can be drafted
                    raise
                failed += 1
                print(f"失败：{exc}", file=sys.stderr)
            except OSError as exc:
                failed += 1
                print(f"失败 {path}：{os_reason(exc)}", file=sys.stderr)
        for call in calls:
            try:
                if transcriber is None:
                    from assistant.asr.pipeline import Transcriber

                    transcriber = Transcriber(options, directory)
                started = time.monotonic()
                transcript = transcriber.transcribe_file(call.path)
                transcript = replace(transcript, id=call.call_id)
                emit(draft(transcript, call.context))
                print(f"完成 {call.path.name}：用时 {time.monotonic() - started:.1f} 秒", file=sys.stderr)
            except AudioError as exc:
                failed += 1
                print(f"失败 {exc.message}", file=sys.stderr)
        if args.format == "json":
            out.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failed else 0
