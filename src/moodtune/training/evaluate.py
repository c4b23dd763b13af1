"""Score a shipped (ONNX) expression model on a labelled face set; onnxruntime only."""

from __future__ import annotations

from collections.abc import Callable

from moodtune.perception.expression import ExpressionModel

from .data.fer2013 import FaceDataset
from .metrics import classification_metrics

__all__ = ["evaluate_model"]


def evaluate_model(
    model: ExpressionModel,
    data: FaceDataset,
    *,
    batch_size: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Metrics of ``model`` on ``data``, single view and with horizontal-flip TTA.

    Returns ``classification_metrics`` of the single view at the top level, plus
    ``"flip_tta"`` (the same metrics with horizontal-flip test-time augmentation),
    ``"model"`` and ``"split"``. ``progress`` is called with (faces scored, faces) after each batch.
    """
    import numpy as np

    single, flipped = [], []
    for start in range(0, len(data), batch_size):
        batch = data.images[start : start + batch_size]
        single.append(model.predict_proba(batch))
        flipped.append(model.predict_proba(batch, flip_tta=True))
        if progress is not None:
            progress(min(start + batch_size, len(data)), len(data))
    result = classification_metrics(data.labels, np.concatenate(single), model.labels)
    tta = classification_metrics(data.labels, np.concatenate(flipped), model.labels)
    result["flip_tta"] = tta
    result["model"] = model.config.name
    result["split"] = data.split
    return result
