"""Grad-CAM heat maps from the shipped ONNX model: where in a face the model saw its emotion.

The model's ``cams`` output holds every class's Grad-CAM on the last
convolutional maps (see ``training/architectures/_heads.py`` for why it is
exact there and needs no gradients), so explaining costs one forward pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from moodtune.errors import InputError, ModelError

from .predictor import ExpressionModel

__all__ = ["explain_faces", "heatmap_on_square", "heatmaps_from_cams", "require_cams"]


def require_cams(model: ExpressionModel) -> None:
    """Raise ``ModelError`` unless the model's graph outputs class activation maps."""
    if "cams" not in model.config.outputs:
        raise ModelError(f"expression model {model.config.name!r} has no class activation map output")


def heatmaps_from_cams(cams: np.ndarray, classes: np.ndarray, size: int) -> np.ndarray:
    """Per-class Grad-CAM maps (N, C, s, s) → the chosen class's map per face, (N, size, size) in [0, 1].

    Negative evidence is cut (the ReLU of Grad-CAM), the map is upsampled to the face
    crop and scaled so its peak is 1; a face without positive evidence gets zeros.
    """
    import cv2  # here, not at the top: importing the package must not load OpenCV (see crop.py)

    n = len(cams)
    maps = np.maximum(cams[np.arange(n), classes], 0.0)
    heat = np.stack([cv2.resize(m, (size, size), interpolation=cv2.INTER_CUBIC) for m in maps])
    heat = np.maximum(heat, 0.0)
    peak = heat.reshape(n, -1).max(axis=1)
    return (heat / np.where(peak > 0, peak, 1.0)[:, None, None]).astype(np.float32)


def heatmap_on_square(heatmap: np.ndarray, angle: float) -> np.ndarray:
    """A (S, S) map over a crop turned by ``angle`` degrees (``crop.crop_frame``) → the same heat over the
    upright square ``crop.crop_square`` gives for that face, still (S, S).

    Overlays and the API draw heat maps on upright squares of the photo; a face read upright from a
    tilted head would otherwise have its heat drawn turned the wrong way. Corners of the square the
    crop did not cover get no heat. Angle 0 returns the map unchanged.
    """
    if angle == 0.0:
        return heatmap
    import cv2

    size = heatmap.shape[0]
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    ratio = abs(cos) + abs(sin)  # upright square side / crop side
    # Square pixel (u, v) lies at ratio·R(−angle)·(u + ½ − S/2, v + ½ − S/2) from the crop's centre, in crop pixels.
    a, b = ratio * cos, ratio * sin
    centre = size / 2 - 0.5
    offset = ratio * (0.5 - size / 2)
    inverse = np.array([[a, b, centre + offset * (cos + sin)], [-b, a, centre + offset * (cos - sin)]])
    return cv2.warpAffine(
        heatmap, inverse, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderValue=0.0
    ).astype(np.float32)


def explain_faces(model: ExpressionModel, faces: np.ndarray, classes: Sequence[int] | None = None) -> np.ndarray:
    """Heat maps of the predicted (or given) class for each face.

    Parameters
    ----------
    faces : uint8 array of shape (N, S, S), model-sized face crops.
    classes : N class indices to explain; default each face's predicted class.

    Returns
    -------
    ndarray of shape (N, S, S), float32 in [0, 1]: 1 where the evidence for the
    class is strongest; all zeros where the model found none.
    """
    require_cams(model)
    out = model.infer(model.preprocess(faces))
    n = len(out["logits"])
    chosen = out["logits"].argmax(axis=1) if classes is None else np.asarray(classes)
    if chosen.shape != (n,) or np.any((chosen < 0) | (chosen >= len(model.labels))):
        raise InputError(f"classes must be {n} indices in 0..{len(model.labels) - 1}")
    return heatmaps_from_cams(out["cams"], chosen, model.config.input_size)
