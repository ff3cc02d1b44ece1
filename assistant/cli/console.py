"""``hotline console``: the operator's live console (Textual)."""

from __future__ import annotations

from pathlib import Path

from assistant.cli.args import positive_float


def register(sub) -> None:
    p = sub.add_parser("console", help="接线台（实时转写并自动填写工单）",
                       description="实时转写通话并自动填写工单；默认使用麦克风，--replay 播放录音")
    p.add_argument("--replay", help="播放录音代替麦克风（演示、培训、测试）；demo 为内置演示通话")
    p.add_argument("--speed", type=positive_float, default=1.0, help="播放速度倍数（默认 1.0，实时；须大于 0）")
    p.add_argument("--device", help="录音设备编号或名称")
    p.add_argument("--list-devices", action="store_true", help="列出录音设备后退出")
    p.add_argument("--db", help="数据库地址（默认 HOTLINE_DB 或 SQLite 文件）")
    p.add_argument("--units", help="单位目录 CSV（默认已导入的目录）")
    p.add_argument("--model", help="语音模型目录或规格名（默认内置 base）")
    p.add_argument("--hotline", help="热线号码（默认为中心配置中的第一条热线）")
    p.add_argument("--operator", help="接线员工号（默认全为 0，位数同中心配置的工号）")
    p.add_argument("--role", help=("本席位的角色：operator（接线员）、supervisor（班长/质检）等，决定能否当场办结、"
                                   "来电人信息是否打码；默认 HOTLINE_ROLE、config.toml 的 role 或 operator"
                                   "（PostgreSQL 上由数据库登录决定）"))
    p.add_argument("--operator-channel", choices=("left", "right"),
                   help="立体声中接线员所在的声道（默认 left，或 config.toml 的 operator_channel）")
    p.set_defaults(run=run)

    r = sub.add_parser("review", help="班长质检：回放通话、核对工单、质检清单",
                       description=("质检一通电话：录音文件（先转写），或库中已有的通话（工单编号或通话编号，不再转写）；"
                                    "显示带时间的转写、字段及依据、自动判定的质检清单，Ctrl+S 保存质检结果"))
    r.add_argument("file", metavar="录音或工单", help="录音文件，或工单编号（如 12320-20261203-0042）、通话编号")
    r.add_argument("--units", help="单位目录 CSV（默认已导入的目录）")
    r.add_argument("--model", help="语音模型目录或规格名（默认内置 base）")
    r.add_argument("--operator-channel", choices=("left", "right"),
                   help="立体声中接线员所在的声道（默认 left，或 config.toml 的 operator_channel）")
    r.add_argument("--db", help=("数据库地址：在其中找通话和由此登记的工单，保存质检结果和对工单的更正"
                                 "（默认 HOTLINE_DB 或 SQLite 文件）"))
    r.add_argument("--actor", default="质检", help="质检员姓名或工号（写入质检结果、工单历史和更正记录，默认 质检）")
    r.set_defaults(run=run_review)


def _speech_options(args):
    """The speech model and threads from the flags and the centre's configured defaults."""
    from assistant.asr.options import AsrOptions
    from assistant.config import Settings

    settings = Settings.load()
    return AsrOptions(model=args.model or settings.model, cpu_threads=settings.cpu_threads), settings


def run(args) -> int:
    from assistant.cli.common import resolve_units
    from assistant.errors import AssistantError
    from assistant.live.source import MicSource, ReplaySource, list_devices
    from assistant.store.values import hotline_problem, value_problem

    if args.list_devices:
        print(list_devices())
        return 0
    from assistant.centre import active_centre

    script = active_centre().script
    args.hotline = args.hotline or script.hotlines[0].number
    args.operator = args.operator or "0" * script.staff_number_digits
    # Checked before the screen opens: a value the store cannot hold would only fail at the end of the call.
    problem = hotline_problem(args.hotline) or value_problem("operator_id", args.operator)
    if problem:
        raise AssistantError(problem, "用 --hotline 和 --operator 指定本席位的热线号码和工号")
    from assistant.store.roles import configured_role

    configured_role(args.role)  # an unknown role (flag, HOTLINE_ROLE or config.toml) is named before the screen
    if args.replay == "demo":  # the demo call is a call to the demo centre, unless a directory is given
        from assistant.demo import DEMO_CALL, DEMO_UNITS

        path = DEMO_CALL
        units = resolve_units(args.units) if args.units else DEMO_UNITS
    else:
        units = resolve_units(args.units)
        path = Path(args.replay) if args.replay else None
    from assistant.lexicon.units import load_units

    load_units(units)  # a missing or broken directory is named before the screen opens
    if path is not None:
        ReplaySource(path)  # fail here, with the file named, rather than inside the app

        def factory():
            return ReplaySource(path, speed=args.speed)
    else:
        device = int(args.device) if args.device and args.device.isdigit() else args.device
        MicSource(device)  # a missing PortAudio or device is reported before the screen opens

        def factory():
            return MicSource(device)

    from assistant.tui.app import ConsoleConfig, make_app

    options, settings = _speech_options(args)
    app = make_app(ConsoleConfig(source_factory=factory, units=units, db_url=args.db, asr=options,
                                 operator_channel=args.operator_channel or settings.operator_channel,
                                 hotline=args.hotline, operator_id=args.operator, role=args.role))
    app.run()
    for number in app.submitted:
        print(f"已提交工单 {number}")
    return 0


def run_review(args) -> int:
    from dataclasses import replace
    from functools import partial

    from assistant.audio.load import AUDIO_SUFFIXES
    from assistant.cli.common import resolve_units
    from assistant.lexicon.units import load_units
    from assistant.store.values import check_actor
    from assistant.tui.app import ReviewApp

    check_actor(args.actor)  # the name must fit the audit log before anything is transcribed or read
    directory = load_units(resolve_units(args.units))
    path = Path(args.file)
    if path.exists() or path.suffix.lower() in AUDIO_SUFFIXES:  # a recording, transcribed in the screen
        from assistant.audio.load import load_audio
        from assistant.review.recording import review_recording

        load_audio(args.file)  # a bad or missing recording is named before the screen opens
        options, settings = _speech_options(args)
        options = replace(options, operator_channel=args.operator_channel or settings.operator_channel)
        loader = partial(review_recording, options=options, directory=directory, db_url=args.db, actor=args.actor)
    else:  # a ticket number or call id: the stored call, read before the screen opens (a wrong one is named)
        from assistant.review.stored import review_stored

        review = review_stored(args.file, directory=directory, db_url=args.db, actor=args.actor)

        def loader(_ref):
            return review
    ReviewApp(path, loader).run()
    return 0
