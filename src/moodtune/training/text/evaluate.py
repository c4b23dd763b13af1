"""Score a text-mood model on the dair-ai and GoEmotions test splits (numpy only).

- dair-ai: its labels mapped to ours (joy/love → happy, …). dair-ai names only 5 of
  our classes, so the prediction is the most probable of those 5 (disgust and
  neutral masked out and the rest renormalised); ``accuracy``, ``macro_f1`` and the
  confusion matrix are over these 5 classes. ``accuracy_unrestricted`` is the plain
  7-class argmax, for reference.
- GoEmotions: Ekman-6 + neutral (our 7 classes), rows whose labels map to different
  classes dropped (see ``data.py``); plain 7-class argmax.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.perception.text.model import TextMoodModel
from moodtune.training.metrics import classification_metrics

from .data import DAIR_CLASSES, TextDataset, load_dair, load_goemotions

__all__ = ["evaluate_text_model", "score_dataset"]


#: Texts scored between two progress reports: a smooth bar at no measurable cost.
_PROGRESS_EVERY = 500


def score_dataset(
    model: TextMoodModel,
    data: TextDataset,
    classes: tuple[str, ...] = EMOTIONS,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """``classification_metrics`` of ``model`` on ``data``, predicting among ``classes`` only.

    ``progress`` is called with (texts scored, texts) every few hundred texts and at the end.
    """
    rows = []
    for done, text in enumerate(data.texts, start=1):
        rows.append(model.predict_proba(text))
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == len(data)):
            progress(done, len(data))
    proba = np.stack(rows) if rows else np.zeros((0, len(EMOTIONS)))
    cols = np.array([EMOTIONS.index(c) for c in classes])
    sub = proba[:, cols]
    sub = sub / sub.sum(axis=1, keepdims=True)
    remap = {int(c): i for i, c in enumerate(cols)}
    y = np.array([remap[int(v)] for v in data.labels], dtype=np.int64)
    result = classification_metrics(y, sub, classes)
    result["labels"] = list(classes)
    result["accuracy_unrestricted"] = float(np.mean(proba.argmax(axis=1) == data.labels)) if len(data) else 0.0
    if data.dropped:
        result["dropped_rows"] = data.dropped
    return result


def evaluate_text_model(
    model: TextMoodModel,
    data_root: str | Path,
    split: str = "test",
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """``{"model", "split", "dair": {...}, "goemotions": {...}}`` on ``split`` of both datasets.

    ``progress`` is called with (texts scored, texts in both datasets) as ``score_dataset`` goes.
    """
    dair, goemotions = load_dair(data_root, split), load_goemotions(data_root, split)
    total = len(dair) + len(goemotions)

    def offset(first: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, _: progress(first + done, total)

    return {
        "model": model.name,
        "split": split,
        "dair": score_dataset(model, dair, DAIR_CLASSES, progress=offset(0)),
        "goemotions": score_dataset(model, goemotions, EMOTIONS, progress=offset(len(dair))),
    }
