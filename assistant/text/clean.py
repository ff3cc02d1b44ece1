"""Whisper's raw text of one utterance → the text an operator reads.

One chain for every path that reads Whisper's output (the file pipeline, the live console, the second look):
Simplified Chinese, no subtitle credits or loops, punctuation, numbers as written Chinese has them, the
operator's script and the caller's phone number put back by sound, near-miss names snapped to the centre's
directory, and same-sound misspellings of dictionary words replaced.
"""

from __future__ import annotations

from assistant.centre import Centre, Script, active_centre
from assistant.lexicon.correct import TermCorrector, fix_phrases
from assistant.lexicon.homophones import HomophoneCorrector
from assistant.lexicon.units import UnitDirectory
from assistant.text import normalize
from assistant.text.hallucinations import collapse_loops, strip_hallucinations
from assistant.text.phone import fix_phone_number
from assistant.text.script import fix_greeting_closing, fix_hotline_numbers, fix_staff_number


def clean_text(raw: str, corrector: TermCorrector | None = None, homophones: HomophoneCorrector | None = None, *,
               correct_terms: bool = True, normalize_numbers: bool = True, script: Script | None = None) -> str:
    """Whisper's raw text of one utterance → the text an operator reads; ``script``: the centre's (hotline
    numbers, staff-number length), by default the centre in use."""
    text = normalize.to_simplified(raw)
    text = collapse_loops(strip_hallucinations(text))
    text = normalize.punctuate(text)
    if not text.strip("，。？！、 "):
        return ""
    if correct_terms:
        script = script or active_centre().script
        text = fix_staff_number(text, script.staff_number_digits)
    if normalize_numbers:
        text = normalize.normalize_numbers(text)
    if correct_terms:
        text = fix_phone_number(text)
        text = fix_hotline_numbers(text, script)
        text = fix_greeting_closing(text)
        text = fix_phrases(text)
        if corrector is not None:
            text = corrector.correct(text)
        if homophones is not None:
            text = homophones.correct(text)
    return normalize.end_sentence(text)


class Cleaner:
    """``clean_text`` with one centre's lexicon: its directory's names and places, its vocabulary, the phrases
    and hotline numbers of its operators' script. Build one per centre and directory (the homophone model loads
    in the background); it holds no audio and no speech model, so text alone can be cleaned with it."""

    def __init__(self, centre: Centre | None = None, directory: UnitDirectory | None = None, *,
                 correct_terms: bool = True, correct_homophones: bool = True, normalize_numbers: bool = True):
        self.centre = centre = centre or active_centre()
        self.correct_terms, self.normalize_numbers = correct_terms, normalize_numbers
        known = (*directory.spellings(), *directory.place_names()) if directory else ()
        vocabulary, script = centre.vocabulary, centre.script
        hotline_names = [name for hotline in script.hotlines for name in hotline.names]
        terms = [*vocabulary.departments, *script.numbers, *hotline_names, *vocabulary.terms, *script.phrases, *known]
        self.corrector = TermCorrector(terms, places=[*known, *vocabulary.departments])
        self.homophones = HomophoneCorrector([*terms, *vocabulary.words]) if correct_homophones else None
        if self.homophones is not None:
            self.homophones.warm_up()

    def clean(self, raw: str, with_names: bool = True) -> str:
        """Whisper's raw text of one utterance → the text an operator reads; without names: only the script and
        the numbers (for re-reading a phone number)."""
        return clean_text(raw, self.corrector if with_names else None, self.homophones if with_names else None,
                          correct_terms=self.correct_terms, normalize_numbers=self.normalize_numbers,
                          script=self.centre.script)
