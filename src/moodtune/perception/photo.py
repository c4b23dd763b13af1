"""A photo's faces at bounded cost: detect on a reduced decode, read each face from enough pixels.

A 12-40 MP photo is decoded at the smallest JPEG scale (or whole factor, for other
formats) whose long side reaches ``ANALYSIS_SIDE``; the detector scans that, and
boxes are reported in full-resolution pixels. Each face is then cut from an image
where its crop square spans at least ``CROP_OVERSAMPLE`` × the expression model's
input: the same reduced decode in the common case (a face a tenth of the photo or
larger), otherwise one more decode at the scale the smallest face needs. The work
beyond decoding is thus the same for any photo size; only the decodes grow with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .expression import ExpressionModelConfig, crop_face, crop_square, to_gray
from .faces import Face, get_detector
from .images import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, ImageSource, ReducedImage, decode_reduced

__all__ = ["ANALYSIS_SIDE", "CROP_OVERSAMPLE", "face_crops", "find_faces"]

#: Long side, pixels, the photo is decoded at for detection: the least that keeps the detector's
#: smallest tiles (a quarter of a 4:3 photo's short side) at or above its 128-px input. JPEG scales
#: are powers of two, so decodes land between this and twice it (4032 px → 1008 px, 1/4 scale).
ANALYSIS_SIDE = 768

#: A face's crop square must span this many times the model input (48 px) in the pixels it is
#: read from, so each input pixel still averages a 2×2 block or more, as it does for any face
#: over ~100 px in a full-resolution photo (the model was trained on such downsampled faces).
#: A finer JPEG scale than that only costs decode time (1/2 scale takes about twice 1/4's).
CROP_OVERSAMPLE = 2.0

# Pixels kept around a crop square when it is cut out of the photo: the crop's interpolation
# kernel reads a pixel or two beyond it.
_MARGIN = 4


def find_faces(
    source: ImageSource,
    *,
    detector: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> tuple[ReducedImage, list[Face]]:
    """Decode ``source`` reduced and detect faces on it; boxes and landmarks in full-resolution pixels."""
    reduced = decode_reduced(source, ANALYSIS_SIDE, max_bytes=max_bytes, max_pixels=max_pixels)
    faces = get_detector(detector).detect(reduced.rgb)
    if reduced.scale == 1.0:
        return reduced, faces
    return reduced, [_rescale(face, 1 / reduced.scale, reduced.full_size) for face in faces]


def face_crops(
    source: ImageSource,
    reduced: ReducedImage,
    faces: Sequence[Face],
    config: ExpressionModelConfig,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """(N, S, S) uint8 crops of ``faces`` (full-resolution boxes) for the expression model.

    Decodes ``source`` again, finer, only when the smallest face would get fewer than
    ``CROP_OVERSAMPLE`` × input pixels across in ``reduced``.
    """
    wanted = max(_scale_needed(face, config) for face in faces)
    image = reduced
    if wanted > reduced.scale:
        long_side = math.ceil(max(reduced.full_size) * wanted)
        image = decode_reduced(source, long_side, max_bytes=max_bytes, max_pixels=max_pixels)
    return np.stack([_crop(image, face, config) for face in faces])


def _scale_needed(face: Face, config: ExpressionModelConfig) -> float:
    side = max(face.box[2], face.box[3]) * config.crop_scale
    return min(1.0, CROP_OVERSAMPLE * config.input_size / max(side, 1.0))


def _crop(image: ReducedImage, face: Face, config: ExpressionModelConfig) -> np.ndarray:
    """One face's crop, converting to gray only the pixels around it, not the whole photo."""
    height, width = image.rgb.shape[:2]
    scaled = _rescale(face, image.scale, (width, height)) if image.scale != 1.0 else face
    x, y, side = crop_square(scaled.box, config, scaled.landmarks)
    x0, y0 = min(max(0, x - _MARGIN), width - 1), min(max(0, y - _MARGIN), height - 1)
    x1, y1 = max(min(width, x + side + _MARGIN), x0 + 1), max(min(height, y + side + _MARGIN), y0 + 1)
    gray = to_gray(image.rgb[y0:y1, x0:x1])
    box = (scaled.box[0] - x0, scaled.box[1] - y0, scaled.box[2], scaled.box[3])
    landmarks = tuple((px - x0, py - y0) for px, py in scaled.landmarks)
    return crop_face(gray, box, config, landmarks)


def _rescale(face: Face, factor: float, size: tuple[int, int]) -> Face:
    """``face`` in an image ``factor`` times as large, its box kept inside ``size`` (width, height)."""
    x0, y0 = round(face.box[0] * factor), round(face.box[1] * factor)
    x1 = min(size[0], round((face.box[0] + face.box[2]) * factor))
    y1 = min(size[1], round((face.box[1] + face.box[3]) * factor))
    landmarks = tuple((px * factor, py * factor) for px, py in face.landmarks)
    return Face((x0, y0, max(1, x1 - x0), max(1, y1 - y0)), face.score, landmarks)
