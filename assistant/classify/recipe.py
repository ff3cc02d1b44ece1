"""The training recipe: a few candidate pipelines, the one with the best cross-validated macro-F1 wins.

Features, class weights and the classifier's strength are not set by hand: each candidate below is scored by
stratified cross-validation on the data at hand and the best is refitted on all of it. Every candidate gives
calibrated probabilities (logistic regression, or a linear model with one fitted temperature), because the
console shows them to the operator as confidence and ranks the top 3.

The candidates are the few that won somewhere in docs/decisions/0017-recipe-nb-svm.md, not a grid: every extra
candidate costs a cross-validation and, chosen on the same folds it is scored on, flatters the reported score a
little more. Older candidates stay buildable so that ``hotline evaluate`` can re-run a saved model's recipe.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from assistant.classify.calibrate import TemperatureSVC, _margins, _softmax, fit_temperature
from assistant.classify.tokenize import squash, words

log = logging.getLogger("assistant.classify")


@dataclass(frozen=True)
class Candidate:
    features: str  # "wordchar" | "wordchar-tf" | "char"; in models saved before 0017 also "char-tf" | "char+word"
    model: str  # "nbsvm" | "svm" | "logreg"
    C: float
    balanced: bool

    @property
    def name(self) -> str:
        weight = "balanced" if self.balanced else "unweighted"
        return f"{self.features} {self.model} C={self.C:g} {weight}"


CANDIDATES = (  # docs/decisions/0017-recipe-nb-svm.md
    Candidate("wordchar", "nbsvm", 0.3, True),
    Candidate("wordchar", "nbsvm", 0.3, False),
    Candidate("wordchar-tf", "nbsvm", 0.3, True),
    Candidate("wordchar", "svm", 0.3, True),
    Candidate("char", "svm", 1.0, True),
)


def segmented(text: str) -> str:
    """The text as jieba words with a space between them: raw and already-segmented text come out alike, so a
    model trained on a segmented archive reads unsegmented transcripts the same way."""
    return " ".join(words(text))


def _features(kind: str) -> FeatureUnion:
    """``wordchar``: character 1-4-grams of the jieba-segmented text (word boundaries are a feature, punctuation
    is not), seen in at least two texts, sublinear tf; ``wordchar-tf``: 1-3-grams, raw term counts. The older
    kinds: ``char`` (1-3-grams of the squashed text, sublinear tf), ``char-tf`` (raw term counts), ``char+word``
    (``char`` and jieba words)."""
    if kind == "wordchar":
        return FeatureUnion([("char", TfidfVectorizer(preprocessor=segmented, analyzer="char", ngram_range=(1, 4),
                                                      sublinear_tf=True, min_df=2, dtype=np.float32))])
    if kind == "wordchar-tf":
        return FeatureUnion([("char", TfidfVectorizer(preprocessor=segmented, analyzer="char", ngram_range=(1, 3),
                                                      dtype=np.float32))])
    parts = [("char", TfidfVectorizer(preprocessor=squash, analyzer="char", ngram_range=(1, 3),
                                      sublinear_tf=kind != "char-tf", dtype=np.float32))]
    if kind == "char+word":
        parts.append(("word", TfidfVectorizer(analyzer=words, sublinear_tf=True, dtype=np.float32)))
    return FeatureUnion(parts)


class NBSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM plus, for each class, an SVM over the features scaled by that class's naive Bayes
    log-count ratio (Wang and Manning's NB-SVM, one class against the rest), their margins added.

    The ratio lifts the n-grams that tell a class apart and damps the ones every class uses, which a plain SVM
    on short texts learns only from many examples; the plain SVM beside it keeps what the ratio flattens. Both
    are linear in the features, so the sum is one linear model: ``coef_`` and ``intercept_``.
    """

    def __init__(self, C: float = 0.3, class_weight=None, alpha: float = 1.0):
        self.C = C
        self.class_weight = class_weight
        self.alpha = alpha

    def fit(self, x, y):
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        plain = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=0).fit(x, y)
        coef, intercept = plain.coef_, plain.intercept_
        if len(self.classes_) == 2:  # one row for the second class; the first is its mirror image
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        seen = x.copy()
        seen.data[:] = 1
        self.coef_, self.intercept_ = np.array(coef, dtype=np.float64), np.array(intercept, dtype=np.float64)
        for i, label in enumerate(self.classes_):
            mine = y == label
            ratio = self._log_ratio(seen[mine], seen[~mine])
            svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=0)
            svm.fit(x.multiply(ratio).tocsr(), mine)
            self.coef_[i] += svm.coef_.ravel() * ratio
            self.intercept_[i] += svm.intercept_[0]
        return self

    def _log_ratio(self, mine, rest) -> np.ndarray:
        p = self.alpha + np.asarray(mine.sum(axis=0)).ravel()
        q = self.alpha + np.asarray(rest.sum(axis=0)).ravel()
        return np.log(p / p.sum()) - np.log(q / q.sum())

    def decision_function(self, x):
        return np.asarray(x @ self.coef_.T) + self.intercept_

    def predict(self, x):
        return self.classes_[np.argmax(self.decision_function(x), axis=1)]


class Tempered(ClassifierMixin, BaseEstimator):
    """Any margin classifier with probabilities from one softmax temperature fitted on out-of-fold margins:
    ``TemperatureSVC``'s calibration for a model other than the plain SVM."""

    def __init__(self, estimator=None, folds: int = 3):
        self.estimator = estimator
        self.folds = folds

    def fit(self, x, y):
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        self.temperature_ = fit_temperature(self.estimator, x, y, self.classes_, self.folds)
        self.model_ = clone(self.estimator).fit(x, y)
        return self

    def decision_function(self, x):
        return _margins(self.model_, x, self.classes_)

    def predict(self, x):
        return self.classes_[np.argmax(self.decision_function(x), axis=1)]

    def predict_proba(self, x):
        return _softmax(self.decision_function(x) / self.temperature_)


def _classifier(candidate: Candidate, min_count: int, calibrated: bool = True):
    """The candidate's classifier; ``calibrated=False`` gives the one that predicts the same labels without
    fitting the temperature, which is all cross-validation needs."""
    weight = "balanced" if candidate.balanced else None
    if candidate.model == "logreg":
        return LogisticRegression(C=candidate.C, class_weight=weight, max_iter=3000, random_state=0)
    if candidate.model == "nbsvm":
        model = NBSVC(C=candidate.C, class_weight=weight)
        return Tempered(model) if calibrated else model
    if calibrated:
        return TemperatureSVC(C=candidate.C, class_weight=weight)
    return LinearSVC(C=candidate.C, class_weight=weight, random_state=0)


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

    Features are computed once per fold and shared by the candidates that use them, and the folds fit the
    classifiers without their calibration (it does not change which label wins), so the grid costs little
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
                    clf = _classifier(c, fold_min, calibrated=False).fit(x_train, labels[train])
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
