"""The live transcript: committed lines in time order, one dimmed partial line per speaker, evidence highlight."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.transcript.model import SPEAKER_LABELS


def clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m:02d}:{s:02d}"


class TranscriptLine(Static):
    def __init__(self, index: int, speaker: str, start: float, text: str):
        self.index, self.speaker, self.start, self.body = index, speaker, start, text
        super().__init__(self._render_line(), classes=f"line {speaker}")

    def _render_line(self) -> Text:
        # No space after the time: wrapping breaks lines at spaces, and the time would stand alone on its line.
        line = Text(f"[{clock(self.start)}]", style="dim")
        line.append(f"{SPEAKER_LABELS.get(self.speaker, self.speaker)}：", style="bold")
        line.append(self.body)
        return line


class TranscriptView(VerticalScroll):
    """Committed segments are lines; partial text sits below them, dimmed, replaced as it grows."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._partials: dict[str, Static] = {}

    def set_segments(self, segments: list[dict]) -> None:
        """Show exactly these committed segments (in time order), keeping partial lines at the bottom."""
        for line in list(self.query(TranscriptLine)):
            line.remove()
        lines = [TranscriptLine(i, s["speaker"], s["start"], s["text"]) for i, s in enumerate(segments) if s["text"]]
        if lines:
            first_partial = next(iter(self._partials.values()), None)
            self.mount_all(lines, before=first_partial) if first_partial else self.mount_all(lines)
        self.scroll_end(animate=False)

    def clear(self) -> None:
        """No lines and no partial text, for the next call."""
        for speaker in list(self._partials):
            self.clear_partial(speaker)
        self.set_segments([])

    def show_partial(self, speaker: str, text: str) -> None:
        label = SPEAKER_LABELS.get(speaker, speaker)
        content = Text(f"{label}：{text}…", style="dim italic")
        if speaker in self._partials:
            self._partials[speaker].update(content)
        else:
            widget = Static(content, classes="partial")
            self._partials[speaker] = widget
            self.mount(widget)
        self.scroll_end(animate=False)

    def clear_partial(self, speaker: str) -> None:
        widget = self._partials.pop(speaker, None)
        if widget is not None:
            widget.remove()

    def highlight(self, segment_indices: set[int]) -> None:
        """Mark the lines a focused field's evidence came from."""
        committed = [line for line in self.query(TranscriptLine)]
        for n, line in enumerate(committed):
            line.set_class(n in segment_indices, "evidence")
        marked = [line for n, line in enumerate(committed) if n in segment_indices]
        if marked:
            self.scroll_to_widget(marked[0], animate=False)
