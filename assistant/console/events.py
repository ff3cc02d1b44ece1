"""What the console service tells its shell: one small frozen dataclass per kind of change.

The service runs its work on threads; a shell receives these events on whichever thread produced them and
hands them to its own loop (the Textual app posts them as messages). Events carry data, never widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.console.receipt import Receipt
from assistant.console.tickets import CallerHistory, RepeatOffer


@dataclass(frozen=True)
class Event:
    """Base class: every event the service emits."""


@dataclass(frozen=True)
class StatusChanged(Event):
    text: str
    warning: bool = False


@dataclass(frozen=True)
class PartialText(Event):
    """Text of an utterance still going on: shown dimmed, replaced when it commits."""

    speaker: str
    text: str


@dataclass(frozen=True)
class SegmentsChanged(Event):
    """A segment was committed, or a committed one's text revised in place; ``segments`` is the whole committed
    transcript in time order."""

    segments: tuple[dict, ...]
    speaker: str  # whose partial line the commit replaces
    revised: bool = False  # a revision: the speaker's partial line, if any, belongs to what they say now


@dataclass(frozen=True)
class DraftChanged(Event):
    """A new draft changed these fields (the operator's own edits are never among them)."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class CallEnded(Event):
    pass


@dataclass(frozen=True)
class CallStarted(Event):
    """The operator began the next call on the same line: the transcript and the form start empty."""

    call_id: str


@dataclass(frozen=True)
class Submitted(Event):
    number: str
    updated: bool  # True when the call's ticket existed and was updated instead of filed again
    status: str = "已受理"
    deadline: date | None = None
    repeats: tuple[RepeatOffer, ...] = ()  # open tickets it likely repeats, offered for 并单
    receipt: Receipt | None = None  # read to the caller; on screen until the next call starts


@dataclass(frozen=True)
class CallerKnown(Event):
    """The caller's earlier tickets, for the phone number the form holds now."""

    history: CallerHistory


@dataclass(frozen=True)
class MergeDone(Event):
    """并单: the call's ticket now follows ``into`` and its deadline."""

    number: str
    into: str
    deadline: date | None
    receipt: Receipt | None = None  # the receipt again, with the deadline the ticket now follows


@dataclass(frozen=True)
class ActionFailed(Event):
    """A step other than the submit (并单, reading the caller's tickets) failed; the call goes on."""

    message: str


@dataclass(frozen=True)
class SubmitFailed(Event):
    message: str
