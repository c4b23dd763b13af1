"""What real photos do to a face, applied to composed scenes: compression, blur, noise, light, occlusion, pose.

Each transform takes a scene from ``photos.compose_photo`` and the square (x, y, side, side) its
face was placed in, and returns a new scene; the face keeps its centre, so ``found_in_square``
still scores detections. Occluders are placed where FER2013 faces have their features: BlazeFace's
mean keypoints on composed scenes put the eyes at (0.31, 0.37) and (0.67, 0.37) of the square,
the nose tip at (0.50, 0.58) and the mouth at (0.50, 0.76).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

__all__ = [
    "EYES",
    "MOUTH",
    "Transform",
    "backlight",
    "gaussian_blur",
    "hand_over_mouth",
    "jpeg",
    "low_light",
    "mask_band",
    "noise",
    "rotate",
    "squeeze",
    "sunglasses",
]

Square = tuple[int, int, int, int]
#: (scene (H, W, 3) uint8 RGB, face square, random generator) → new scene of the same shape.
Transform = Callable[[np.ndarray, Square, np.random.Generator], np.ndarray]

#: Where FER2013 faces have their eyes and mouth, as fractions (x, y) of the placed square (see above).
EYES = ((0.31, 0.37), (0.67, 0.37))
MOUTH = (0.50, 0.76)


def jpeg(quality: int) -> Transform:
    """Encode and decode as JPEG at ``quality`` (OpenCV's 0–100 scale), as a phone or messenger would."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        ok, data = cv2.imencode(".jpg", scene[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise ValueError(f"JPEG encoding failed at quality {quality}")
        decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
        assert decoded is not None  # OpenCV's own JPEG, just encoded
        return decoded[..., ::-1].copy()

    return apply


def gaussian_blur(sigma: float) -> Transform:
    """Defocus or motion-free shake: a Gaussian blur of ``sigma`` pixels over the whole scene."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        return cv2.GaussianBlur(scene, (0, 0), sigma)

    return apply


def noise(sigma: float) -> Transform:
    """Sensor noise: independent Gaussian noise of ``sigma`` grey levels on every pixel and channel."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        return _clip(scene + rng.normal(0, sigma, scene.shape))

    return apply


def low_light(gain: float = 0.2, sigma: float = 6.0) -> Transform:
    """A dim room: every level scaled by ``gain``, then the noise a phone adds when it pushes its gain."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        return _clip(scene * gain + rng.normal(0, sigma, scene.shape))

    return apply


def backlight(background: float = 0.75, face_gain: float = 0.35) -> Transform:
    """A window behind the subject: the background pushed ``background`` of the way to white, the face darkened."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        out = scene.astype(np.float32)
        out += (255 - out) * background
        x, y, side, _ = square
        out[y : y + side, x : x + side] = scene[y : y + side, x : x + side] * face_gain
        return _clip(out)

    return apply


def sunglasses() -> Transform:
    """Two near-black lenses over the eyes and a bridge between them."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        out = scene.copy()
        side = square[2]
        axes = (round(0.15 * side), round(0.09 * side))
        for ex, ey in EYES:
            cv2.ellipse(out, _at(square, ex, ey), axes, 0, 0, 360, (20, 20, 25), -1)
        thickness = max(1, round(0.025 * side))
        cv2.line(out, _at(square, EYES[0][0], EYES[0][1]), _at(square, EYES[1][0], EYES[1][1]), (20, 20, 25), thickness)
        return out

    return apply


def mask_band(top: float = 0.55) -> Transform:
    """A pale-blue surgical mask: the square's width (8–92%) from ``top`` down to its bottom edge."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        out = scene.copy()
        cv2.rectangle(out, _at(square, 0.08, top), _at(square, 0.92, 1.0), (175, 205, 225), -1)
        return out

    return apply


def hand_over_mouth() -> Transform:
    """A skin-coloured hand: a palm over the mouth and the right cheek (photo's right), four fingers up the cheek."""

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        out = scene.copy()
        side = square[2]
        skin = (224, 172, 140)
        cv2.ellipse(out, _at(square, 0.60, 0.80), (round(0.24 * side), round(0.15 * side)), -15, 0, 360, skin, -1)
        for k in range(4):
            finger = _at(square, 0.70 + 0.06 * k, 0.58 + 0.02 * k)
            cv2.ellipse(out, finger, (round(0.035 * side), round(0.16 * side)), 10, 0, 360, skin, -1)
        return out

    return apply


def rotate(degrees: float) -> Transform:
    """The head tilted ``degrees`` clockwise on screen: the scene turned about the face's centre.

    Turning the whole scene, not a pasted patch, keeps the background continuous around the face;
    the corners it uncovers are filled by reflection.
    """

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        x, y, side, _ = square
        height, width = scene.shape[:2]
        turn = cv2.getRotationMatrix2D((x + side / 2, y + side / 2), -degrees, 1.0)  # OpenCV's angle is anticlockwise
        return cv2.warpAffine(scene, turn, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)

    return apply


def squeeze(fraction: float) -> Transform:
    """A head turned away (a yaw proxy): the face resized to ``fraction`` of its width about its centre.

    The strips it uncovers get the background back, interpolated row by row between the columns
    left and right of the square (``compose_photo``'s backgrounds are linear gradients).
    """

    def apply(scene: np.ndarray, square: Square, rng: np.random.Generator) -> np.ndarray:
        x, y, side, _ = square
        width = scene.shape[1]
        out = scene.astype(np.float32)
        left, right = out[y : y + side, max(x - 1, 0)], out[y : y + side, min(x + side, width - 1)]
        t = np.linspace(0, 1, side, dtype=np.float32)[None, :, None]
        out[y : y + side, x : x + side] = left[:, None] * (1 - t) + right[:, None] * t
        narrow = max(1, round(side * fraction))
        face = cv2.resize(scene[y : y + side, x : x + side], (narrow, side), interpolation=cv2.INTER_AREA)
        start = x + (side - narrow) // 2
        out[y : y + side, start : start + narrow] = face
        return _clip(out)

    return apply


def _at(square: Square, fx: float, fy: float) -> tuple[int, int]:
    """The pixel at fraction (fx, fy) of a face square."""
    x, y, side, _ = square
    return round(x + fx * side), round(y + fy * side)


def _clip(image: np.ndarray) -> np.ndarray:
    return np.clip(image, 0, 255).astype(np.uint8)
