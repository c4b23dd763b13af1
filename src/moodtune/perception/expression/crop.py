"""Cut a detected face out of a photo the way FER2013 faces are framed, upright when the detector saw the eyes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model_config import ExpressionModelConfig

# OpenCV is imported by the functions that use it: importing it costs a tenth of a second, and
# ``predictor`` (the default model's name, which every command's --help shows) imports this module.

__all__ = [
    "ALIGN_MIN_DEGREES",
    "FACE_REGIONS",
    "CropFrame",
    "crop_face",
    "crop_frame",
    "crop_square",
    "eye_tilt",
    "face_region",
    "to_gray",
]

#: "upper" keeps the brows and eyes only: a model for faces whose mouth is covered (masks, hands).
FACE_REGIONS = ("full", "upper")

#: Eye-line tilts up to this many degrees are left alone: FER2013 faces, which the models learned
#: from, lean a few degrees too, and levelling every slight lean read untilted scenes 1.3 points
#: worse than this threshold (``benchmarks/face_alignment.py``; docs/face-detection.md, "Upright faces").
ALIGN_MIN_DEGREES = 5.0

Landmarks = Sequence[tuple[float, float]]


@dataclass(frozen=True)
class CropFrame:
    """The square a face is read from: centre (cx, cy) and side in photo pixels, turned by ``angle``.

    ``angle`` is the face's tilt in degrees, clockwise on screen (image y points down); the crop is
    rotated by it so the eyes come out level. 0 is today's axis-aligned square.
    """

    cx: float
    cy: float
    side: float
    angle: float = 0.0


def to_gray(image_rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB → (H, W) uint8 luma; grayscale input passes through."""
    if image_rgb.ndim == 2:
        return image_rgb
    import cv2

    return cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)


def eye_tilt(landmarks: Landmarks) -> float:
    """The eye line's angle in degrees, clockwise on screen, from BlazeFace keypoints; 0 without them.

    The first two keypoints are the subject's right eye (left in the photo) and left eye
    (``faces.LANDMARK_NAMES``), so an upright face gives about 0 and a head leaning to the
    photo's right (its left eye lower) a positive angle.
    """
    if len(landmarks) < 2:
        return 0.0
    (rx, ry), (lx, ly) = landmarks[0], landmarks[1]
    return math.degrees(math.atan2(ly - ry, lx - rx))


def crop_frame(box: tuple[int, int, int, int], cfg: ExpressionModelConfig, landmarks: Landmarks = ()) -> CropFrame:
    """Where ``crop_face`` reads a face with detector box (x, y, w, h) and optional eye keypoints.

    The side is the box's larger side times ``cfg.crop_scale``. The shift ``cfg.crop_shift`` moves the
    centre along the face's own vertical axis, so a tilted face is framed as an upright one would be.
    """
    x, y, w, h = box
    tilt = eye_tilt(landmarks)
    angle = tilt if abs(tilt) > ALIGN_MIN_DEGREES else 0.0
    rad = math.radians(angle)
    shift = cfg.crop_shift * h
    return CropFrame(
        x + w / 2 - shift * math.sin(rad), y + h / 2 + shift * math.cos(rad), max(w, h) * cfg.crop_scale, angle
    )


def crop_square(
    box: tuple[int, int, int, int], cfg: ExpressionModelConfig, landmarks: Landmarks = ()
) -> tuple[int, int, int]:
    """The axis-aligned square (x, y, side) in photo pixels that holds what ``crop_face`` reads.

    Without a tilt it is exactly the crop; for a turned crop it is the smallest upright square
    around it (``explain.heatmap_on_square`` maps heat maps onto it). It may reach past the photo's edges.
    """
    frame = crop_frame(box, cfg, landmarks)
    rad = math.radians(frame.angle)
    side = frame.side * (abs(math.cos(rad)) + abs(math.sin(rad)))
    return int(round(frame.cx - side / 2)), int(round(frame.cy - side / 2)), max(1, int(round(side)))


