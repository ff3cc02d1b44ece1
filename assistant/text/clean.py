"""Whisper's raw text of one utterance → the text an operator reads.

One chain for every path that reads Whisper's output (the file pipeline, the live console, the second look):
Simplified Chinese, no subtitle credits or loops, punctuation, numbers as written Chinese has them, the
operator's script and the caller's phone number put back by sound, near-miss names snapped to the centre's
directory, and same-sound misspellings of dictionary words replaced.
"""

from __future__ import annotations

from assistant.lexicon.correct import TermCorrector, fix_phrases
from assistant.lexicon.homophones import HomophoneCorrector
from assistant.text import normalize
from assistant.text.hallucinations import collapse_loops, strip_hallucinations
from assistant.text.phone import fix_phone_number
from assistant.text.script import fix_greeting_closing, fix_hotline_numbers, fix_staff_number


def clean_text(raw: str, corrector: TermCorrector | None = None, homophones: HomophoneCorrector | None = None, *,
               correct_terms: bool = True, normalize_numbers: bool = True) -> str:
    """Whisper's raw text of one utterance → the text an operator reads."""
    text = normalize.to_simplified(raw)
    text = collapse_loops(strip_hallucinations(text))
    text = normalize.punctuate(text)
    if not text.strip("，。？！、 "):
        return ""
    if correct_terms:
        text = fix_staff_number(text)
    if normalize_numbers:
        text = normalize.normalize_numbers(text)
    if correct_terms:
        text = fix_phone_number(text)
        text = fix_hotline_numbers(text)
        text = fix_greeting_closing(text)
        text = fix_phrases(text)
        if corrector is not None:
            text = corrector.correct(text)
        if homophones is not None:
            text = homophones.correct(text)
    return normalize.end_sentence(text)
