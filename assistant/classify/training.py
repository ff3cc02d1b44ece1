"""Train and evaluate: the functions behind ``hotline train`` and ``hotline evaluate``.

A centre's models are trained from its profile's seed data (``training/seed.tsv``; the demo centre's was
written for the project) into a new version under its ``models/<label set>/``, which becomes the one in use;
``hotline train`` with no arguments does that, and because the recipe's folds are seeded the result is the same
every time.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from assistant.centre import Centre, active_centre
from assistant.centre.profile import TAXONOMY_FILE
from assistant.classify import persist, versions
from assistant.classify.catalog import SHIPPED_LABEL_SETS
from assistant.classify.data import DataError, Table, load_table
from assistant.classify.recipe import select_and_fit
from assistant.errors import ModelError

SEED_FILE = "seed.tsv"


def train_table(table: Table, out: Path, name: str, *, progress: Callable | None = None,
                extra: dict | None = None) -> dict:
    selection = select_and_fit(table.texts, table.labels, progress=progress)
    metrics = selection.summary()
    persist.save(out, selection.pipeline, name=name, texts=table.texts, labels=table.labels,
                 data_sha256=table.sha256(), metrics=metrics,
                 extra={"source": Path(table.source).name, **(extra or {})})
    return metrics


def seed_table(label_set: str, centre: Centre | None = None) -> Table:
    """The centre's seed data (``training/seed.tsv``: a text column and one column per label set)."""
    path = (centre or active_centre()).training_dir / SEED_FILE
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return Table(texts=tuple(r["text"] for r in rows), labels=tuple(r[label_set] for r in rows), source=str(path))


def train_shipped(out_root: Path | None = None, progress: Callable | None = None,
                  centre: Centre | None = None) -> dict[str, dict]:
    """Train every label set on the centre's seed data: into ``out_root/<label set>`` when given, else as a new
    version of the centre's models (one version name for the three), made the one in use."""
    centre = centre or active_centre()
    results = {}
    if out_root is None:
        for name in SHIPPED_LABEL_SETS:
            versions.check_versioned(centre.models_dir, name)
    tables = {name: seed_table(name, centre) for name in SHIPPED_LABEL_SETS}
    for name, table in tables.items():  # a typo in the seed data is said before a model drafting would refuse
        check_table_labels(table.labels, centre, name, f"training/{SEED_FILE}")
    version = versions.new_version(centre.models_dir, SHIPPED_LABEL_SETS, "seed")
    for name in SHIPPED_LABEL_SETS:
        table = tables[name]
        if out_root is not None:
            results[name] = train_table(table, out_root / name, name, progress=progress)
            continue
        results[name] = train_table(table, centre.models_dir / name / version, name, progress=progress,
                                    extra={"made": "seed"})
        versions.activate(centre.models_dir, name, version)
    return results


def check_table_labels(labels, centre: Centre, field: str, source: str) -> None:
    """Refuse data whose labels are not exactly the taxonomy's ``field`` labels: a model trained on it would be
    refused by drafting, so it is said before training, naming the labels and taxonomy.toml."""
    known = centre.taxonomy.labels(field)
    taxonomy = centre.folder / TAXONOMY_FILE
    seen = set(labels)
    unknown = sorted(seen - set(known))
    if unknown:
        raise DataError(f"{source}：标签 {'、'.join(unknown)} 不在本中心分类体系（{taxonomy} 的 [{field}]）中",
                        f"改正数据中的标签，或先在 taxonomy.toml 中加上它们；现有标签：{'、'.join(known)}")
    missing = [label for label in known if label not in seen]
    if missing:
        raise DataError(f"{source}：没有分类体系（{taxonomy} 的 [{field}]）中 {'、'.join(missing)} 的数据，"
                        "训练出的模型不能用于起草", "每个标签至少要有 2 条数据，或从 taxonomy.toml 中删去不用的标签")


@dataclass(frozen=True)
class Installed:
    field: str
    version: str
    folder: Path
    metrics: dict


def install_table(table: Table, centre: Centre, field: str, *, made: str = "data", progress: Callable | None = None,
                  extra: dict | None = None) -> Installed:
    """Train ``table`` as a new version of the centre's ``field`` model and make it the one drafting uses."""
    versions.refuse_shipped(centre)
    if field not in SHIPPED_LABEL_SETS:
        raise ModelError(f"模型名称 {field} 不是起草用的标签字段",
                         f"应为 {'、'.join(SHIPPED_LABEL_SETS)} 之一（--name）")
    check_table_labels(table.labels, centre, field, Path(table.source).name)
    versions.check_versioned(centre.models_dir, field)
    version = versions.new_version(centre.models_dir, (field,), made)
    folder = centre.models_dir / field / version
    metrics = train_table(table, folder, field, progress=progress, extra={"made": made, **(extra or {})})
    versions.activate(centre.models_dir, field, version)
    return Installed(field, version, folder, metrics)


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
