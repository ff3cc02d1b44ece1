"""The centre's language model (``charlm.CharLM``): what it is trained on, where it is kept, how it is found.

Trained on everything the centre's profile says in its own words: the unit directory (every name and alias,
alone and after 在/去 as callers say them), the districts, the departments and vocabulary, the operators'
script (greeting, phrases, receipt), the taxonomy's labels and descriptions, the seed examples, and, where the
centre has one, an archive of its tickets' texts (``hotline train --archive``, or the transcripts and summaries
of the store's tickets through ``hotline learn``). The archive's model is trained once and kept in the profile
as ``models/lm/lm.json.gz``; the profile's own is trained whenever a transcriber starts (a fraction of a second),
so a directory just imported is in it.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from assistant.centre import Centre
from assistant.lexicon.charlm import CharLM, Mixture
from assistant.lexicon.units import UnitDirectory

log = logging.getLogger("assistant.lexicon")

LM_FOLDER = "lm"
LM_FILE = "lm.json.gz"
ORDER = 4
SEED_FILE = "seed.tsv"
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def lm_path(centre: Centre) -> Path:
    return centre.models_dir / LM_FOLDER / LM_FILE


def profile_texts(centre: Centre, directory: UnitDirectory | None = None) -> Iterator[str]:
    """The sentences and names of ``centre``'s profile, with ``directory``'s names (default: none)."""
    script, vocabulary = centre.script, centre.vocabulary
    for hotline in script.hotlines:
        for name in hotline.names:
            yield hotline.number + name
    for template in (script.greeting, script.receipt):
        if template:
            yield _PLACEHOLDER.sub("，", template)
    yield from script.phrases
    yield from (*vocabulary.terms, *vocabulary.departments, *vocabulary.words)
    for label_set in centre.taxonomy.sets.values():
        for label in label_set.labels:
            yield label.name
            if label.description:
                yield label.description
    if directory is not None:
        for spelling in directory.spellings():
            yield spelling
            yield from (f"在{spelling}", f"去{spelling}", f"转给{spelling}")
        yield from directory.place_names()
    yield from _seed_texts(centre.training_dir / SEED_FILE)


def _seed_texts(path: Path) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row.get("text"):
                    yield row["text"]
    except FileNotFoundError:
        return


def archive_lm(centre: Centre) -> CharLM | None:
    """The model of ``centre``'s archive, or None when it has none."""
    path = lm_path(centre)
    return _load(path, path.stat().st_mtime_ns) if path.is_file() else None


def grow_archive_lm(centre: Centre, texts: Iterable[str], about: dict) -> CharLM:
    """The centre's archive model trained on ``texts`` as well (a new one if it has none), with ``about`` laid
    over what it said of itself, saved in the profile."""
    texts = list(texts)
    known = archive_lm(centre)
    model = known.extended(texts) if known is not None else CharLM.train(texts, order=ORDER)
    model.about = {**(known.about if known is not None else {}), **about}
    model.save(lm_path(centre))
    return model


def centre_lm(centre: Centre, directory: UnitDirectory | None = None) -> CharLM | Mixture:
    """How ``centre`` speaks: a model of its profile with ``directory``'s names, trained now (a fraction of a
    second, so a directory just imported is in it), mixed half and half with its archive's model when it has
    one (``lm_path``)."""
    profile = CharLM.train(profile_texts(centre, directory), order=ORDER)
    archive = archive_lm(centre)
    return profile if archive is None else Mixture([(profile, 0.5), (archive, 0.5)])


@lru_cache(maxsize=4)
def _load(path: Path, _stamp: int) -> CharLM:
    log.debug("语言模型 %s", path)
    return CharLM.load(path)
