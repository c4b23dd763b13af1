"""Face detection: ``detect_faces(image)`` → faces, largest first.

Detectors are built by name through a registry (``create_detector``,
``list_detectors``); ``blazeface`` is the default, ``haar`` is only the baseline
it was measured against (docs/face-detection.md).
"""

from __future__ import annotations

import functools
from typing import Any

from ..images import ImageSource, decode_image
from . import blazeface as _blazeface  # noqa: F401  (registers on import)
from . import haar as _haar  # noqa: F401  (registers on import)
from ._registry import DEFAULT_DETECTOR, FaceDetector, create_detector, list_detectors, register_detector
from .face import LANDMARK_NAMES, Face

__all__ = [
    "DEFAULT_DETECTOR",
    "Face",
    "FaceDetector",
    "LANDMARK_NAMES",
    "create_detector",
    "detect_faces",
    "get_detector",
    "list_detectors",
    "register_detector",
]


@functools.lru_cache(maxsize=8)
def _cached_detector(name: str, kwargs: tuple[tuple[str, Any], ...]) -> FaceDetector:
    return create_detector(name, **dict(kwargs))


def get_detector(name: str = DEFAULT_DETECTOR, **kwargs: Any) -> FaceDetector:
    """A shared detector instance, built (and its model loaded) on first use; kwargs must be hashable."""
    return _cached_detector(name, tuple(sorted(kwargs.items())))


def detect_faces(image: ImageSource, *, detector: str = DEFAULT_DETECTOR, min_score: float = 0.6) -> list[Face]:
    """Find the faces in a photo.

    Parameters
    ----------
    image : anything ``decode_image`` accepts: a path, encoded bytes, or a uint8
        array of shape (H, W), (H, W, 1), (H, W, 3) RGB or (H, W, 4) RGBA.
    detector : a name from ``list_detectors()``.
    min_score : minimum detector confidence (ignored by detectors without scores).

    Returns
    -------
    list of Face, boxes in pixels of the decoded (EXIF-upright) image, largest first.
    """
    rgb = decode_image(image)
    return get_detector(detector, min_score=min_score).detect(rgb)
