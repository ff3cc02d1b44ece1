"""The report's charts as PNG bytes: matplotlib's Agg renderer, no window, no pyplot state.

Each chart is drawn on its own ``Figure`` (not through ``pyplot``, whose global figure list a long-running
process would have to clean up) with the shipped Chinese font, and returned as PNG for the workbook and the page
alike. Sizes follow the number of bars so that twenty units are as legible as three.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from contextlib import contextmanager

DPI = 110
FONT_SIZE = 9
LABELLED = 12  # cells of a heatmap that carry their count
WIDTH = 7.2  # inches: about 790 pixels, the width of the page's column
BLUE, GREY, RED = "#2f6db5", "#b8c2cc", "#c8423b"
SATISFACTION_COLOURS = ("#2e8b57", "#f2b134", "#c8423b")


@contextmanager
def _style():
    import matplotlib

    from assistant.report.fonts import chart_family

    with matplotlib.rc_context({"font.family": [chart_family()], "axes.unicode_minus": False, "font.size": FONT_SIZE,
                                "axes.spines.top": False, "axes.spines.right": False}):
        yield


def _figure(height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), dpi=DPI)


def _inches(labels: Sequence[str], size: float = FONT_SIZE) -> float:
    """How wide the longest of ``labels`` is drawn: a Chinese character is a square of the font size, a Latin one
    a little over half. Margins are set from this rather than by ``tight_layout``, which draws every label twice
    to measure it and took half of a report's chart time."""
    widths = [sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in label) for label in labels]
    return max(widths, default=0) * size / 72


def _margins(fig, *, left: float = 0.5, bottom: float = 0.35, top: float = 0.4, right: float = 0.35) -> None:
    """Margins in inches around the axes."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", pil_kwargs={"compress_level": 1})  # flat colours: as small, a little faster
    return out.getvalue()


def _short(label: str, size: int = 16) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def bars(labels: Sequence[str], values: Sequence[float], title: str, *, percent: bool = False,
         highlight: Sequence[bool] | None = None) -> bytes:
    """Horizontal bars, the first label on top; ``highlight`` marks bars in red (rising, overdue)."""
    with _style():
        fig = _figure(0.9 + 0.28 * max(len(labels), 1))
        ax = fig.subplots()
        colours = [RED if h else BLUE for h in (highlight or [False] * len(values))]
        y = range(len(labels))[::-1]
        ax.barh(list(y), list(values), color=colours, height=0.65)
        names = [_short(label) for label in labels]
        ax.set_yticks(list(y), names)
        ax.set_ylim(-0.6, len(labels) - 0.4)
        ax.set_title(title, loc="left", fontsize=11)
        top = max(values, default=0) or 1
        ax.set_xlim(0, top * 1.18)
        for yi, v in zip(y, values, strict=True):
            ax.text(v + top * 0.01, yi, f"{v:.1%}" if percent else f"{v:,.0f}" if float(v).is_integer()
                    else f"{v:.1f}", va="center", fontsize=8)
        if percent:
            ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
        _margins(fig, left=_inches(names) + 0.2)
        return _png(fig)


def stacked(labels: Sequence[str], series: dict[str, Sequence[float]], title: str,
            colours: Sequence[str] = SATISFACTION_COLOURS) -> bytes:
    """Horizontal bars of shares stacked to 100%, one colour per series, a legend below the title."""
    with _style():
        fig = _figure(1.2 + 0.28 * max(len(labels), 1))
        ax = fig.subplots()
        y = list(range(len(labels)))[::-1]
        left = [0.0] * len(labels)
        for (name, values), colour in zip(series.items(), colours, strict=False):
            ax.barh(y, list(values), left=left, color=colour, height=0.65, label=name)
            left = [a + b for a, b in zip(left, values, strict=True)]
        names = [_short(label) for label in labels]
        ax.set_yticks(y, names)
        ax.set_ylim(-0.6, len(labels) - 0.4)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
        ax.set_title(title, loc="left", fontsize=11)
        ax.legend(ncols=len(series), loc="lower right", bbox_to_anchor=(1, 1), frameon=False, fontsize=8)
        _margins(fig, left=_inches(names) + 0.2, top=0.5)
        return _png(fig)


def weekly(labels: Sequence[str], counts: Sequence[int], title: str) -> bytes:
    """Tickets per week as columns, the latest week on the right."""
    with _style():
        fig = _figure(2.8)
        ax = fig.subplots()
        x = list(range(len(labels)))
        ax.bar(x, list(counts), color=[GREY] * (len(x) - 1) + [BLUE] if x else [], width=0.6)
        ax.set_xticks(x, list(labels))
        for xi, n in zip(x, counts, strict=True):
            ax.text(xi, n, f"{n:,}", ha="center", va="bottom", fontsize=8)
        ax.set_title(title, loc="left", fontsize=11)
        ax.set_ylim(0, max(counts, default=0) * 1.12 or 1)
        _margins(fig, left=0.2 + _inches([f"{max(counts, default=0):,}"]))
        return _png(fig)


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[int]], title: str) -> bytes:
    """Counts of a pivot table as shades, the largest cells labelled with their counts."""
    with _style():
        fig = _figure(1.4 + 0.3 * max(len(rows), 1) + _inches([_short(c, 6) for c in columns]) * 0.7)
        ax = fig.subplots()
        ax.imshow(values, cmap="Blues", aspect="auto")
        heads, names = [_short(c, 6) for c in columns], [_short(r) for r in rows]
        ax.set_xticks(range(len(columns)), heads, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(rows)), names)
        # Only the largest cells are labelled (the table beside it has every count): a label per cell drew a
        # report's biggest chart three times slower.
        cells = sorted(((n, i, j) for i, row in enumerate(values) for j, n in enumerate(row) if n), reverse=True)
        top = cells[0][0] if cells else 1
        for n, i, j in cells[:LABELLED]:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=7, color="white" if n > top * 0.6 else "#222")
        ax.spines[:].set_visible(False)
        ax.set_title(title, loc="left", fontsize=11)
        _margins(fig, left=_inches(names) + 0.2, bottom=_inches(heads) * math.sin(math.pi / 4) + 0.3, right=0.1)
        return _png(fig)
