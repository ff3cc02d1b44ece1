"""The operator's call, without a screen: audio → streaming ASR → drafts → autosave → the filed ticket.

``ConsoleService`` owns the call's state and does the work; a shell (the Textual console, a test, a script)
calls its methods and receives typed events (``assistant.console.events``). The slow parts come in as
services so that a shell or a test can choose them: the recogniser (Whisper, or a scripted fake), the drafter
and the store. Work runs on the caller's thread (``run_call``, ``submit``) except drafting, which runs on one
drafting thread of its own and always drafts the newest transcript: a burst of commits costs one draft, not
one each.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from assistant.console import events
from assistant.console.receipt import Receipt, receipt
from assistant.console.session import Autosave, CallSession, new_call_id
from assistant.console.tickets import TicketDesk
from assistant.errors import AssistantError
from assistant.live.streaming import LiveSegment
from assistant.transcript.model import Speaker

if TYPE_CHECKING:
    from assistant.asr.options import AsrOptions

log = logging.getLogger("assistant.console")


class AudioSource(Protocol):
    channels: int

    def blocks(self) -> Iterator[np.ndarray]: ...


class Stream(Protocol):
    def feed(self, block: np.ndarray) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class Recognizer(Protocol):
    """Opens one streaming transcription per call; segments and status lines come back through callbacks."""

    def open(self, speakers: tuple[str, ...], on_segment: Callable[[LiveSegment], None],
             on_status: Callable[[str], None]) -> Stream: ...


class DraftMaker(Protocol):
    def draft(self, transcript, context): ...


class WhisperRecognizer:
    """The real recogniser: the file pipeline's Whisper model behind the live endpointer."""

    def __init__(self, units: Path, options: AsrOptions | None = None):
        self.units, self.options = units, options

    def open(self, speakers, on_segment, on_status) -> Stream:
        from assistant.asr.options import AsrOptions
        from assistant.asr.pipeline import Transcriber
        from assistant.lexicon.units import load_units
        from assistant.live.streaming import LiveTranscriber, StreamOptions, replicas

        transcriber = Transcriber(self.options or AsrOptions(), load_units(self.units),
                                  replicas=replicas(StreamOptions()))
        return LiveTranscriber(transcriber, speakers, on_segment, on_status=on_status)


def load_drafter(units: Path) -> DraftMaker:
    from assistant.draft.drafter import Drafter
    from assistant.lexicon.units import load_units

    return Drafter(load_units(units))


@dataclass(frozen=True)
class CallSetup:
    hotline: str = "12320"
    operator_id: str = "0000"
    autosave_dir: Path | None = None
    operator_channel: str = "left"  # the side of a stereo source the operator is on
    receipt: str | None = None  # the receipt sentence's template; None: the centre profile's script.receipt


