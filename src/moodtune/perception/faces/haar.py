"""OpenCV's Viola-Jones frontal-face cascade: kept only as the measured baseline for BlazeFace.

See docs/face-detection.md for the comparison; it is slower, misses more faces and
fires on more non-faces, and gives neither a probability nor landmarks.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from moodtune.errors import ModelError

from ._registry import register_detector, require_rgb
from .face import Face

__all__ = ["HaarCascade", "haar"]

_CASCADE = "haarcascade_frontalface_default.xml"


class HaarCascade:
    """Haar-cascade face detector.

    Parameters
    ----------
    min_score : accepted for interface parity and ignored: the cascade has no
        calibrated score, every face gets score 1.0.
    min_neighbors : overlapping raw hits needed to accept a face; OpenCV's
        tutorials use 5, lower finds more faces and more non-faces.
    scale_factor : image pyramid step.
    min_size_fraction : smallest face side as a fraction of the image's shorter side.
    """

    def __init__(
        self,
        min_score: float = 0.6,
        min_neighbors: int = 5,
        scale_factor: float = 1.1,
        min_size_fraction: float = 0.05,
    ) -> None:
        self.min_neighbors = min_neighbors
        self.scale_factor = scale_factor
        self.min_size_fraction = min_size_fraction
        import cv2  # here, not at the top: see blazeface.py

        path = Path(cv2.data.haarcascades) / _CASCADE  # type: ignore[attr-defined]
        self._cascade = cv2.CascadeClassifier(str(path))
        if self._cascade.empty():
            raise ModelError(f"OpenCV cannot load its Haar cascade {path}")
        self._lock = threading.Lock()

    def detect(self, image_rgb: np.ndarray) -> list[Face]:
        """Faces in an (H, W, 3) uint8 RGB image, largest box first, without landmarks."""
        require_rgb(image_rgb)
        import cv2

        gray = cv2.equalizeHist(cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY))
        side = max(20, round(min(gray.shape) * self.min_size_fraction))
        with self._lock:
            found = self._cascade.detectMultiScale(
                gray, scaleFactor=self.scale_factor, minNeighbors=self.min_neighbors, minSize=(side, side)
            )
        height, width = gray.shape
        faces = []
        for x, y, w, h in np.asarray(found, dtype=int).reshape(-1, 4):
            x0, y0 = max(0, x), max(0, y)
            x1, y1 = min(width, x + w), min(height, y + h)
            if x1 > x0 and y1 > y0:
                faces.append(Face((int(x0), int(y0), int(x1 - x0), int(y1 - y0)), 1.0))
        faces.sort(key=lambda face: face.area, reverse=True)
        return faces


@register_detector
def haar(min_score: float = 0.6, min_neighbors: int = 5) -> HaarCascade:
    """Haar cascade baseline; not for production use."""
    return HaarCascade(min_score=min_score, min_neighbors=min_neighbors)
