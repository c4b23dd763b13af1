"""Draw detected faces and their emotions onto a copy of a photo."""

from __future__ import annotations

import cv2
import numpy as np

from moodtune.pipeline import ImageAnalysis, ImageExplanation

__all__ = ["annotate_image", "heatmap_rgba", "overlay_heatmaps"]

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


def heatmap_rgba(heatmap: np.ndarray, side: int) -> np.ndarray:
    """A (S, S) map in [0, 1] → (side, side, 4) uint8 RGBA: JET colours, opacity rising with the heat."""
    heat = cv2.resize(heatmap, (side, side), interpolation=cv2.INTER_LINEAR)
    level = (np.clip(heat, 0, 1) * 255).astype(np.uint8)
    colours = cv2.cvtColor(cv2.applyColorMap(level, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    alpha = (level.astype(np.uint16) * 2 // 3).astype(np.uint8)  # at most 170: the face stays visible
    return np.dstack([colours, alpha])


def overlay_heatmaps(rgb: np.ndarray, explanation: ImageExplanation) -> np.ndarray:
    """A copy of ``rgb`` (H, W, 3) with each face's heat map blended over its crop square, then boxes and labels."""
    out = rgb.astype(np.float32)
    height, width = out.shape[:2]
    for heatmap, (x, y, side) in zip(explanation.heatmaps, explanation.squares, strict=True):
        rgba = heatmap_rgba(heatmap, side).astype(np.float32)
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + side, width), min(y + side, height)
        if x1 <= x0 or y1 <= y0:
            continue
        patch = rgba[y0 - y : y1 - y, x0 - x : x1 - x]
        alpha = patch[..., 3:] / 255.0
        out[y0:y1, x0:x1] = out[y0:y1, x0:x1] * (1 - alpha) + patch[..., :3] * alpha
    return annotate_image(np.clip(out, 0, 255).astype(np.uint8), explanation.analysis)
