"""Where the centre's classifiers live and what each one knows, read without loading scikit-learn.

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
    """The models folder of the centre in use."""
    from assistant.centre import active_centre

    return active_centre().models_dir


def model_labels(name: str, root: Path | None = None) -> tuple[str, ...]:
    """The labels the model in use for ``name`` was trained on, from its metadata; empty when there is none."""
    from assistant.classify.versions import active_folder
    from assistant.errors import AssistantError

    try:
        metadata = json.loads((active_folder(root or models_dir(), name) / META_FILE).read_text(encoding="utf-8"))
        return tuple(str(label) for label in metadata["labels"])
    except (AssistantError, OSError, ValueError, KeyError, TypeError):
        return ()


def label_difference(model_labels, taxonomy_labels) -> str:
    """How a model's labels differ from a taxonomy's, in words for a message (分类体系中没有的：…；模型不会的：…);
    empty when they are the same set."""
    extra = [label for label in model_labels if label not in taxonomy_labels]
    missing = [label for label in taxonomy_labels if label not in model_labels]
    return "；".join(part for part in (extra and f"分类体系中没有的：{'、'.join(extra)}",
                                       missing and f"模型不会的：{'、'.join(missing)}") if part)