class ConsoleService:
    """One operator's console: the current call, its draft, its autosave and its ticket."""

    def __init__(self, setup: CallSetup, recognizer: Recognizer, drafter_factory: Callable[[], DraftMaker],
                 desk: TicketDesk, emit: Callable[[events.Event], None] = lambda _e: None):
        self.setup = setup
        self.recognizer = recognizer
        self.drafter_factory = drafter_factory
        self.desk = desk
        self.emit = emit
        self.autosaver = Autosave(setup.autosave_dir)
        restored = self.autosaver.latest()
        self.restored = restored is not None
        self.call = restored or self._fresh_call()
        # Seconds added to the source's times: a restored call goes on after what it already holds, and a new call
        # on the same source (the next caller on the line) starts at 0 again.
        self._shift = max((s["end"] for s in self.call.segments), default=-1.0) + 1.0 if restored else 0.0
        self._heard_until = 0.0  # the source's time of the last commit, unshifted
        self._autosave_failed = False
        self.call_over = False
        self.submitted: list[str] = []
        self._lock = threading.RLock()  # the call's state: commits, drafts and edits come from different threads
        self._submit_lock = threading.Lock()
        self._drafter: DraftMaker | None = None
        self._draft_wanted = threading.Event()
        self._draft_idle = threading.Event()
        self._draft_idle.set()
        self._draft_state = threading.Lock()
        self._drafting: threading.Thread | None = None
        self._closed = False

    def _fresh_call(self) -> CallSession:
        return CallSession(call_id=new_call_id(), hotline=self.setup.hotline, operator_id=self.setup.operator_id,
                           started_at=datetime.now().astimezone().isoformat())

    def _speakers(self, channels: int) -> tuple[Speaker, ...]:
        if channels != 2:
            return (Speaker.UNKNOWN,)
        pair = (Speaker.OPERATOR, Speaker.CALLER)
        return pair if self.setup.operator_channel == "left" else pair[::-1]

    # --- the call --------------------------------------------------------------------------------------
    def run_call(self, source_factory: Callable[[], AudioSource]) -> None:
        """Load the models, play the source through the recogniser until it ends. Blocks: run it on a thread."""
        self.emit(events.StatusChanged("正在加载语音模型和分类模型…"))
        try:
            self._drafter = self.drafter_factory()
            source = source_factory()
            stream = self.recognizer.open(self._speakers(getattr(source, "channels", 1)), self._committed,
                                          lambda text: self.emit(events.StatusChanged(text, True)))
        except Exception as exc:  # a model or device that cannot be used: said on the status line, the form stays
            log.exception("the call could not start")
            self.emit(events.StatusChanged(f"无法开始：{exc}", True))
            return
        if self.call.segments:
            self._draft_soon()
        self.emit(events.StatusChanged("通话中…"))
        try:
            for block in source.blocks():
                if self._closed:
                    break
                stream.feed(block)
        except Exception as exc:  # what was heard so far is kept, the operator can still submit
            log.exception("the call's audio stopped")
            self.emit(events.StatusChanged(f"音频中断：{exc}（已录入的内容已保存）", True))
        finally:
            try:
                stream.flush()
                # The last utterances are decoded again before close returns (assistant.live.revision).
                self.emit(events.StatusChanged("通话结束，正在完成最后几句的转写…"))
                stream.close()
            finally:
                self.call_over = True
        self.emit(events.StatusChanged("通话结束。请核对工单后按 Ctrl+S 提交。"))
        self.emit(events.CallEnded())

    def _committed(self, seg: LiveSegment) -> None:
        if not seg.final:
            self.emit(events.PartialText(seg.speaker, seg.text))
            return
        with self._lock:
            if not seg.revised:
                self._heard_until = max(self._heard_until, seg.end)
            changed = bool(seg.text) and self.call.add_segment(
                replace(seg, start=max(0.0, seg.start + self._shift), end=max(0.0, seg.end + self._shift)))
            if seg.revised and not changed:  # an utterance of a call that is over: nothing on screen changes
                return
            segments = tuple(dict(s) for s in self.call.segments)
            self._autosave()
        self.emit(events.SegmentsChanged(segments, seg.speaker, seg.revised))
        if changed:
            self._draft_soon()

    def new_call(self) -> None:
        """The next caller on the same line: a new, empty call. An unsubmitted call stays in the autosave folder."""
        with self._lock:
            if not self.call.submitted and not self.call.segments and not self.call.edited:
                self.autosaver.discard(self.call.call_id)  # nothing in it worth keeping
            self.call = self._fresh_call()
            self._shift = -self._heard_until
        self.emit(events.CallStarted(self.call.call_id))

    def _autosave(self) -> None:
        """Save the call; a disk that refuses is said once on the status line, and the call goes on."""
        try:
            self.autosaver.save(self.call)
        except OSError as exc:
            log.warning("autosave failed: %s", exc)
            if not self._autosave_failed:
                self._autosave_failed = True
                self.emit(events.StatusChanged(f"自动保存失败：{exc}（请尽快提交工单）", True))
        else:
            self._autosave_failed = False

    # --- drafting ----------------------------------------------------------------------------------------
    def _draft_soon(self) -> None:
        with self._draft_state:  # commits come from the decoder's thread and the feeding one: one drafting thread
            self._draft_idle.clear()
            self._draft_wanted.set()
            if self._drafting is None:
                self._drafting = threading.Thread(target=self._draft_loop, name="console-draft", daemon=True)
                self._drafting.start()

    def _draft_loop(self) -> None:
        while not self._closed:
            if not self._draft_wanted.wait(timeout=0.5):
                continue
            self._draft_wanted.clear()
            try:
                self.redraft()
            except Exception:  # a drafting bug must not end the call: the operator can still type every field
                log.exception("drafting failed")
                self.emit(events.StatusChanged("自动填写出错，请手动填写工单", True))
            with self._draft_state:
                if not self._draft_wanted.is_set():
                    self._draft_idle.set()

    def redraft(self) -> list[str]:
        """Draft the transcript so far and take the new values the operator has not touched."""
        if self._drafter is None:
            return []
        from assistant.draft.model import CallContext

        with self._lock:
            transcript = self.call.transcript()
            context = CallContext(call_start=datetime.fromisoformat(self.call.started_at),
                                  hotline=self.call.hotline, operator_id=self.call.operator_id)
        draft = self._drafter.draft(transcript, context)
        with self._lock:
            if self.call.call_id != transcript.id:  # a new call began while this one was drafted
                return []
            changed = self.call.apply_draft(draft)
            self._autosave()
        self.emit(events.DraftChanged(tuple(changed)))
        return changed

    def wait_for_drafts(self, timeout: float | None = None) -> bool:
        """Block until every commit so far has been drafted (True) or ``timeout`` passes (False)."""
        return self._draft_idle.wait(timeout)

    # --- the operator ------------------------------------------------------------------------------------
    def edit(self, name: str, value: str) -> None:
        """The operator typed, accepted or chose a value: it is theirs now, never overwritten by a draft."""
        with self._lock:
            self.call.edit(name, value)
            self._autosave()

    def submit(self, values: dict[str, str] | None = None, *, solved: bool = False,
               reply: str | None = None) -> events.Event:
        """File the call's ticket (or update it, if this call was filed before); ``solved``: as 当场办结, the
        answer given on the call as ``reply``. Blocks: run it on a thread."""
        with self._submit_lock:
            with self._lock:
                if values:
                    for name, value in values.items():
                        if self.call.values.get(name, "") != value:
                            self.call.edit(name, value)
                self._autosave()
                snapshot = copy.deepcopy(self.call)
            try:
                filed = self.desk.file(snapshot, solved=solved, reply=reply)
            except AssistantError as exc:
                event = events.SubmitFailed(f"提交失败：{exc}（草稿已保存，可重试）")
            except Exception as exc:  # the database went away mid-call: keep the draft, say so, let them retry
                log.exception("submit failed")
                event = events.SubmitFailed(f"提交失败：{exc}（草稿已保存，可重试）")
            else:
                with self._lock:
                    if self.call.call_id == snapshot.call_id:
                        self.call.ticket_number = filed.number
                    self.autosaver.discard(snapshot.call_id)
                if not filed.updated:
                    self.submitted.append(filed.number)
                solved_now = filed.status == "当场办结"  # workflow.SOLVED_ON_CALL, a StrEnum of this value
                event = events.Submitted(filed.number, filed.updated, filed.status, filed.deadline,
                                         () if solved_now else self._offers(filed.number),
                                         self._receipt(filed.number, filed.deadline, solved=solved_now))
        self.emit(event)
        return event

    def _offers(self, number: str) -> tuple:
        """The open tickets the filed one likely repeats; a failure here is said, the ticket stays filed."""
        try:
            return tuple(self.desk.offers(number))
        except Exception as exc:
            log.exception("looking for repeats failed")
            self.emit(events.StatusChanged(f"无法查找重复诉求：{exc}", True))
            return ()

    def _receipt(self, number: str, deadline, **how) -> Receipt:
        template = self.setup.receipt
        if template is None:
            from assistant.centre import active_centre

            template = active_centre().script.receipt
        return receipt(template, number=number, deadline=deadline, hotline=self.setup.hotline, **how)

    def merge(self, into: str, note: str | None = None) -> events.Event:
        """并单: the call's filed ticket becomes a repeat of the earlier open ticket ``into``. Blocks."""
        with self._lock:
            number = self.call.ticket_number
        if number is None:
            event = events.ActionFailed("未并单：本次来电的工单还没有提交")
        else:
            try:
                merged = self.desk.merge(number, into, f"接线员{self.setup.operator_id}", note)
            except Exception as exc:  # refused (closed meanwhile, already merged) or the database went away
                log.warning("merge failed: %s", exc)
                event = events.ActionFailed(f"未并单：{exc}")
            else:
                event = events.MergeDone(merged.number, merged.into, merged.deadline,
                                         self._receipt(merged.number, merged.deadline, merged_into=merged.into))
        self.emit(event)
        return event

    def lookup_caller(self) -> events.Event | None:
        """The caller's earlier tickets for the phone number the call holds now (None: no number yet, or it
        changed while the store was read). Blocks: run it on a thread."""
        with self._lock:
            call_id, values, own = self.call.call_id, dict(self.call.values), self.call.ticket_number
        if not values.get("phone"):
            return None
        try:
            history = self.desk.history(values, actor=f"接线员{self.setup.operator_id}", exclude=own)
        except Exception as exc:
            log.warning("the caller's tickets could not be read: %s", exc)
            event = events.ActionFailed(f"无法读取来电人的历史工单：{exc}")
        else:
            with self._lock:
                if self.call.call_id != call_id or self.call.values.get("phone") != values["phone"]:
                    return None
            event = events.CallerKnown(history)
        self.emit(event)
        return event

    def close(self) -> None:
        self._closed = True
