"""Choose how detected faces are cropped so they look like the faces the model was trained on.

FER2013 crops frame a face more loosely than a detector box does. The crop's
scale (side / box side) and vertical shift are picked by grid search on scenes
built from *validation* faces: each face is placed in a photo, detected, cropped
with every candidate setting and classified; the setting with the best accuracy
wins. The test split stays untouched.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import replace

import numpy as np

from moodtune.perception.expression import ExpressionModel, crop_face, to_gray
from moodtune.perception.faces import detect_faces

from .data.fer2013 import FaceDataset
from .data.photos import compose_photo

__all__ = ["calibrate_crop"]

log = logging.getLogger(__name__)

SCALES = (1.0, 1.1, 1.2, 1.3, 1.4, 1.5)
SHIFTS = (-0.1, -0.05, 0.0, 0.05, 0.1)


def calibrate_crop(
    model: ExpressionModel,
    data: FaceDataset,
    *,
    n: int = 600,
    seed: int = 0,
    scales: tuple[float, ...] = SCALES,
    shifts: tuple[float, ...] = SHIFTS,
) -> dict:
    """Grid-search ``crop_scale`` × ``crop_shift`` on ``n`` faces of ``data`` placed in photos.

    Returns ``{"crop_scale", "crop_shift", "accuracy", "detected", "n", "grid": {"scale,shift": accuracy}}``.
    """
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(data), min(n, len(data)), replace=False)
    crops: dict[tuple[float, float], list[np.ndarray]] = {k: [] for k in itertools.product(scales, shifts)}
    labels: list[int] = []
    for i in picks:
        scene, _ = compose_photo(data.images[i : i + 1], rng)
        faces = detect_faces(scene)
        if not faces:
            continue
        gray = to_gray(scene)
        for scale, shift in crops:
            cfg = replace(model.config, crop_scale=scale, crop_shift=shift)
            crops[(scale, shift)].append(crop_face(gray, faces[0].box, cfg))
        labels.append(int(data.labels[i]))
    y = np.asarray(labels)
    grid = {
        f"{scale},{shift}": float((model.predict(np.stack(faces)) == y).mean())
        for (scale, shift), faces in crops.items()
    }
    best = max(grid, key=grid.__getitem__)
    scale, shift = (float(v) for v in best.split(","))
    log.info("crop calibration: scale %.2f shift %.2f → accuracy %.4f", scale, shift, grid[best])
    return {
        "crop_scale": scale,
        "crop_shift": shift,
        "accuracy": grid[best],
        "detected": len(y),
        "n": len(picks),
        "grid": grid,
    }
