"""Temperature-calibrated linear SVM: the SVM's decisions, with honest probabilities.

Sigmoid calibration (``CalibratedClassifierCV``) fits one sigmoid per class, which can change which class
comes out on top and cost accuracy on small data (docs/decisions/0011-classifier-recipe.md). A single
temperature over all classes keeps the SVM's ranking and only sets how confident the probabilities are; it is
fitted on out-of-fold margins, so it is not fooled by the SVM's margins on its own training data.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.svm import LinearSVC


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _margins(model, x, classes: np.ndarray) -> np.ndarray:
    """Decision values as an (n, len(classes)) matrix, whatever classes ``model`` saw."""
    raw = model.decision_function(x)
    if raw.ndim == 1:
        raw = np.column_stack([-raw, raw])
    out = np.full((raw.shape[0], len(classes)), raw.min() - 1.0)
    index = {c: i for i, c in enumerate(classes)}
    for j, c in enumerate(model.classes_):
        out[:, index[c]] = raw[:, j]
    return out


def fit_temperature(estimator, x, y, classes, folds: int) -> float:
    """The softmax temperature that best fits ``estimator``'s out-of-fold margins on (``x``, ``y``): the one
    number that turns a margin classifier's scores into probabilities without changing its ranking."""
    counts = np.unique(y, return_counts=True)[1]
    splitter = (StratifiedKFold(folds, shuffle=True, random_state=0) if counts.min() >= folds
                else KFold(folds, shuffle=True, random_state=0))
    oof = np.zeros((len(y), len(classes)))
    for train, test in splitter.split(x, y):
        if len(np.unique(y[train])) >= 2:
            oof[test] = _margins(clone(estimator).fit(x[train], y[train]), x[test], classes)
    target = np.searchsorted(classes, y)

    def loss(log_t: float) -> float:
        p = _softmax(oof / np.exp(log_t))
        return float(-np.mean(np.log(p[np.arange(len(y)), target] + 1e-12)))

    return float(np.exp(minimize_scalar(loss, bounds=(-5, 5), method="bounded").x))


class TemperatureSVC(ClassifierMixin, BaseEstimator):
    def __init__(self, C: float = 1.0, class_weight=None, folds: int = 3):
        self.C = C
        self.class_weight = class_weight
        self.folds = folds

    def fit(self, x, y):
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        base = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=0)
        self.temperature_ = fit_temperature(base, x, y, self.classes_, self.folds)
        self.svm_ = base.fit(x, y)
        return self

    def decision_function(self, x):
        return _margins(self.svm_, x, self.classes_)

    def predict(self, x):
        return self.classes_[np.argmax(self.decision_function(x), axis=1)]

    def predict_proba(self, x):
        return _softmax(self.decision_function(x) / self.temperature_)
