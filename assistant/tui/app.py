"""The console app: a Textual shell over ``ConsoleService``.

``make_app(config, ...)`` builds the service from the services it is given (the recogniser, the drafter, the
store), so tests drive the real screens with a scripted recogniser and never load Whisper. The service works on
worker threads and reports through typed events; the app posts each one to itself as a ``ServiceEvent``
message and updates widgets in its handler, on the app's own thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.message import Message

from assistant.console import events
from assistant.console.service import CallSetup, ConsoleService, DraftMaker, Recognizer, WhisperRecognizer, load_drafter
from assistant.console.tickets import TicketDesk
from assistant.review.recording import Review
from assistant.tui.screens.live import LiveCallScreen
from assistant.tui.screens.tickets import HelpScreen, TicketListScreen

if TYPE_CHECKING:
    from assistant.asr.options import AsrOptions


@dataclass
class ConsoleConfig:
    source_factory: Callable[[], object]  # () -> ReplaySource | MicSource
    units: Path
    db_url: str | None = None
    asr: AsrOptions | None = None  # the speech options (model, threads); None: the defaults
    operator_channel: str = "left"
    hotline: str = "12320"
    operator_id: str = "0000"
    autosave_dir: Path | None = None
    exit_when_done: bool = False
    clock: bool = True  # the header clock (off in snapshot tests)


class ServiceEvent(Message):
    """An event of the console service, carried to the app's thread."""

    def __init__(self, event: events.Event):
        super().__init__()
        self.event = event


class HotlineApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "热线接线助手"

    def __init__(self, config: ConsoleConfig, service: ConsoleService):
        super().__init__()
        self.config = config
        self.service = service
        service.emit = self._post_event

    @property
    def session(self):
        """The call's state (the service's): the screens read it, only the service writes it."""
        return self.service.call

    @property
    def restored(self) -> bool:
        return self.service.restored

    @property
    def call_over(self) -> bool:
        return self.service.call_over

    @property
    def submitted(self) -> list[str]:
        return self.service.submitted

    def _post_event(self, event: events.Event) -> None:
        self.post_message(ServiceEvent(event))

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.hotline} · 工号 {self.session.operator_id}"
        self.push_screen(LiveCallScreen())
        if self.restored:
            self.notify("已恢复上次未提交的工单草稿", title="自动保存")
            self.call_after_refresh(self.live.show_session)
        self.start_call()

    def on_unmount(self) -> None:
        self.service.close()

    @property
    def live(self) -> LiveCallScreen:
        return next(s for s in self.screen_stack if isinstance(s, LiveCallScreen))

    def _live_screen(self) -> LiveCallScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, LiveCallScreen)), None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="call")
    def start_call(self) -> None:
        self.service.run_call(self.config.source_factory)

    @on(ServiceEvent)
    def _service_event(self, message: ServiceEvent) -> None:
        event = message.event
        if isinstance(event, events.Submitted):
            verb = "已更新" if event.updated else "已提交"
            self.notify(f"{verb}，工单编号 {event.number}", title="提交成功", timeout=10)
            return
        if isinstance(event, events.SubmitFailed):
            self.notify(event.message, severity="error", timeout=10)
            return
        if isinstance(event, events.CallEnded):
            if self.config.exit_when_done:
                self.exit()
            return
        if isinstance(event, events.CallStarted):
            self.sub_title = f"{self.session.hotline} · 工号 {self.session.operator_id}"
        screen = self._live_screen()
        if screen is None:  # the app is closing
            return
        if isinstance(event, events.CallStarted):
            screen.transcript.clear()
            screen.form.clear()
            screen.set_status("新来电：转写和工单已清空")
        elif isinstance(event, events.StatusChanged):
            screen.set_status(event.text, event.warning)
        elif isinstance(event, events.PartialText):
            screen.transcript.show_partial(event.speaker, event.text)
        elif isinstance(event, events.SegmentsChanged):
            if not event.revised:
                screen.transcript.clear_partial(event.speaker)
            screen.transcript.set_segments(list(event.segments))
        elif isinstance(event, events.DraftChanged):
            call = self.session
            for name in event.fields:
                screen.form.set_value(name, call.values.get(name, ""), call.confidence.get(name, 0.0))

    # --- the operator's actions --------------------------------------------------------------------------
    def submit(self) -> None:
        values = {name: self.live.form.value(name) for name in self.live.form.names()}
        self._submit(values)

    @work(thread=True, exclusive=False, exit_on_error=False, group="store")
    def _submit(self, values: dict[str, str]) -> None:
        self.service.submit(values)

    def action_new_call(self) -> None:
        self.service.new_call()

    def action_show_tickets(self) -> None:
        self.push_screen(TicketListScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def make_app(config: ConsoleConfig, *, recognizer: Recognizer | None = None,
             drafter_factory: Callable[[], DraftMaker] | None = None, desk: TicketDesk | None = None) -> HotlineApp:
    """The console with its services: Whisper, the shipped drafter and the configured store unless given."""
    service = ConsoleService(
        CallSetup(hotline=config.hotline, operator_id=config.operator_id, autosave_dir=config.autosave_dir,
                  operator_channel=config.operator_channel),
        recognizer or WhisperRecognizer(config.units, config.asr),
        drafter_factory or partial(load_drafter, config.units),
        desk or TicketDesk(config.db_url),
    )
    return HotlineApp(config, service)


class ReviewApp(App):
    """``hotline review FILE``: the supervisor's review of one recorded call."""

    CSS_PATH = "app.tcss"
    TITLE = "通话质检"

    def __init__(self, recording: Path, loader: Callable[[Path], Review]):
        super().__init__()
        self.recording, self.loader = recording, loader

    def on_mount(self) -> None:
        from assistant.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def load_review(self) -> Review:
        """Runs on a worker thread (the screen's): transcription takes a while."""
        return self.loader(self.recording)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())
