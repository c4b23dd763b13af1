"""Draw detected faces and their emotions onto a copy of a photo."""

from __future__ import annotations

import cv2
import numpy as np

from moodtune.pipeline import ImageAnalysis

__all__ = ["annotate_image"]

_COLOR = (255, 196, 0)  # RGB amber: readable on skin tones and on dark or light backgrounds


def annotate_image(rgb: np.ndarray, analysis: ImageAnalysis) -> np.ndarray:
    """Return a copy of ``rgb`` (H, W, 3) with a box and "emotion 87%" label per face."""
    out = np.ascontiguousarray(rgb.copy())
    thickness = max(2, round(max(out.shape[:2]) / 300))
    scale = max(0.5, max(out.shape[:2]) / 900)
    for reading in analysis.faces:
        x, y, w, h = reading.face.box
        cv2.rectangle(out, (x, y), (x + w, y + h), _COLOR, thickness)
        label = f"{reading.affect.emotion} {reading.affect.confidence:.0%}"
        (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
        top = y - th - base - 4 if y - th - base - 4 >= 0 else y + h
        cv2.rectangle(out, (x, top), (x + tw + 6, top + th + base + 4), _COLOR, -1)
        cv2.putText(out, label, (x + 3, top + th + 2), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness)
    return out
