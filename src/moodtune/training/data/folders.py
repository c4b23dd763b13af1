"""FER2013 as image folders: ``<root>/train|test/<class>/*.png|jpg`` (the common Kaggle export)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.errors import DataError

from .fer2013 import FaceDataset

__all__ = ["load_image_folder"]

_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}
_SIDE = 48


def load_image_folder(root: str | Path, split: str = "train") -> FaceDataset:
    """Faces under ``root/split/<class>/``, class folders named after EMOTIONS (any case).

    Images are read as grayscale and resized to 48×48 when they differ. Files are
    taken in sorted order, so the result is reproducible.
    """
    base = Path(root) / split
    if not base.is_dir():
        raise DataError(f"{base}: no such folder (expected <root>/{split}/<class>/*.png)")
    images: list[np.ndarray] = []
    labels: list[int] = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        name = folder.name.lower()
        if name not in EMOTIONS:
            raise DataError(f"{folder}: unknown class folder; expected one of {', '.join(EMOTIONS)}")
        for file in sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES):
            face = cv2.imread(str(file), cv2.IMREAD_GRAYSCALE)
            if face is None:
                raise DataError(f"{file}: not a readable image")
            if face.shape != (_SIDE, _SIDE):
                face = cv2.resize(face, (_SIDE, _SIDE), interpolation=cv2.INTER_AREA)
            images.append(face)
            labels.append(EMOTIONS.index(name))
    if not images:
        raise DataError(f"{base}: no images found")
    return FaceDataset(np.stack(images), np.asarray(labels, np.int64), split)
