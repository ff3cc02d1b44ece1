"""The console app: wires the screens to the call, the models and the store.

Built by ``make_app(config)`` so tests can choose the audio source and the database. Everything slow (model
loading, decoding, drafting, database) runs in thread workers that only hand results back with
``call_from_thread``; the screens stay responsive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import App

from assistant.live.streaming import LiveSegment, LiveTranscriber
from assistant.tui.screens.live import LiveCallScreen
from assistant.tui.screens.tickets import HelpScreen, TicketListScreen
from assistant.tui.session import Autosave, CallSession, new_call_id

DEMO_CALL = Path(__file__).with_name("demo") / "demo-call.mp3"


@dataclass
class ConsoleConfig:
    source_factory: Callable[[], object]  # () -> ReplaySource | MicSource
    units: Path
    db_url: str | None = None
    model: str | None = None
    hotline: str = "12320"
    operator_id: str = "0000"
    autosave_dir: Path | None = None
    exit_when_done: bool = False
    clock: bool = True  # the header clock (off in snapshot tests)
    extra: dict = field(default_factory=dict)


class HotlineApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "热线接线助手"

    def __init__(self, config: ConsoleConfig):
        super().__init__()
        self.config = config
        self.autosaver = Autosave(config.autosave_dir)
        restored = self.autosaver.latest()
        self.restored = restored is not None
        self.session = restored or CallSession(call_id=new_call_id(), hotline=config.hotline,
                                               operator_id=config.operator_id,
                                               started_at=datetime.now().astimezone().isoformat())
        self.drafter = None
        self.submitted: list[str] = []
        self.call_over = False

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.hotline} · 工号 {self.session.operator_id}"
        self.push_screen(LiveCallScreen())
        if self.restored:
            self.notify("已恢复上次未提交的工单草稿", title="自动保存")
            self.call_after_refresh(self.live.show_session)
        self.start_call()

    @property
    def live(self) -> LiveCallScreen:
        return next(s for s in self.screen_stack if isinstance(s, LiveCallScreen))

    def status(self, text: str, warning: bool = False) -> None:
        """Show a status line; a no-op once the live screen is gone (the app is closing)."""
        if any(isinstance(s, LiveCallScreen) for s in self.screen_stack):
            self.live.set_status(text, warning)

    # --- the call: audio → streaming ASR → draft ---------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="call")
    def start_call(self) -> None:
        from assistant.asr.options import AsrOptions
        from assistant.asr.pipeline import Transcriber
        from assistant.draft.drafter import Drafter
        from assistant.lexicon.units import load_units

        self.call_from_thread(self.status, "正在加载语音模型和分类模型…")
        try:
            directory = load_units(self.config.units)
            transcriber = Transcriber(AsrOptions(model=self.config.model), directory)
            self.drafter = Drafter(directory)
            source = self.config.source_factory()
        except Exception as exc:  # shown to the operator, never a crash
            self.call_from_thread(self.status, f"无法开始：{exc}", True)
            return
        speakers = ("op", "caller") if getattr(source, "channels", 1) == 2 else ("spk",)
        live = LiveTranscriber(transcriber, speakers, self._segment_from_thread,
                               on_status=lambda msg: self.call_from_thread(self.status, msg, True))
        self.call_from_thread(self.status, "通话中…")
        try:
            for block in source.blocks():
                live.feed(block)
        except Exception as exc:
            self.call_from_thread(self.status, f"音频中断：{exc}（已录入的内容已保存）", True)
        live.flush()
        live.close()
        self.call_over = True
        self.call_from_thread(self.status, "通话结束。请核对工单后按 Ctrl+S 提交。")
        if self.config.exit_when_done:
            self.call_from_thread(self.exit)

    def _segment_from_thread(self, seg: LiveSegment) -> None:
        self.call_from_thread(self._on_segment, seg)

    def _on_segment(self, seg: LiveSegment) -> None:
        if not any(isinstance(s, LiveCallScreen) for s in self.screen_stack):
            return
        screen = self.live
        if not seg.final:
            screen.transcript.show_partial(seg.speaker, seg.text)
            return
        screen.transcript.clear_partial(seg.speaker)
        if seg.text:
            self.session.add_segment(seg)
            screen.transcript.set_segments(self.session.segments)
            self.autosave()
            self.redraft()

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def redraft(self) -> None:
        if self.drafter is None:
            return
        from assistant.draft.model import CallContext

        context = CallContext(call_start=datetime.fromisoformat(self.session.started_at), hotline=self.session.hotline,
                              operator_id=self.session.operator_id)
        draft = self.drafter.draft(self.session.transcript(), context).to_dict()
        self.call_from_thread(self._apply_draft, draft)

    def _apply_draft(self, draft: dict) -> None:
        for name in self.session.apply_draft(draft):
            self.live.form.set_value(name, self.session.values[name], self.session.confidence.get(name, 0.0))
        self.autosave()

    def autosave(self) -> None:
        self.autosaver.save(self.session)

    # --- the store ----------------------------------------------------------------------------------------
    def _engine(self):
        """The store, migrated once per app run (not on every list, detail and submit)."""
        if getattr(self, "_store_engine", None) is None:
            from assistant.store.db import make_engine
            from assistant.store.migrate import upgrade

            engine = make_engine(self.config.db_url)
            upgrade(engine)
            self._store_engine = engine
        return self._store_engine

    def submit(self) -> None:
        form = self.live.form
        for name in self.session.values:
            self.session.values[name] = form.value(name)
        self.autosave()
        self._submit()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _submit(self) -> None:
        from sqlalchemy.orm import Session

        from assistant.store.tickets import add_call, create_ticket

        session_data = self.session
        try:
            engine = self._engine()
            with Session(engine) as db, db.begin():
                call = add_call(db, session_data.transcript(), external_id=session_data.call_id,
                                started_at=datetime.fromisoformat(session_data.started_at),
                                hotline=session_data.hotline, operator_id=session_data.operator_id)
                ticket = create_ticket(db, hotline=session_data.hotline, values=dict(session_data.values),
                                       operator_id=session_data.operator_id, actor=f"接线员{session_data.operator_id}",
                                       drafted=dict(session_data.drafted), call=call,
                                       model_version="shipped")
                number = ticket.number
        except Exception as exc:
            self.call_from_thread(self.notify, f"提交失败：{exc}（草稿已保存，可重试）", severity="error", timeout=10)
            return
        self.autosaver.discard(session_data.call_id)
        self.submitted.append(number)
        self.call_from_thread(self.notify, f"已提交，工单编号 {number}", title="提交成功", timeout=10)

    def list_tickets(self, search: str | None) -> list[dict]:
        from sqlalchemy.orm import Session

        from assistant.store.tickets import Filters, list_tickets, row

        with Session(self._engine()) as db:
            return [row(t) for t in list_tickets(db, Filters(search=search), limit=200)]

    def ticket_detail(self, number: str) -> str:
        from sqlalchemy.orm import Session

        from assistant.cli.store import COLUMNS, HEADERS
        from assistant.store.tickets import get, history_lines, row

        with Session(self._engine()) as db:
            ticket = get(db, number)
            data = row(ticket)
            lines = [f"[b]{h}[/b]：{data.get(c) or ''}" for h, c in zip(HEADERS, COLUMNS, strict=True)]
            lines.append("\n[b]历史[/b]")
            lines += [f"  {line}" for line in history_lines(ticket)]
            return "\n".join(lines)

    def action_show_tickets(self) -> None:
        self.push_screen(TicketListScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def make_app(config: ConsoleConfig) -> HotlineApp:
    return HotlineApp(config)


class ReviewApp(App):
    """``hotline review FILE``: the supervisor's review of one recorded call."""

    CSS_PATH = "app.tcss"
    TITLE = "通话质检"

    def __init__(self, recording: Path, units: Path, model: str | None = None):
        super().__init__()
        self.recording, self.units, self.model = recording, units, model

    def on_mount(self) -> None:
        from assistant.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def review_data(self) -> dict:
        from assistant.asr.options import AsrOptions
        from assistant.asr.pipeline import Transcriber
        from assistant.draft.calls import file_time
        from assistant.draft.drafter import Drafter
        from assistant.draft.model import CallContext
        from assistant.draft.qa import run_checks
        from assistant.draft.text import turns_of
        from assistant.lexicon.units import load_units

        directory = load_units(self.units)
        transcript = Transcriber(AsrOptions(model=self.model), directory).transcribe_file(self.recording)
        draft = Drafter(directory).draft(transcript, CallContext(call_start=file_time(self.recording),
                                                                 call_start_certain=False))
        checks = [vars(c) | {"overridden": False} for c in run_checks(turns_of(transcript))]
        segments = [{"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text}
                    for s in transcript.segments]
        return {"id": transcript.id, "source": str(self.recording), "segments": segments,
                "draft": draft.to_dict(), "checks": checks}

    def action_help(self) -> None:
        self.push_screen(HelpScreen())
