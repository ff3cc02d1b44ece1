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
from assistant.console.tickets import LOOKUP_FIELDS, TicketDesk
from assistant.review.recording import Review
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.live import LiveCallScreen
from assistant.tui.screens.tickets import TicketListScreen

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
    role: str | None = None  # --role; None: HOTLINE_ROLE, config.toml or operator (PostgreSQL: the login's)
    receipt: str | None = None  # the receipt template; None: the centre profile's


class ServiceEvent(Message):
    """An event of the console service, carried to the app's thread."""

    def __init__(self, event: events.Event):
        super().__init__()
        self.event = event


class RoleKnown(Message):
    """The role the console acts as, read from the configuration or the database login."""

    def __init__(self, label: str, may_solve: bool):
        super().__init__()
        self.label, self.may_solve = label, may_solve


class HotlineApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "热线接线助手"
    LOOKUP_DELAY = 0.4  # seconds the phone number must stay as it is before the caller's tickets are read

    def __init__(self, config: ConsoleConfig, service: ConsoleService):
        super().__init__()
        self.config = config
        self.service = service
        service.emit = self._post_event
        self.role_label = ""
        self.may_solve = False  # 当场办结 offered only when the role may (store.workflow.may_solve_on_call)
        self.offers: tuple = ()  # open tickets the filed ticket likely repeats, until merged or the next call
        self._lookup_timer = None

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

    def _sub_title(self) -> str:
        role = f" · {self.role_label}" if self.role_label else ""
        return f"{self.session.hotline} · 工号 {self.session.operator_id}{role}"

    def on_mount(self) -> None:
        self.sub_title = self._sub_title()
        self.push_screen(LiveCallScreen())
        if self.restored:
            self.notify("已恢复上次未提交的工单草稿", title="自动保存")
            self.call_after_refresh(self.live.show_session)
        self.load_role()
        self.start_call()

    @work(thread=True, exclusive=True, exit_on_error=False, group="role")
    def load_role(self) -> None:
        try:
            role = self.service.desk.role()
            may_solve = self.service.desk.may_solve_on_call()
        except Exception as exc:  # the store is not reachable yet: the call goes on, 当场办结 is not offered
            self.call_from_thread(self.notify, f"无法确定本席位的角色：{exc}", severity="warning", timeout=10)
            return
        self.post_message(RoleKnown(role.label, may_solve))

    @on(RoleKnown)
    def _role_known(self, message: RoleKnown) -> None:
        self.role_label, self.may_solve = message.label, message.may_solve
        self.sub_title = self._sub_title()
        self.refresh_bindings()

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
            verb = "已更新" if event.updated else ("已当场办结" if event.status == "当场办结" else "已提交")
            self.notify(f"{verb}，工单编号 {event.number}", title="提交成功", timeout=10)
            self.offers = event.repeats
            self.refresh_bindings()
            if (screen := self._live_screen()) is not None and event.receipt is not None:
                screen.receipt.show(event.receipt, self.offers)
            return
        if isinstance(event, events.MergeDone):
            self.notify(f"已并单：{event.number} 并入 {event.into}", title="并单", timeout=10)
            self.offers = ()
            self.refresh_bindings()
            if (screen := self._live_screen()) is not None and event.receipt is not None:
                screen.receipt.show(event.receipt)
            self.caller_changed()  # the caller's tickets show the merge
            return
        if isinstance(event, (events.SubmitFailed, events.ActionFailed)):
            self.notify(event.message, severity="error", timeout=10)
            return
        if isinstance(event, events.CallEnded):
            if self.config.exit_when_done:
                self.exit()
            return
        if isinstance(event, events.CallStarted):
            self.sub_title = self._sub_title()
            self.offers = ()
            self.refresh_bindings()
        screen = self._live_screen()
        if screen is None:  # the app is closing
            return
        if isinstance(event, events.CallStarted):
            screen.new_call()
            screen.set_status("新来电：转写和工单已清空")
        elif isinstance(event, events.CallerKnown):
            if event.history.phone == screen.form.value("phone"):
                screen.caller.show(event.history)
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
            for name in screen.form.names():  # the draft's confidence in the values it kept
                if name not in event.fields and name not in call.edited:
                    screen.form.set_confidence(name, call.confidence.get(name, 0.0))
            if LOOKUP_FIELDS.intersection(event.fields):
                self.caller_changed()

    # --- the operator's actions --------------------------------------------------------------------------
    def submit(self) -> None:
        values = {name: self.live.form.value(name) for name in self.live.form.names()}
        self._submit(values)

    @work(thread=True, exclusive=False, exit_on_error=False, group="store")
    def _submit(self, values: dict[str, str], solved: bool = False, reply: str | None = None) -> None:
        self.service.submit(values, solved=solved, reply=reply)

    def solve_on_call(self) -> None:
        """当场办结: after the operator confirms (and says what was answered), file the ticket as solved."""
        if not self.may_solve:
            self.notify(f"角色“{self.role_label or '接线员'}”不能当场办结工单", severity="warning")
            return
        from assistant.tui.widgets.ticket.actions import SolveScreen

        def confirmed(reply: str | None) -> None:
            if reply is not None:
                values = {name: self.live.form.value(name) for name in self.live.form.names()}
                self._submit(values, solved=True, reply=reply or None)

        self.push_screen(SolveScreen(), confirmed)

    def offer_merge(self) -> None:
        """并单: the operator picks the earlier ticket this call's ticket repeats, or leaves them apart."""
        number = self.session.ticket_number
        if not self.offers or number is None:
            self.notify("没有可并单的疑似重复工单", severity="warning")
            return
        from assistant.tui.widgets.ticket.actions import MergeScreen

        def chosen(into: str | None) -> None:
            if into is not None:
                reason = next((o.reason for o in self.offers if o.number == into), "")
                self._merge(into, f"接线时确认为同一诉求（{reason}）" if reason else None)

        self.push_screen(MergeScreen(number, self.offers), chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="store")
    def _merge(self, into: str, note: str | None) -> None:
        self.service.merge(into, note)

    def caller_changed(self) -> None:
        """The phone number or the matter on the form changed: the caller's tickets (and which of them the
        matter likely repeats) are read again once the form stays as it is for a moment."""
        if self._lookup_timer is not None:
            self._lookup_timer.stop()
        screen = self._live_screen()
        if screen is not None and not screen.form.value("phone").strip():
            screen.caller.clear()
            return
        self._lookup_timer = self.set_timer(self.LOOKUP_DELAY, self._lookup_caller)

    @work(thread=True, exclusive=True, exit_on_error=False, group="caller")
    def _lookup_caller(self) -> None:
        self.service.lookup_caller()

    def action_new_call(self) -> None:
        self.service.new_call()

    def action_show_tickets(self) -> None:
        self.push_screen(TicketListScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen))


def make_app(config: ConsoleConfig, *, recognizer: Recognizer | None = None,
             drafter_factory: Callable[[], DraftMaker] | None = None, desk: TicketDesk | None = None) -> HotlineApp:
    """The console with its services: Whisper, the shipped drafter and the configured store unless given."""
    service = ConsoleService(
        CallSetup(hotline=config.hotline, operator_id=config.operator_id, autosave_dir=config.autosave_dir,
                  operator_channel=config.operator_channel, receipt=config.receipt),
        recognizer or WhisperRecognizer(config.units, config.asr),
        drafter_factory or partial(load_drafter, config.units),
        desk or TicketDesk(config.db_url, role=config.role),
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
        self.push_screen(HelpScreen(self.screen))
