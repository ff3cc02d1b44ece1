"""Where the classifiers live and what each one knows, read without loading scikit-learn.

Commands that only need a model's labels (checking a unit directory's ``handles``) read its metadata here and
start in a fraction of the time loading the model takes.
"""

from __future__ import annotations

import json
from pathlib import Path

META_FILE = "metadata.json"
# The label fields the drafter classifies, each a model folder under models/.
SHIPPED_LABEL_SETS = ("appeal_type", "category", "urgency")


def models_dir() -> Path:
    """The repository's ``models/`` folder (where the shipped classifiers live)."""
    return Path(__file__).resolve().parents[2] / "models"


def model_labels(name: str, root: Path | None = None) -> tuple[str, ...]:
    """The labels the model ``name`` was trained on, from its metadata; empty when there is no such model."""
    try:
        metadata = json.loads(((root or models_dir()) / name / META_FILE).read_text(encoding="utf-8"))
        return tuple(str(label) for label in metadata["labels"])
    except (OSError, ValueError, KeyError, TypeError):
        return ()
