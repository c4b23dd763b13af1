"""Phone-size test photos for the benchmarks: FER2013 faces on a textured background.

``training.data.photos.compose_photo`` paints a smooth background in float64, fine at
640×480 but slow and unrealistically compressible at 12-40 MP. Here the background is
built at 1/8 size from noise and gradients, upscaled, and given fine grain, so a JPEG
of it weighs what a phone photo does (about 3 MB at 12 MP, quality 90) and costs as much to decode.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["phone_photo"]


def _background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    w, h = max(8, width // 8), max(8, height // 8)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a, b = rng.uniform(8, 30, 2)
    shade = 128 + 50 * np.sin(xx / a) + 35 * np.cos(yy / b) + 40 * (xx / w - yy / h)
    small = shade[..., None] * rng.uniform(0.7, 1.0, 3) + rng.normal(0, 22, (h, w, 3))
    big = cv2.resize(np.clip(small, 0, 255).astype(np.uint8), (width, height), interpolation=cv2.INTER_CUBIC)
    grain = rng.integers(0, 9, big.shape, dtype=np.uint8)
    return cv2.subtract(cv2.add(big, grain), np.full(big.shape, 4, np.uint8))


def phone_photo(
    faces: np.ndarray,
    rng: np.random.Generator,
    *,
    size: tuple[int, int] = (4032, 3024),
    face_side: tuple[int, int] = (600, 900),
    max_tries: int = 500,
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Place each (48, 48) uint8 face of ``faces`` without overlap.

    Returns the RGB scene and the placed squares as (x, y, w, h), in the order of ``faces``.
    """
    width, height = size
    scene = _background(size, rng)
    placed: list[tuple[int, int, int, int]] = []
    for face in faces:
        for _ in range(max_tries):
            side = int(rng.integers(face_side[0], face_side[1] + 1))
            x, y = int(rng.integers(0, width - side + 1)), int(rng.integers(0, height - side + 1))
            if all(x + side <= px or px + pw <= x or y + side <= py or py + ph <= y for px, py, pw, ph in placed):
                break
        else:
            raise ValueError(f"could not place {len(faces)} faces of {face_side} px in {width}×{height}")
        patch = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC)
        scene[y : y + side, x : x + side] = patch[..., None]
        placed.append((x, y, side, side))
    return scene, placed