def crop_face(
    gray: np.ndarray, box: tuple[int, int, int, int], cfg: ExpressionModelConfig, landmarks: Landmarks = ()
) -> np.ndarray:
    """Square crop around ``box`` (x, y, w, h), scaled by ``cfg.crop_scale``, resized to the model input.

    With BlazeFace's eye keypoints in ``landmarks`` the square is turned with the eye line, so
    the face comes out upright; without them (Haar) the crop is axis-aligned, as before.
    Parts of the crop outside the image are filled by replicating the border,
    which keeps faces at the edge of a photo usable.

    Returns an array of shape (input_size, input_size), dtype uint8.
    """
    frame = crop_frame(box, cfg, landmarks)
    if frame.angle == 0.0:
        return _upright_crop(gray, crop_square(box, cfg), cfg.input_size)
    return _turned_crop(gray, frame, cfg.input_size)


def _upright_crop(gray: np.ndarray, square: tuple[int, int, int], size: int) -> np.ndarray:
    import cv2

    x0, y0, s = square
    pad = max(0, -x0, -y0, x0 + s - gray.shape[1], y0 + s - gray.shape[0])
    if pad:
        gray = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        x0, y0 = x0 + pad, y0 + pad
    patch = gray[y0 : y0 + s, x0 : x0 + s]
    interp = cv2.INTER_AREA if s > size else cv2.INTER_CUBIC
    return cv2.resize(patch, (size, size), interpolation=interp)


def _turned_crop(gray: np.ndarray, frame: CropFrame, size: int) -> np.ndarray:
    """One affine warp of only the pixels under the turned square, to ``size``×``size``.

    A large face is first shrunk with area averaging to twice the output resolution, warped there and
    halved by area averaging again: bilinear sampling straight to 48 pixels would alias a large face,
    and warping at the shrunk scale alone blurs it (3.8 grey levels off the upright crop at angle 0 for a
    200-pixel face, against 0.3 this way). The work stays proportional to the face, never to the photo.
    """
    import cv2

    rad = math.radians(frame.angle)
    cos, sin = math.cos(rad), math.sin(rad)
    # The upright bounding box of the turned square, plus 2 pixels for the interpolation kernel, inside
    # the photo: warpAffine's BORDER_REPLICATE then repeats the photo's own edge, as the upright crop does.
    reach = frame.side / 2 * (abs(cos) + abs(sin)) + 2
    height, width = gray.shape
    x0, y0 = min(max(0, math.floor(frame.cx - reach)), width - 1), min(max(0, math.floor(frame.cy - reach)), height - 1)
    x1, y1 = max(min(width, math.ceil(frame.cx + reach)), x0 + 1), max(min(height, math.ceil(frame.cy + reach)), y0 + 1)
    patch = gray[y0:y1, x0:x1]
    out = 2 * size if frame.side > 2 * size else size
    k = frame.side / out  # photo pixels per output pixel
    fx = fy = 1.0
    if k > 1:
        shrunk = cv2.resize(
            patch, (max(1, round(patch.shape[1] / k)), max(1, round(patch.shape[0] / k))), interpolation=cv2.INTER_AREA
        )
        fx, fy = shrunk.shape[1] / patch.shape[1], shrunk.shape[0] / patch.shape[0]
        patch = shrunk
    # Output pixel (u, v) reads the photo at centre + R(angle) · k·(u + ½ − out/2, v + ½ − out/2), with
    # cv2.resize's pixel-centre convention, so at angle 0 this is the upright crop.
    cx, cy = frame.cx - x0 - 0.5, frame.cy - y0 - 0.5
    offset = k * (0.5 - out / 2)
    inverse = np.array(
        [
            [fx * k * cos, -fx * k * sin, fx * (cx + offset * (cos - sin) + 0.5) - 0.5],
            [fy * k * sin, fy * k * cos, fy * (cy + offset * (sin + cos) + 0.5) - 0.5],
        ]
    )
    interp = cv2.INTER_LINEAR if k > 1 else cv2.INTER_CUBIC
    warped = cv2.warpAffine(
        patch, inverse, (out, out), flags=interp | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE
    )
    return warped if out == size else cv2.resize(warped, (size, size), interpolation=cv2.INTER_AREA)


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
