"""The training recipe: a few candidate pipelines, the one with the best cross-validated macro-F1 wins.

Features, class weights and the classifier's strength are not set by hand: each candidate below is scored by
stratified cross-validation on the data at hand and the best is refitted on all of it. Every candidate gives
calibrated probabilities (logistic regression, or a linear SVM with a fitted temperature), because the
console shows them to the operator as confidence and ranks the top 3.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from assistant.classify.calibrate import TemperatureSVC
from assistant.classify.tokenize import squash, words

log = logging.getLogger("assistant.classify")


@dataclass(frozen=True)
class Candidate:
    features: str  # "char" | "char-tf" | "char+word"
    model: str  # "svm" | "logreg"
    C: float
    balanced: bool

    @property
    def name(self) -> str:
        weight = "balanced" if self.balanced else "unweighted"
        return f"{self.features} {self.model} C={self.C:g} {weight}"


CANDIDATES = (
    Candidate("char-tf", "svm", 1.0, False),
    Candidate("char", "svm", 1.0, False),
    Candidate("char", "svm", 1.0, True),
    Candidate("char+word", "svm", 1.0, False),
    Candidate("char+word", "svm", 1.0, True),
    Candidate("char", "logreg", 20.0, True),
)


def _features(kind: str) -> FeatureUnion:
    """``char``: character 1-3-grams with sublinear tf; ``char-tf``: the same with raw term counts;
    ``char+word``: character n-grams and jieba words."""
    parts = [("char", TfidfVectorizer(preprocessor=squash, analyzer="char", ngram_range=(1, 3),
                                      sublinear_tf=kind != "char-tf", dtype=np.float32))]
    if kind == "char+word":
        parts.append(("word", TfidfVectorizer(analyzer=words, sublinear_tf=True, dtype=np.float32)))
    return FeatureUnion(parts)


def _classifier(candidate: Candidate, min_count: int):
    weight = "balanced" if candidate.balanced else None
    if candidate.model == "logreg":
        return LogisticRegression(C=candidate.C, class_weight=weight, max_iter=3000, random_state=0)
    return TemperatureSVC(C=candidate.C, class_weight=weight)


def build(candidate: Candidate, min_count: int) -> Pipeline:
    """A fresh, unfitted pipeline for ``candidate``; ``min_count`` is the rarest label's count."""
    return Pipeline([("features", _features(candidate.features)), ("classifier", _classifier(candidate, min_count))])


def baseline() -> Pipeline:
    """The plain alternative the recipe must beat: character TF-IDF and a default LinearSVC."""
    return Pipeline([("features", TfidfVectorizer(analyzer="char", ngram_range=(1, 3))), ("classifier", LinearSVC())])


def folds(labels) -> StratifiedKFold:
    largest = max(Counter(labels).values())
    n = 5 if len(labels) >= 100 else 3
    return StratifiedKFold(n_splits=max(2, min(n, largest)), shuffle=True, random_state=0)


def _scores(labels, predicted) -> dict:
    return {
        "macro_f1": round(float(f1_score(labels, predicted, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
    }


@dataclass(frozen=True)
class Selection:
    candidate: Candidate
    pipeline: Pipeline  # fitted on all the data
    scores: dict  # candidate name -> {"macro_f1", "accuracy"}
    baseline: dict  # the plain alternative's {"macro_f1", "accuracy"}

    def summary(self) -> dict:
        return {"chosen": asdict(self.candidate) | {"name": self.candidate.name}, "cv": self.scores,
                "baseline_cv": self.baseline}


def select_and_fit(texts, labels, candidates=CANDIDATES, progress=None) -> Selection:
    """Score every candidate by cross-validation, refit the best on everything.

    Features are computed once per fold and shared by the candidates that use them, so the grid costs little
    more than one cross-validation of each classifier.
    """
    texts, labels = list(texts), np.asarray(labels, dtype=object)
    min_count = min(Counter(labels).values())
    predicted = {c: np.empty(len(labels), dtype=object) for c in candidates}
    base_pred = np.empty(len(labels), dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        for train, test in folds(labels).split(texts, labels):
            train_texts = [texts[i] for i in train]
            test_texts = [texts[i] for i in test]
            fold_min = min(Counter(labels[train]).values())
            for kind in sorted({c.features for c in candidates}):
                union = _features(kind)
                x_train, x_test = union.fit_transform(train_texts), union.transform(test_texts)
                for c in (c for c in candidates if c.features == kind):
                    clf = _classifier(c, fold_min).fit(x_train, labels[train])
                    predicted[c][test] = clf.predict(x_test)
            plain = baseline().fit(train_texts, labels[train])
            base_pred[test] = plain.predict(test_texts)
    scores = {c.name: _scores(labels, predicted[c]) for c in candidates}
    if progress:
        for c in candidates:
            progress(c.name, scores[c.name])
    chosen = max(candidates, key=lambda c: (scores[c.name]["macro_f1"], -candidates.index(c)))
    pipeline = build(chosen, min_count)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        pipeline.fit(texts, list(labels))
    return Selection(candidate=chosen, pipeline=pipeline, scores=scores, baseline=_scores(labels, base_pred))
