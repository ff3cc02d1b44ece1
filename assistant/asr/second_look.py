"""A second look at a phone number that came out a digit short or long.

Whisper base often drops one digit of a quickly spoken mobile number (13912345678 → 1391235678), and then the
operator has to ask again. Its beam search usually holds the right reading among its other hypotheses, only
not first. When an utterance has a phone cue and a digit run that is not a valid mobile number, its audio is
decoded once more with an n-best beam, and the best-ranked hypothesis whose own run reads as exactly one valid
mobile number supplies the number. Only the number is replaced, the rest of the utterance stays as first
decoded.

When no hypothesis has a valid number either, the number is repaired by listening: every valid mobile number
one digit away from the run (a digit inserted where 10 were heard, one removed where 12 were) is put into the
utterance's text, Whisper scores each text against the audio with teacher forcing (``likelihoods``: one
encoder pass, then the decoder's probability of every token of the given text), and the most likely one wins.
Beam search drops a repeated digit (13800138800 heard as 1380013880) and never comes back to it; the forced
reading of the right number is still the most probable (docs/decisions/0015-phone-repair-scope.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from faster_whisper.tokenizer import Tokenizer

from assistant.audio.load import SAMPLE_RATE
from assistant.text.phone import MOBILE, MOBILE_IN_TEXT, broken_phone, phone_runs, replace_phone

MARGIN = 0.3  # seconds of audio kept on each side of the utterance
MAX_SECONDS = 28.0  # one encoder window, less the margins


def _window(model, samples: np.ndarray) -> tuple[np.ndarray, int]:
    """Mel features of a clip of at most 30 s, padded to Whisper's 30 s window, and how many frames are the clip."""
    extractor = model.feature_extractor
    features = extractor(samples)[:, : extractor.nb_max_frames]
    frames = features.shape[1]
    return np.pad(features, ((0, 0), (0, extractor.nb_max_frames - frames))), frames


def _tokenizer(model, language: str) -> Tokenizer:
    return Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)


def encode(model, samples: np.ndarray, pad: float | None = None):
    """The encoder's output for a clip of at most 30 s and how many mel frames are the clip: what ``nbest`` and
    ``likelihoods`` decode from, computed once when both look at the same clip. The clip is in Whisper's padded 30 s
    window, or with ``pad``, followed by only that many seconds of the padding (the encoder's work grows with its
    input: a 5 s utterance in a 30 s window is mostly padding)."""
    features, frames = _window(model, samples)
    if pad is not None:
        keep = min(features.shape[1], frames + int(pad * 100))
        features = features[:, : keep + keep % 2]
    return model.encode(features), frames


def nbest(model, samples: np.ndarray, language: str, n: int, encoded=None) -> list[str]:
    """The ``n`` best readings of a clip of at most 30 s, best first (raw Whisper text); ``encoded``: the clip's
    ``encode`` when it is known."""
    encoded, _ = encoded or encode(model, samples)
    tokenizer = _tokenizer(model, language)
    result = model.model.generate(
        encoded,
        [[*tokenizer.sot_sequence, tokenizer.no_timestamps]],
        beam_size=n,
        num_hypotheses=n,
        max_length=model.max_length // 2,
    )[0]
    return [tokenizer.decode([t for t in ids if t < tokenizer.eot]) for ids in result.sequences_ids]


def likelihoods(model, samples: np.ndarray, texts: list[str], language: str, encoded=None) -> list[float]:
    """Log-probability of each of ``texts`` as the transcript of ``samples`` (at most 30 s), by teacher forcing;
    ``encoded``: the clip's ``encode`` when it is known."""
    # The whole 30 s window, as Whisper was trained: a short window scores faster but repairs fewer numbers
    # (docs/decisions/0015-phone-repair-scope.md).
    encoded, frames = encoded or encode(model, samples)
    tokenizer = _tokenizer(model, language)
    scores = []
    for text in texts:  # one at a time: a batch would copy the encoder output and runs slower per text on a CPU
        result = model.model.align(encoded, tokenizer.sot_sequence, [tokenizer.encode(text)], frames)[0]
        scores.append(float(np.sum(np.log(np.maximum(result.text_token_probs, 1e-12)))))
    return scores


def repairs(digits: str) -> list[str]:
    """Valid mobile numbers one digit away from ``digits``: a digit inserted (10 heard) or removed (12 heard)."""
    if len(digits) == 10:
        found = {digits[:i] + d + digits[i:] for i in range(11) for d in "0123456789"}
    elif len(digits) == 12:
        found = {digits[:i] + digits[i + 1 :] for i in range(12)}
    else:
        return []
    return sorted(n for n in found if MOBILE.fullmatch(n))


def new_numbers(before: str, after: str) -> tuple[str, ...]:
    """The mobile numbers in ``after`` that ``before`` does not hold: what a second look put into an utterance."""
    heard = set(MOBILE_IN_TEXT.findall(before))
    return tuple(n for n in dict.fromkeys(MOBILE_IN_TEXT.findall(after)) if n not in heard)


def fix_phone(text: str, samples: np.ndarray, start: float, end: float, readings: Callable[[np.ndarray], list[str]],
              clean: Callable[[str], str],
              score: Callable[[np.ndarray, list[str]], list[float]] | None = None) -> str:
    """``text`` (an utterance from ``start`` to ``end`` s of ``samples``) with a broken phone number replaced
    by the one an n-best reading hears as a valid mobile number, else (with ``score``) by the repair of it that
    ``score`` finds most likely for the audio; ``text`` itself when there is none."""
    run = broken_phone(text)
    if run is None or end - start > MAX_SECONDS:
        return text
    clip = samples[int(max(0.0, start - MARGIN) * SAMPLE_RATE) : int((end + MARGIN) * SAMPLE_RATE)]
    for reading in readings(clip):
        numbers = {r.digits for r in phone_runs(clean(reading)) if r.mobile}
        if len(numbers) == 1:
            return replace_phone(text, run, numbers.pop())
    candidates = repairs(run.digits) if score is not None else []
    if not candidates:
        return text
    texts = [replace_phone(text, run, number) for number in candidates]
    likely = score(clip, texts)
    return texts[int(np.argmax(likely))]
