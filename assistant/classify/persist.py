"""Save and load classifiers: joblib beside a metadata JSON that must match.

The metadata records the labels, a hash of the training data, the cross-validation metrics, the versions of
the libraries that pickled the model and the model file's own SHA-256. Loading checks all of that and refuses
a mismatch with a message that says what differs, instead of silently loading a model scikit-learn may
misread. Only folders written by ``save`` are loaded.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import joblib

from assistant import __version__
from assistant.classify.catalog import META_FILE
from assistant.errors import ModelError
from assistant.files import sha256_file

FORMAT = 2  # 2: character features no longer see punctuation (tokenize.squash)
MODEL_FILE = "model.joblib"
DATA_FILE = "train.jsonl.gz"


def _versions() -> dict:
    import jieba
    import numpy
    import sklearn

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "numpy": numpy.__version__,
            "jieba": jieba.__version__, "hotline-assistant": __version__}



@dataclass(frozen=True)
class LoadedModel:
    pipeline: object
    metadata: dict
    folder: Path

    @property
    def labels(self) -> list[str]:
        return self.metadata["labels"]

    @property
    def name(self) -> str:
        return self.metadata["name"]


def save(folder: str | Path, pipeline, *, name: str, texts, labels, data_sha256: str, metrics: dict,
         extra: dict | None = None) -> Path:
    """Write model, metadata and a copy of the training data atomically (a temp folder renamed in place)."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    tmp.chmod(0o755)
    joblib.dump(pipeline, tmp / MODEL_FILE, compress=3)
    with gzip.open(tmp / DATA_FILE, "wt", encoding="utf-8") as f:
        for text, label in zip(texts, labels, strict=True):
            f.write(json.dumps({"text": text, "label": label}, ensure_ascii=False) + "\n")
    metadata = {
        "format": FORMAT,
        "name": name,
        "labels": [str(c) for c in pipeline.classes_],
        "n_rows": len(texts),
        "data_sha256": data_sha256,
        "metrics": metrics,
        "versions": _versions(),
        "model_sha256": sha256_file(tmp / MODEL_FILE),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        **(extra or {}),
    }
    (tmp / META_FILE).write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if folder.exists():
        old = folder.with_name(f".{folder.name}-old")
        os.replace(folder, old)
        os.replace(tmp, folder)
        for p in old.iterdir():
            p.unlink()
        old.rmdir()
    else:
        os.replace(tmp, folder)
    return folder


def load(folder: str | Path) -> LoadedModel:
    folder = Path(folder)
    meta_path, model_path = folder / META_FILE, folder / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise ModelError(f"{folder} 不是分类模型目录（缺少 {META_FILE} 或 {MODEL_FILE}）",
                         "用 hotline train 训练生成模型目录")
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{meta_path} 无法读取：{exc}") from exc
    if metadata.get("format") != FORMAT:
        raise ModelError(
            f"{folder}：模型格式 {metadata.get('format')} 与本程序（{FORMAT}）不符", "请用 hotline train 重新训练"
        )
    if sha256_file(model_path) != metadata.get("model_sha256"):
        raise ModelError(f"{model_path} 与 {META_FILE} 不匹配（文件被替换或损坏）", "请用 hotline train 重新训练")
    trained = metadata.get("versions", {}).get("scikit-learn", "?")
    import sklearn

    if trained.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(f"{folder}：模型由 scikit-learn {trained} 训练，当前为 {sklearn.__version__}，不能安全加载",
                         "请用 hotline train 重新训练")
    pipeline = joblib.load(model_path)
    if [str(c) for c in pipeline.classes_] != metadata.get("labels"):
        raise ModelError(f"{folder}：模型的标签与元数据不一致", "请用 hotline train 重新训练")
    return LoadedModel(pipeline=pipeline, metadata=metadata, folder=folder)


def training_data(model: LoadedModel) -> tuple[list[str], list[str]]:
    return folder_training_data(model.folder)


def folder_training_data(folder: Path) -> tuple[list[str], list[str]]:
    """The copy of the training data kept beside a model (``train.jsonl.gz``): texts and labels."""
    path = folder / DATA_FILE
    if not path.is_file():
        raise ModelError(f"{folder} 中没有训练数据副本 {DATA_FILE}", "请用 --data 指定数据")
    texts, labels = [], []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["label"])
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"训练数据副本 {path} 无法读取：{exc}",
                         "该版本的数据已损坏，请换用其他版本或重新训练") from exc
    return texts, labels
