"""A second look at a phone number that came out a digit short or long.

Whisper base often drops one digit of a quickly spoken mobile number (13968245107 → 1396825107), and then the
operator has to ask again. Its beam search usually holds the right reading among its other hypotheses, only
not first. When an utterance has a phone cue and a digit run that is not a valid mobile number, its audio is
decoded once more with an n-best beam, and the best-ranked hypothesis whose own run reads as exactly one valid
mobile number supplies the number. Only the number is replaced, the rest of the utterance stays as first
decoded; when no hypothesis has a valid number, nothing changes. Measured on the dev calls in the README.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from faster_whisper.tokenizer import Tokenizer

from assistant.audio.load import SAMPLE_RATE
from assistant.lexicon.correct import broken_phone, phone_runs, replace_phone

MARGIN = 0.3  # seconds of audio kept on each side of the utterance
MAX_SECONDS = 28.0  # one encoder window, less the margins


def nbest(model, samples: np.ndarray, language: str, n: int) -> list[str]:
    """The ``n`` best readings of a clip of at most 30 s, best first (raw Whisper text)."""
    extractor = model.feature_extractor
    features = extractor(samples)[:, : extractor.nb_max_frames]
    features = np.pad(features, ((0, 0), (0, extractor.nb_max_frames - features.shape[1])))
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)
    result = model.model.generate(
        model.encode(features),
        [[*tokenizer.sot_sequence, tokenizer.no_timestamps]],
        beam_size=n,
        num_hypotheses=n,
        max_length=model.max_length // 2,
    )[0]
    return [tokenizer.decode([t for t in ids if t < tokenizer.eot]) for ids in result.sequences_ids]


def fix_phone(text: str, samples: np.ndarray, start: float, end: float, readings: Callable[[np.ndarray], list[str]],
              clean: Callable[[str], str]) -> str:
    """``text`` (an utterance from ``start`` to ``end`` s of ``samples``) with a broken phone number replaced
    by the one an n-best reading hears as a valid mobile number; ``text`` itself when there is none."""
    run = broken_phone(text)
    if run is None or end - start > MAX_SECONDS:
        return text
    clip = samples[int(max(0.0, start - MARGIN) * SAMPLE_RATE) : int((end + MARGIN) * SAMPLE_RATE)]
    for reading in readings(clip):
        numbers = {r.digits for r in phone_runs(clean(reading)) if r.mobile}
        if len(numbers) == 1:
            return replace_phone(text, run, numbers.pop())
    return text
