"""Read a labelled archive (CSV, XLSX or JSON Lines) the way hotline offices export them.

Real archives have Chinese headers, GBK-encoded CSVs, empty cells, repeated rows and labels seen once.
Each of these is handled and *said*: the returned ``Table.notes`` are printed by the CLI, so the user knows
what was dropped and why. Anything that makes training impossible is an ``DataError`` naming the file.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.tables import TableError, read_rows


class DataError(TableError):
    """A training or evaluation file that cannot be used."""


@dataclass(frozen=True)
class Table:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    source: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for text, label in zip(self.texts, self.labels, strict=True):
            digest.update(f"{label}\t{text}\n".encode())
        return digest.hexdigest()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def load_table(path: str | Path, text_col: str, label_col: str, *, min_labels: int = 2) -> Table:
    """Read ``path`` and return clean (text, label) pairs, with notes on everything dropped."""
    path = Path(path)
    rows = read_rows(path)
    if not rows:
        raise DataError(f"{path}：没有数据行")
    columns = [c for c in rows[0].keys() if c is not None]
    columns = [str(c).strip().lstrip("\ufeff") for c in columns]
    for wanted in (text_col, label_col):
        if wanted not in columns:
            raise DataError(f"{path}：没有列“{wanted}”", f"现有的列：{'、'.join(columns)}")
    notes: list[str] = []
    empty = 0
    pairs: list[tuple[str, str]] = []
    for row in rows:
        row = {str(k).strip().lstrip("\ufeff"): v for k, v in row.items() if k is not None}
        text, label = _cell(row.get(text_col)), _cell(row.get(label_col))
        if not text or not label:
            empty += 1
            continue
        pairs.append((text, label))
    if empty:
        notes.append(f"跳过 {empty} 行：“{text_col}”或“{label_col}”为空")
    unique = list(dict.fromkeys(pairs))
    if len(unique) < len(pairs):
        notes.append(f"去掉 {len(pairs) - len(unique)} 行重复数据（文本和标签都相同）")
    by_text = Counter(t for t, _ in unique)
    conflicts = sum(1 for n in by_text.values() if n > 1)
    if conflicts:
        notes.append(f"有 {conflicts} 条文本带有不同的标签，均保留")
    counts = Counter(label for _, label in unique)
    if len(counts) < min_labels:
        raise DataError(f"{path}：“{label_col}”只有 {len(counts)} 种标签，至少需要 {min_labels} 种")
    rare = sorted(label for label, n in counts.items() if n == 1)
    if rare:
        notes.append(f"标签只出现 1 次：{'、'.join(rare)}（保留用于训练，交叉验证无法评估它们）")
    return Table(
        texts=tuple(t for t, _ in unique), labels=tuple(label for _, label in unique), source=str(path),
        notes=tuple(notes),
    )
