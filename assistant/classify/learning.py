"""Learning from corrections: retrain a field's classifier on its data plus what operators corrected, and put
the new version in use only when it does better on the newest corrections than the version in use.

The data is the active version's own training copy (for a version made by learning, only the part that was
not corrections, so a correction is never counted twice and a correction changed since counts with its last
value) and every usable correction, oldest first. The newest ``holdout`` share of the corrections is held out:
the candidate is trained without it and both the version in use and the candidate are scored on it, which is
the question a centre asks ("would the new model have got this week's calls right?"). When the candidate wins
(or ``force``), the chosen recipe is refitted on everything, corrections held out included, and installed:
the held-out ones are the newest and the most like the calls to come.

The held-out corrections are calls the model in use got wrong when it drafted them, so they flatter any
candidate trained on the older ones; the comparison is between two models on the same calls, which is fair,
but the scores are not the accuracy on all calls (bench/learning.py measures that).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, f1_score

from assistant.centre import Centre
from assistant.classify import persist, versions
from assistant.classify.catalog import META_FILE
from assistant.classify.recipe import build, select_and_fit
from assistant.errors import ModelError

MIN_CORRECTIONS = 20  # fewer cannot give a held-out set of a few calls and still leave some to learn from
MIN_HELD_OUT = 5


@dataclass(frozen=True)
class Example:
    """One correction as learning reads it: its id in the store, the call's text, the confirmed label."""

    id: int
    text: str
    label: str


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    n: int

    @classmethod
    def of(cls, truth: list[str], predicted) -> Scores:
        """Accuracy, and macro-F1 over the labels either side names (a label absent from both says nothing)."""
        return cls(round(float(accuracy_score(truth, predicted)), 4),
                   round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4), len(truth))


@dataclass(frozen=True)
class Outcome:
    field: str
    old_version: str
    old: Scores
    new: Scores
    corrections: int
    held_out: int
    first_id: int
    last_id: int
    installed: str | None  # the new version's name, or None when the version in use stays

    @property
    def better(self) -> bool:
        return (self.new.macro_f1, self.new.accuracy) > (self.old.macro_f1, self.old.accuracy)


class TooFewCorrections(ModelError):
    """Not enough corrections of a field to learn from and to judge the result on."""


def base_data(folder: Path, labels: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The data the version in ``folder`` was trained on, without the corrections a learned version added;
    rows whose label the taxonomy no longer lists are left out."""
    texts, found = persist.folder_training_data(folder)
    metadata = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    rows = int(metadata.get("learned", {}).get("base_rows", len(texts)))
    kept = [(t, lab) for t, lab in zip(texts[:rows], found[:rows], strict=True) if lab in labels]
    return [t for t, _ in kept], [lab for _, lab in kept]


def split(examples: list[Example], holdout: float) -> tuple[list[Example], list[Example]]:
    """Oldest for training, newest ``holdout`` share (at least ``MIN_HELD_OUT``) held out."""
    held = max(MIN_HELD_OUT, round(len(examples) * holdout))
    return examples[:-held], examples[-held:]


def _sha256(texts, labels) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def learn(centre: Centre, field: str, examples: list[Example], *, holdout: float = 0.2, force: bool = False,
          skipped: dict[str, int] | None = None, progress: Callable | None = None) -> Outcome:
    """Train a candidate for ``field`` on its data and ``examples`` (corrections, oldest first), compare it
    with the version in use on the newest ones, and install it when it is better or ``force``."""
    versions.refuse_shipped(centre)
    labels = centre.taxonomy.labels(field)
    if len(examples) < MIN_CORRECTIONS:
        raise TooFewCorrections(
            f"{field} 只有 {len(examples)} 条可用的更正，至少需要 {MIN_CORRECTIONS} 条才能学习并检验效果",
            "继续在接线台或用 hotline tickets edit 更正工单，攒够后再运行 hotline learn")
    root = centre.models_dir
    versions.check_versioned(root, field)
    active = versions.active_folder(root, field)
    old = persist.load(active)
    base_texts, base_labels = base_data(active, labels)
    train, held = split(examples, holdout)
    held_texts, held_truth = [e.text for e in held], [e.label for e in held]
    candidate = select_and_fit(base_texts + [e.text for e in train], base_labels + [e.label for e in train],
                               progress=progress)
    outcome = Outcome(field=field, old_version=active.name, corrections=len(examples), held_out=len(held),
                      old=Scores.of(held_truth, old.pipeline.predict(held_texts)),
                      new=Scores.of(held_truth, candidate.pipeline.predict(held_texts)),
                      first_id=min(e.id for e in examples), last_id=max(e.id for e in examples), installed=None)
    if not (outcome.better or force):
        return outcome
    texts = base_texts + [e.text for e in examples]
    found = base_labels + [e.label for e in examples]
    pipeline = build(candidate.candidate, min(Counter(found).values()))
    with warnings.catch_warnings():  # as in the recipe: a rare label's fold warnings say nothing here
        warnings.simplefilter("ignore", category=UserWarning)
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        pipeline.fit(texts, found)
    version = versions.new_version(root, (field,), "learn")
    persist.save(root / field / version, pipeline, name=field, texts=texts, labels=found,
                 data_sha256=_sha256(texts, found), metrics=candidate.summary(), extra={
                     "made": "learn",
                     "source": f"{active.name} 的训练数据 + 更正 #{outcome.first_id}–#{outcome.last_id}",
                     "learned": {
                         "from_version": active.name, "base_rows": len(base_texts),
                         "corrections": len(examples), "correction_ids": [outcome.first_id, outcome.last_id],
                         "held_out": len(held), "held_out_ids": [held[0].id, held[-1].id],
                         "skipped": dict(skipped or {}), "forced": force and not outcome.better,
                         "scores": {"old": asdict(outcome.old), "new": asdict(outcome.new)},
                     }})
    versions.activate(root, field, version)
    return replace(outcome, installed=version)
