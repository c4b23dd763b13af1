"""Loaders for the two text-emotion datasets, with their labels mapped onto ``EMOTIONS``.

Label mapping (documented in docs/models/text_mood.md):

- dair-ai emotion: joy → happy, love → happy, sadness → sad, anger → angry,
  fear → fear, surprise → surprise. dair-ai has no disgust and no neutral.
- GoEmotions: each of the 27 emotions → its Ekman group by the authors'
  ``ekman_mapping.json`` (anger → angry, disgust → disgust, fear → fear,
  joy → happy, sadness → sad, surprise → surprise); ``neutral`` → neutral.
  A multi-label row is kept when all its labels map to the same class and
  dropped when they map to different classes (about 8% of rows).
"""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.errors import DataError

__all__ = ["DAIR_TO_EMOTION", "EKMAN_TO_EMOTION", "TextDataset", "load_dair", "load_goemotions"]

DAIR_TO_EMOTION = {"joy": "happy", "love": "happy", "sadness": "sad", "anger": "angry", "fear": "fear",
                   "surprise": "surprise"}  # fmt: skip
EKMAN_TO_EMOTION = {"anger": "angry", "disgust": "disgust", "fear": "fear", "joy": "happy", "sadness": "sad",
                    "surprise": "surprise", "neutral": "neutral"}  # fmt: skip
#: the classes dair-ai can name; its accuracy is taken over these only.
DAIR_CLASSES = ("angry", "fear", "happy", "sad", "surprise")


@dataclass(frozen=True)
class TextDataset:
    """Texts and their class indices into ``EMOTIONS``."""

    name: str
    texts: tuple[str, ...]
    labels: np.ndarray  # int64 (n,)
    dropped: int = 0  # rows left out (GoEmotions: labels mapping to different classes)

    def __len__(self) -> int:
        return len(self.texts)


_DAIR_FILES = {"train": "train.csv", "validation": "validation.csv", "test": "test.csv"}
_GO_FILES = {"train": "train.tsv.gz", "validation": "dev.tsv.gz", "test": "test.tsv.gz"}


def load_dair(root: str | Path, split: str) -> TextDataset:
    """dair-ai emotion ``split`` (train, validation, test) from ``root`` (the folder holding ``dair_emotion/``)."""
    path = Path(root) / "dair_emotion" / _DAIR_FILES[split]
    if not path.is_file():
        raise DataError(f"dair-ai emotion file not found: {path}")
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            try:
                labels.append(EMOTIONS.index(DAIR_TO_EMOTION[row["label"]]))
            except KeyError as exc:
                raise DataError(f"{path}: unexpected row {row}") from exc
            texts.append(row["text"])
    return TextDataset(f"dair:{split}", tuple(texts), np.asarray(labels, dtype=np.int64))


def load_goemotions(root: str | Path, split: str) -> TextDataset:
    """GoEmotions ``split`` (train, validation, test) from ``root`` (the folder holding ``goemotions/``)."""
    folder = Path(root) / "goemotions"
    path = folder / _GO_FILES[split]
    try:
        names = (folder / "emotions.txt").read_text(encoding="utf-8").split()
        ekman = json.loads((folder / "ekman_mapping.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"GoEmotions label files missing or malformed in {folder}: {exc}") from exc
    group = {name: "neutral" for name in names}
    for ek, members in ekman.items():
        for m in members:
            group[m] = ek
    to_class = [EMOTIONS.index(EKMAN_TO_EMOTION[group[n]]) for n in names]
    if not path.is_file():
        raise DataError(f"GoEmotions file not found: {path}")
    texts, labels, dropped = [], [], 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            classes = {to_class[int(i)] for i in row[1].split(",")}
            if len(classes) != 1:
                dropped += 1
                continue
            texts.append(row[0])
            labels.append(classes.pop())
    return TextDataset(f"goemotions:{split}", tuple(texts), np.asarray(labels, dtype=np.int64), dropped)
