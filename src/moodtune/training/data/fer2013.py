"""FER2013 loader: the Kaggle CSV (``emotion,pixels,Usage``), plain or gzipped.

Parsing the 300 MB CSV takes ~20 s, so the parsed arrays are cached as a
compressed ``.npz`` next to the user's cache, keyed by the source file's size
and mtime; later loads take well under a second.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moodtune.config import cache_dir
from moodtune.errors import DataError

__all__ = ["FER_SPLITS", "FaceDataset", "load_fer2013"]

log = logging.getLogger(__name__)

#: Usage values in file order; most papers train on the first, select on the second, report on the third.
FER_SPLITS = ("Training", "PublicTest", "PrivateTest")
_SIDE = 48


@dataclass(frozen=True)
class FaceDataset:
    """Grayscale faces with integer labels in FER2013 class order.

    Attributes
    ----------
    images : ndarray of shape (n_samples, 48, 48), dtype uint8
    labels : ndarray of shape (n_samples,), dtype int64, values in 0..6
    split : name of the split the rows came from
    soft_labels : ndarray of shape (n_samples, 7), rows summing to 1, or None
        (e.g. FER+ vote distributions)
    """

    images: np.ndarray
    labels: np.ndarray
    split: str
    soft_labels: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, index: np.ndarray | slice) -> FaceDataset:
        soft = None if self.soft_labels is None else self.soft_labels[index]
        return FaceDataset(self.images[index], self.labels[index], self.split, soft)


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _parse_csv(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    images: list[np.ndarray] = []
    labels: list[int] = []
    usages: list[int] = []
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        missing = {"emotion", "pixels", "Usage"} - set(reader.fieldnames or ())
        if missing:
            raise DataError(f"{path}: not a FER2013 CSV, missing columns {sorted(missing)}")
        for line_no, row in enumerate(reader, start=2):
            pixels = np.array(row["pixels"].split(), dtype=np.uint8)
            if pixels.size != _SIDE * _SIDE:
                raise DataError(f"{path}:{line_no}: expected {_SIDE * _SIDE} pixels, got {pixels.size}")
            label = int(row["emotion"])
            if not 0 <= label <= 6:
                raise DataError(f"{path}:{line_no}: emotion {label} is outside 0..6")
            if row["Usage"] not in FER_SPLITS:
                raise DataError(f"{path}:{line_no}: unknown Usage {row['Usage']!r}")
            images.append(pixels.reshape(_SIDE, _SIDE))
            labels.append(label)
            usages.append(FER_SPLITS.index(row["Usage"]))
    if not labels:
        raise DataError(f"{path}: no data rows")
    return np.stack(images), np.asarray(labels, np.int64), np.asarray(usages, np.int8)


def _cache_path(path: Path) -> Path:
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return cache_dir() / f"fer2013-{key}.npz"


def load_fer2013(path: str | Path, split: str | None = None, *, use_cache: bool = True) -> FaceDataset:
    """Read FER2013 rows, optionally only those of one ``Usage`` split.

    Parameters
    ----------
    path : the ``fer2013.csv`` or ``fer2013.csv.gz`` file.
    split : one of ``FER_SPLITS``, or None for every row (split ``"all"``).
    use_cache : read/write the parsed ``.npz`` cache.
    """
    path = Path(path)
    if split is not None and split not in FER_SPLITS:
        raise DataError(f"split must be one of {FER_SPLITS}, got {split!r}")
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    cached = _cache_path(path) if use_cache else None
    if cached is not None and cached.is_file():
        with np.load(cached) as npz:
            images, labels, usages = npz["images"], npz["labels"], npz["usages"]
    else:
        log.info("parsing %s (cached afterwards)", path)
        images, labels, usages = _parse_csv(path)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp.npz")
            np.savez_compressed(tmp, images=images, labels=labels, usages=usages)
            tmp.replace(cached)
    if split is None:
        return FaceDataset(images, labels, "all")
    mask = usages == FER_SPLITS.index(split)
    return FaceDataset(images[mask], labels[mask], split)
