"""Cut a detected face out of a photo the way FER2013 faces are framed."""

from __future__ import annotations

import numpy as np

from .model_config import ExpressionModelConfig

# OpenCV is imported by the functions that use it: importing it costs a tenth of a second, and
# ``predictor`` (the default model's name, which every command's --help shows) imports this module.

__all__ = ["FACE_REGIONS", "crop_face", "crop_square", "face_region", "to_gray"]

#: "upper" keeps the brows and eyes only: a model for faces whose mouth is covered (masks, hands).
FACE_REGIONS = ("full", "upper")


def to_gray(image_rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB → (H, W) uint8 luma; grayscale input passes through."""
    if image_rgb.ndim == 2:
        return image_rgb
    import cv2

    return cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)


def crop_square(box: tuple[int, int, int, int], cfg: ExpressionModelConfig) -> tuple[int, int, int]:
    """The square (x, y, side) in photo pixels that ``crop_face`` cuts around a detector box (x, y, w, h).

    It may reach past the photo's edges.
    """
    x, y, w, h = box
    side = max(w, h) * cfg.crop_scale
    cx, cy = x + w / 2, y + h / 2 + cfg.crop_shift * h
    return int(round(cx - side / 2)), int(round(cy - side / 2)), max(1, int(round(side)))


def crop_face(gray: np.ndarray, box: tuple[int, int, int, int], cfg: ExpressionModelConfig) -> np.ndarray:
    """Square crop around ``box`` (x, y, w, h), scaled by ``cfg.crop_scale``, resized to the model input.

    Parts of the crop outside the image are filled by replicating the border,
    which keeps faces at the edge of a photo usable.

    Returns an array of shape (input_size, input_size), dtype uint8.
    """
    import cv2

    x0, y0, s = crop_square(box, cfg)
    pad = max(0, -x0, -y0, x0 + s - gray.shape[1], y0 + s - gray.shape[0])
    if pad:
        gray = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        x0, y0 = x0 + pad, y0 + pad
    patch = gray[y0 : y0 + s, x0 : x0 + s]
    interp = cv2.INTER_AREA if s > cfg.input_size else cv2.INTER_CUBIC
    return cv2.resize(patch, (cfg.input_size, cfg.input_size), interpolation=interp)


def face_region(faces: np.ndarray, region: str) -> np.ndarray:
    """The part of (N, S, S) uint8 face crops a model looks at, stretched back to (N, S, S).

    ``"full"`` returns the faces unchanged; ``"upper"`` keeps the top half (rows
    0 … S/2) and repeats each row twice, so every architecture's input size still fits.
    """
    if region == "full":
        return faces
    if region == "upper":
        return np.repeat(faces[:, : faces.shape[1] // 2], 2, axis=1)
    raise ValueError(f"face region must be one of {FACE_REGIONS}, got {region!r}")
