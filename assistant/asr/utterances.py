"""Cut one channel's words into utterances that follow the real turn order.

Whisper's segments can span several turns of one speaker, with the other party talking in between; merging
two channels by segment start time then scrambles the call. Words carry their own timestamps, so a channel's
word stream is cut wherever the speaker pauses long enough, or wherever the *other* channel has a word in
the gap (a turn of the other party happened there).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from assistant.transcript.model import Word


def split_utterances(
    words: Sequence[Word], other_starts: Sequence[float], pause: float
) -> list[list[Word]]:
    """Group ``words`` (time-ordered) into utterances.

    Args:
        words: one channel's words.
        other_starts: sorted start times of the other channel's words (empty for mono).
        pause: a silence at least this long (seconds) ends an utterance.
    """
    groups: list[list[Word]] = []
    for word in words:
        if groups:
            prev = groups[-1][-1]
            gap_start, gap_end = prev.end, word.start
            i = bisect.bisect_right(other_starts, gap_start)
            other_spoke = i < len(other_starts) and other_starts[i] < gap_end
            if gap_end - gap_start < pause and not other_spoke:
                groups[-1].append(word)
                continue
        groups.append([word])
    return groups
