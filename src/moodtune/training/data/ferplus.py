"""FER+ crowd votes (``fer2013new.csv``) as targets for the FER2013 faces.

Row i of the FER+ file describes row i of ``fer2013.csv``; the files are joined
by position, never by image name (names repeat and 173 are empty). Each row has
10 annotators' votes over neutral, happiness, surprise, sadness, anger, disgust,
fear, contempt, unknown and NF ("not a face").

Mapping to moodtune's 7 emotions: the 7 shared classes map one to one; contempt
votes are dropped (our scale has no contempt, and folding it into disgust would
mislabel faces), and so are unknown votes. A row is dropped when NF or unknown
holds the most votes, or when no vote falls on our 7 classes. ``majority``
targets also drop rows whose top classes tie.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.errors import DataError

from .fer2013 import FaceDataset, load_fer2013

__all__ = ["FERPLUS_COLUMNS", "ferplus_targets", "load_ferplus", "load_ferplus_votes"]

FERPLUS_COLUMNS = (
    "neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt", "unknown", "NF",
)  # fmt: skip
_TO_OURS = {"anger": "angry", "disgust": "disgust", "fear": "fear", "happiness": "happy", "sadness": "sad",
            "surprise": "surprise", "neutral": "neutral"}  # fmt: skip


def load_ferplus_votes(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(votes (n_rows, 10) int in FERPLUS_COLUMNS order, usage (n_rows,) str) from ``fer2013new.csv``."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"Usage", *FERPLUS_COLUMNS} - set(reader.fieldnames or ())
            if missing:
                raise DataError(f"{path}: not a FER+ label file, missing columns {sorted(missing)}")
            rows = list(reader)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    try:
        votes = np.array([[int(r[c]) for c in FERPLUS_COLUMNS] for r in rows], dtype=np.int64).reshape(-1, 10)
    except ValueError as exc:
        raise DataError(f"{path}: vote counts must be integers ({exc})") from exc
    return votes, np.array([r["Usage"] for r in rows])


def ferplus_targets(votes: np.ndarray, mode: Literal["majority", "soft"]) -> tuple[np.ndarray, np.ndarray]:
    """Targets over EMOTIONS from vote rows (n, 10).

    Returns ``keep`` (n,) bool — the rows that stay — and the targets of the kept
    rows: class indices (majority) or probability rows of shape (n_kept, 7) (soft).
    """
    if mode not in ("majority", "soft"):
        raise DataError(f"FER+ target mode must be 'majority' or 'soft', got {mode!r}")
    ours = np.zeros((len(votes), len(EMOTIONS)))
    for column, emotion in _TO_OURS.items():
        ours[:, EMOTIONS.index(emotion)] = votes[:, FERPLUS_COLUMNS.index(column)]
    junk = votes[:, [FERPLUS_COLUMNS.index("unknown"), FERPLUS_COLUMNS.index("NF")]].max(axis=1)
    keep = (ours.sum(axis=1) > 0) & (ours.max(axis=1) > junk)
    if mode == "majority":
        top = ours.max(axis=1, keepdims=True)
        keep &= (ours == top).sum(axis=1) == 1
        return keep, ours[keep].argmax(axis=1).astype(np.int64)
    kept = ours[keep]
    return keep, kept / kept.sum(axis=1, keepdims=True)


def load_ferplus(
    fer2013_csv: str | Path, ferplus_csv: str | Path, split: str, *, mode: Literal["majority", "soft"] = "majority"
) -> FaceDataset:
    """FER2013 faces of one split with FER+ targets (rows dropped as described in the module docstring).

    ``labels`` are the majority classes in both modes; ``soft_labels`` is set in soft mode.
    """
    faces = load_fer2013(fer2013_csv)
    votes, usage = load_ferplus_votes(ferplus_csv)
    if len(votes) != len(faces):
        raise DataError(f"{ferplus_csv} has {len(votes)} rows but {fer2013_csv} has {len(faces)}; they join by row")
    in_split = usage == split
    keep, targets = ferplus_targets(votes[in_split], mode)
    subset = faces.subset(np.flatnonzero(in_split)[keep])
    if mode == "majority":
        return replace(subset, labels=targets, split=f"{split} (FER+ majority)")
    return replace(subset, labels=targets.argmax(axis=1), soft_labels=targets, split=f"{split} (FER+ soft)")
