"""Compose photo-like test scenes from dataset faces, for end-to-end evaluation of detect → classify.

FER2013 faces are 48×48 grayscale crops; real users send larger colour
photos with the face somewhere in the frame. These scenes place upscaled faces
on a smooth background with mild noise, so the whole pipeline (decoding,
detection, cropping, classification) can be scored against known labels.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["compose_photo", "found_in_square"]


def compose_photo(
    faces: np.ndarray,
    rng: np.random.Generator,
    *,
    size: tuple[int, int] = (640, 480),
    face_side: tuple[int, int] = (160, 240),
    max_tries: int = 200,
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Place each face of ``faces`` (N, 48, 48) uint8 in one RGB scene, without overlaps.

    Returns the scene, shape (H, W, 3) uint8, and the placed squares as (x, y, w, h),
    in the order of ``faces``. Raises ``ValueError`` when the faces do not fit.
    """
    width, height = size
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    a, b, c = rng.uniform(60, 200, 3)
    base = a + (b - a) * xx / width * 0.5 + (c - a) * yy / height * 0.5
    scene = np.repeat(base[..., None], 3, axis=2) * rng.uniform(0.85, 1.0, 3)
    placed: list[tuple[int, int, int, int]] = []
    for face in faces:
        for _ in range(max_tries):
            side = int(rng.integers(face_side[0], face_side[1] + 1))
            if side > min(width, height):
                raise ValueError(f"face side {side} does not fit in a {width}×{height} scene")
            x, y = int(rng.integers(0, width - side + 1)), int(rng.integers(0, height - side + 1))
            if all(x + side <= px or px + pw <= x or y + side <= py or py + ph <= y for px, py, pw, ph in placed):
                break
        else:
            raise ValueError(f"could not place {len(faces)} faces without overlap in {width}×{height}")
        patch = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC).astype(np.float32)
        scene[y : y + side, x : x + side] = patch[..., None]
        placed.append((x, y, side, side))
    scene += rng.normal(0, 3, scene.shape)
    return np.clip(scene, 0, 255).astype(np.uint8), placed


def found_in_square(box: tuple[int, int, int, int], square: tuple[int, int, int, int]) -> bool:
    """Whether a detector box (x, y, w, h) belongs to a face placed at ``square``: its centre lies inside.

    IoU would not do: BlazeFace boxes span brows to chin, about a quarter of the loosely framed FER square.
    """
    x, y, w, h = box
    sx, sy, side, _ = square
    return sx <= x + w / 2 <= sx + side and sy <= y + h / 2 <= sy + side
