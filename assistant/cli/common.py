"""What several commands share: the unit directory to use, the speech flags with the centre's defaults, and, for
the commands on the store, the wording of their shared flags, the database plumbing and the role check, so that
each of them opens, fails and masks exactly as the others do.
"""

from __future__ import annotations

import functools
from pathlib import Path

from assistant.cli.args import non_negative_int
from assistant.config import Settings
from assistant.errors import AssistantError

DB_HELP = ("数据库地址，如 sqlite:///hotline.db 或 postgresql+psycopg://用户@主机/库名"
           "（默认 HOTLINE_DB，或 HOTLINE_HOME 中的 SQLite 文件）")
ACTOR_HELP = "操作人姓名或工号（写入审计日志，默认 cli）"
FULL_HELP = "显示完整的来电人信息（需班长/质检或管理员角色，写入审计日志）"
ROLE_HELP = ("角色：operator（接线员）、unit（承办单位）、supervisor（班长/质检）、admin（管理员）；"
             "默认 HOTLINE_ROLE 或 operator")


def units_path(flag: str | None) -> Path | None:
    """The unit directory to use: ``--units``, else the configured one, else the centre's, else None."""
    from assistant.centre import active_centre

    chosen = flag or Settings.load().units
    if chosen:
        return Path(chosen)
    path = active_centre().units_path
    return path if path.exists() else None


def resolve_units(flag: str | None, message: str = "没有单位目录：起草工单需要承办单位目录",
                  hint: str = "用 --units 指定 units.csv，或先运行 hotline units import 文件") -> Path:
    """Like ``units_path``, for commands that cannot work without a directory; ``message`` and ``hint`` say
    why this command needs one and how to give it (a command without ``--units`` must not suggest it)."""
    path = units_path(flag)
    if path is None:
        raise AssistantError(message, hint)
    return path


def add_asr_arguments(p) -> None:
    p.add_argument("--model", help="语音模型：本地 CTranslate2 模型目录，或规格名（需联网）；默认内置 base")
    p.add_argument("--units", help="单位目录 CSV（格式同 units.csv），用于识别偏置和名称纠正")
    p.add_argument("--threads", type=non_negative_int, help="CPU 线程数（默认 0，自动）")
    p.add_argument("--operator-channel", choices=("left", "right"), help="立体声中接线员所在的声道（默认 left）")


def asr_setup(args, units_required: bool = False):
    """The speech options and unit directory that flags and the centre's configured defaults give; with
    ``units_required``, no directory is an error instead of None."""
    from assistant.asr.options import AsrOptions
    from assistant.lexicon.units import load_units

    settings = Settings.load()
    path = resolve_units(args.units) if units_required else units_path(args.units)
    directory = load_units(path) if path else None
    options = AsrOptions(
        model=args.model or settings.model,
        channels=getattr(args, "channels", "auto"),
        operator_channel=args.operator_channel or settings.operator_channel,
        cpu_threads=args.threads if args.threads is not None else settings.cpu_threads,
    )
    return options, directory


def storage_command(run):
    """Run a command with every database failure turned into one StorageError naming the database (``--db``, else
    the default one)."""

    @functools.wraps(run)
    def wrapped(args) -> int:
        from assistant.store.db import default_url, storage_errors

        with storage_errors(getattr(args, "db", None) or default_url()):
            return run(args)

    return wrapped


def open_engine(args, *, creates: bool = False):
    """The engine of ``--db`` at the current schema; a SQLite file must exist unless the command ``creates``
    tickets."""
    from assistant.store.db import make_engine
    from assistant.store.migrate import ensure_schema

    engine = make_engine(getattr(args, "db", None), must_exist=not creates)
    ensure_schema(engine)
    return engine


def check_role(args, session=None) -> None:
    """Refuse --full to a role that may not read callers in full; an unknown --role is refused whether or not
    --full is given. With the ``session``, the role is ``tickets.reading_role``'s (the login's on PostgreSQL);
    without, the configured one."""
    from assistant.store.roles import configured_role, require_full_access
    from assistant.store.tickets import reading_role

    flag = getattr(args, "role", None)
    role = configured_role(flag) if session is None else reading_role(session, flag)
    if getattr(args, "full", False):
        require_full_access(role)


def state_line(ticket) -> str:
    """The ticket's number and state in one line, with the unit and the deadlines that state still runs on."""
    from assistant.store import workflow

    extra = []
    if ticket.status in (workflow.DISPATCHED, workflow.IN_PROGRESS) and ticket.unit:
        extra.append(f"承办单位 {ticket.unit}")
    if ticket.status in workflow.UNDISPATCHED and ticket.dispatch_deadline:
        extra.append(f"派单时限 {ticket.dispatch_deadline.isoformat()}")
    if ticket.status in workflow.OPEN_STATES and ticket.deadline:
        extra.append(f"办理时限 {ticket.deadline.isoformat()}")
    return f"{ticket.number}：{ticket.status}" + (f"（{'，'.join(extra)}）" if extra else "")
