"""An utterance's text chosen among its readings by what the audio and the centre's way of speaking both say.

The text layer proposes, the audio decides. Whisper's first reading of an utterance, cleaned, is one reading
among several:
- the same reading without the clean-up's name and homophone corrections (off by default: measured worse, since
  Whisper's likelihood prefers its own spelling of a sound);
- each near-miss of a centre name the strict snapping in ``lexicon/correct.py`` would not dare make alone (十二月
  for 市二院: one shared character, one syllable off), put in one at a time (``TermCorrector.proposals``);
- for an utterance Whisper itself was unsure of, its n-best readings, decoded again with a wider beam.

Each reading is scored, without its punctuation (``bare``), by Whisper's likelihood of it as the transcript of
the utterance's audio (teacher forcing, ``second_look.likelihoods``) plus ``weight`` × the centre language
model's log-probability of it (``lexicon/centre_lm.py``). Another reading replaces the first only when it scores
higher by its source's margin: an n-best reading decoded from the utterance alone has lost the context the first
had, and Whisper's own likelihood favours it, so it must win by far more than a name put in. The weight and the
margins were chosen on one half of the sample calls and checked on the other
(docs/decisions/0022-readings-chosen-by-audio-and-centre.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_PUNCTUATION = re.compile(r"[，。？！、；：,.?!;:\s]")


def bare(text: str) -> str:
    """``text`` without punctuation, as readings are scored: the clean-up puts in commas and full stops Whisper
    did not write, and a reading's likelihood must not depend on them."""
    return _PUNCTUATION.sub("", text)


@dataclass(frozen=True)
class Reading:
    text: str
    source: str  # first | plain | snap | nbest


def choose(first: str, others: Sequence[Reading], acoustic: Callable[[list[str]], list[float]],
           language: Callable[[str], float] | None, weight: float, margins: Mapping[str, float]) -> Reading:
    """The best-scoring reading that beats the first by its source's margin (``margins``, by source), else the
    first (``source`` "first")."""
    sources = {r.text: r.source for r in reversed(others) if r.text and r.text != first}
    texts = [first, *sources]
    if len(texts) == 1:
        return Reading(first, "first")
    scores = np.asarray(acoustic(texts), dtype=float)
    if language is not None and weight:
        scores = scores + weight * np.asarray([language(t) for t in texts])
    best, best_score = Reading(first, "first"), scores[0]
    for text, score in zip(texts[1:], scores[1:], strict=True):
        if score - scores[0] > margins.get(sources[text], 0.0) and score > best_score:
            best, best_score = Reading(text, sources[text]), score
    return best
