"""Train and evaluate: the functions behind ``hotline train`` and ``hotline evaluate``.

The shipped models are trained from the seed data in ``assistant/classify/seed/seed.tsv`` (written for the
project) into ``models/<label set>/``; ``hotline train`` with no arguments rebuilds them, and because the
recipe's folds are seeded the result is the same every time.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from assistant.classify import persist
from assistant.classify.catalog import SHIPPED_LABEL_SETS, models_dir
from assistant.classify.data import Table, load_table
from assistant.classify.recipe import select_and_fit

SEED_FILE = Path(__file__).with_name("seed") / "seed.tsv"
def train_table(table: Table, out: Path, name: str, *, progress: Callable | None = None) -> dict:
    selection = select_and_fit(table.texts, table.labels, progress=progress)
    metrics = selection.summary()
    persist.save(out, selection.pipeline, name=name, texts=table.texts, labels=table.labels,
                 data_sha256=table.sha256(), metrics=metrics, extra={"source": Path(table.source).name})
    return metrics


def seed_table(label_set: str) -> Table:
    with SEED_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return Table(texts=tuple(r["text"] for r in rows), labels=tuple(r[label_set] for r in rows),
                 source=str(SEED_FILE))


def train_shipped(out_root: Path | None = None, progress: Callable | None = None) -> dict[str, dict]:
    out_root = out_root or models_dir()
    return {name: train_table(seed_table(name), out_root / name, name, progress=progress)
            for name in SHIPPED_LABEL_SETS}


def report(labels_true, labels_pred, labels: list[str]) -> str:
    """Per-class precision / recall / F1, the confusion matrix, and a last line with the macro-F1."""
    present = [lab for lab in labels if lab in set(labels_true) | set(labels_pred)]
    extra = sorted((set(labels_true) | set(labels_pred)) - set(present))
    order = present + extra
    p, r, f, s = precision_recall_fscore_support(labels_true, labels_pred, labels=order, zero_division=0)
    width = max(6, *(len(x) * 2 for x in order))
    lines = [f"{'类别':<{width - 2}} 精确率  召回率  F1      样本数"]
    for lab, pi, ri, fi, si in zip(order, p, r, f, s, strict=True):
        lines.append(f"{lab:<{width - len(lab)}} {pi:6.3f}  {ri:6.3f}  {fi:6.3f}  {si:6d}")
    lines.append("")
    lines.append("混淆矩阵（行：真实，列：预测）")
    matrix = confusion_matrix(labels_true, labels_pred, labels=order)
    short = [lab[:4] for lab in order]
    lines.append(" " * 10 + " ".join(f"{s:>6}" for s in short))
    for lab, row in zip(short, matrix, strict=True):
        lines.append(f"{lab:<{10 - len(lab)}}" + " ".join(f"{v:>8d}" for v in row))
    macro = float(np.mean(f[: len(present)])) if present else 0.0
    accuracy = float(np.mean(np.asarray(labels_true) == np.asarray(labels_pred)))
    lines.append("")
    lines.append(f"macro-F1 {macro:.4f}  accuracy {accuracy:.4f}  n={len(labels_true)}")
    return "\n".join(lines)


def evaluate(model_dir: Path, data: Path | None, text_col: str | None, label_col: str | None) -> str:
    from assistant.classify.recipe import Candidate, build, folds

    model = persist.load(model_dir)
    if data is not None:
        table = load_table(data, text_col, label_col, min_labels=1)
        predicted = model.pipeline.predict(list(table.texts))
        notes = "\n".join(table.notes)
        return (notes + "\n" if notes else "") + report(list(table.labels), list(predicted), model.labels)
    texts, labels = persist.training_data(model)
    chosen = Candidate(**{k: v for k, v in model.metadata["metrics"]["chosen"].items() if k != "name"})
    from collections import Counter

    min_count = min(Counter(labels).values())
    labels_arr = np.asarray(labels, dtype=object)
    predicted = np.empty(len(labels), dtype=object)
    for train, test in folds(labels).split(texts, labels):
        pipe = build(chosen, min_count).fit([texts[i] for i in train], labels_arr[train])
        predicted[test] = pipe.predict([texts[i] for i in test])
    return "（训练数据上的交叉验证）\n" + report(labels, list(predicted), model.labels)
