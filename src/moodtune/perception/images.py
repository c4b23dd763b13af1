"""Decode a photo into an RGB array, refusing anything unsafe or useless before it costs memory.

Every image a user hands us goes through ``decode_image``; it is the one place
that enforces the size limits, so the rest of the pipeline can assume an
``(H, W, 3)`` uint8 RGB array of sane size. Images are decoded in memory only
and never written anywhere (privacy).

Limits
------
``DEFAULT_MAX_BYTES`` (20 MiB)
    Phone photos are 2-12 MB; anything much larger is not a snapshot.
``DEFAULT_MAX_PIXELS`` (40 megapixels)
    Above today's phone cameras (12-24 MP typical, 48 MP sensors bin to 12)
    while capping the decoded array at 120 MB. The check reads only the header,
    so a decompression bomb (a few KB declaring 30000×30000) is refused before
    a single pixel is decoded.
``MAX_DEEP_PIXELS`` (12 megapixels)
    16-bit and floating-point images (PNG, TIFF) are refused above this, whatever
    ``max_pixels`` says. They have no reduced decode and cost 2-4× more per pixel
    to inflate than 8-bit ones: a 36 MP one took 7-9× as long as a whole 640×480
    analysis, a 12 MP one stays within 3×. Phones never write them; editing and
    scientific tools do, and can export 8-bit.
``MIN_SIDE`` (16 px)
    The face detector and the 48×48 expression model cannot find or read a
    face in fewer pixels than this.

Reduced decodes
---------------
``decode_reduced`` serves the analysis pipeline, which never needs every pixel
of a 12-40 MP photo: the detector sees at most ~1000 px and the expression model
48 px per face. JPEGs are decoded at 1/2, 1/4 or 1/8 scale by libjpeg itself
(``Image.draft``), which skips most of the inverse DCT and never allocates the
full-size array. Other formats have no reduced decode; they are decoded whole
in their own mode (1 byte per pixel for gray, 4 for float) and shrunk by an
integer factor before conversion to RGB, so the large intermediate arrays of
``decode_image`` (int64 and float64 copies of 16-bit and float images) are never made.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from moodtune.errors import ImageError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "MAX_DEEP_PIXELS",
    "MIN_SIDE",
    "ALLOWED_FORMATS",
    "ImageSource",
    "ReducedImage",
    "decode_image",
    "decode_reduced",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
MAX_DEEP_PIXELS = 12_000_000
_DEEP_MODES = ("I", "F", "I;16", "I;16L", "I;16B", "I;16N")
MIN_SIDE = 16

#: Pillow format names we decode (JPEG includes the MPO variant some cameras write).
#: Pillow can open many more, but some plugins shell out (EPS runs Ghostscript)
#: or are rarely audited; photos never need them.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")

ImageSource: TypeAlias = str | os.PathLike[str] | bytes | bytearray | memoryview | np.ndarray

# Transparent pixels carry undefined colour (often black); white is what a
# browser or photo viewer shows behind them, i.e. what the user saw.
_BACKGROUND = 255


def decode_image(
    source: ImageSource,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """Decode a file, encoded bytes or an array into an upright RGB image.

    Parameters
    ----------
    source : a path (``str`` or ``os.PathLike``), the encoded file's bytes, or
        an array. Encoded images may be any of ``ALLOWED_FORMATS``; the first
        frame of an animation is used. Arrays must be uint8 of shape (H, W),
        (H, W, 1), (H, W, 3) or (H, W, 4), channels in RGB(A) order (OpenCV
        users: convert from BGR first). Float arrays are refused rather than
        guessed at: [0, 1] and [0, 255] conventions look alike and a wrong
        guess silently ruins every later stage.
    max_bytes : refuse encoded input larger than this (checked before reading a file).
    max_pixels : refuse images with more pixels than this (checked on the header, before decoding).

    Returns
    -------
    ndarray of shape (H, W, 3), dtype uint8, RGB, C-contiguous; always a new
    array. EXIF orientation is applied, so H and W are those of the upright photo.
    Grayscale, palette, CMYK and 16-bit images are converted to 8-bit RGB;
    alpha is composited onto white.

    Raises
    ------
    ImageError : no such file, empty file, over ``max_bytes`` or ``max_pixels``,
        a side under ``MIN_SIDE``, not a recognised image format, or truncated/corrupt data.
    """
    if isinstance(source, np.ndarray):
        return _from_array(source, max_pixels)
    data, name = _encoded(source, max_bytes)
    return _decode_bytes(data, name, max_pixels, None).rgb


@dataclass(frozen=True)
class ReducedImage:
    """A photo decoded at reduced scale.

    Attributes
    ----------
    rgb : (h, w, 3) uint8 RGB, EXIF-upright, C-contiguous.
    full_size : (width, height) of the upright photo at full resolution.
    """

    rgb: np.ndarray
    full_size: tuple[int, int]

    @property
    def scale(self) -> float:
        """Pixels of ``rgb`` per full-resolution pixel (1.0 when nothing was reduced)."""
        return self.rgb.shape[1] / self.full_size[0]


def decode_reduced(
    source: ImageSource,
    long_side: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ReducedImage:
    """Decode ``source`` no larger than needed for a long side of at least ``long_side`` pixels.

    Same sources, limits and errors as ``decode_image``. The result's long side is
    at least ``min(long_side, full long side)`` and, for JPEGs, under twice that
    (or 8× smaller than the photo); other formats are shrunk by a whole factor.
    Arrays are validated and returned at full size: they are already in memory.
    """
    if isinstance(source, np.ndarray):
        rgb = _from_array(source, max_pixels)
        return ReducedImage(rgb, (rgb.shape[1], rgb.shape[0]))
    data, name = _encoded(source, max_bytes)
    return _decode_bytes(data, name, max_pixels, long_side)


def _encoded(source: ImageSource, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = "image bytes"
    elif isinstance(source, (str, os.PathLike)):
        data = _read_file(Path(source), max_bytes)
        name = os.fspath(source)
    else:
        raise ImageError(f"cannot read an image from a {type(source).__name__}")
    if not data:
        raise ImageError(f"{name}: empty file")
    if len(data) > max_bytes:
        raise ImageError(f"{name}: {len(data):,} bytes is over the limit of {max_bytes:,} bytes")
    return data, name


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except OSError as exc:
        raise ImageError(f"{path}: cannot read ({exc.strerror})") from exc
    if path.is_dir():
        raise ImageError(f"{path}: is a directory, not an image file")
    if size > max_bytes:
        raise ImageError(f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes")
    try:
        with path.open("rb") as handle:
            # +1 so a file that grew after stat() still trips the limit below.
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImageError(f"{path}: cannot read ({exc.strerror})") from exc


def _check_dimensions(width: int, height: int, max_pixels: int, name: str) -> None:
    if width * height > max_pixels:
        raise ImageError(
            f"{name}: {width}×{height} is {width * height / 1e6:.1f} megapixels, "
            f"over the limit of {max_pixels / 1e6:g} megapixels"
        )
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"{name}: {width}×{height} is too small, a face cannot be found in it "
            f"(each side needs at least {MIN_SIDE} px)"
        )


def _decode_bytes(data: bytes, name: str, max_pixels: int, long_side: int | None) -> ReducedImage:
    """Full resolution when ``long_side`` is None, else the smallest decode reaching it."""
    try:
        # Image.open reads only the header; pixels are decoded by load() below.
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except UnidentifiedImageError:
        raise ImageError(f"{name}: not a recognised image format (accepted: {', '.join(ALLOWED_FORMATS)})") from None
    except Image.DecompressionBombError as exc:
        # Pillow's own, looser guard fired first; report it in our terms.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.1f} megapixels" if found else "too many pixels"
        raise ImageError(f"{name}: {size}, over the limit of {max_pixels / 1e6:g} megapixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"{name}: image data is truncated or corrupt ({exc})") from exc
    with image:
        deep = image.mode in _DEEP_MODES
        if deep:
            _check_dimensions(*image.size, min(max_pixels, MAX_DEEP_PIXELS), f"{name} (16-bit or float pixels)")
        else:
            _check_dimensions(*image.size, max_pixels, name)
        full_size = image.size
        factor = 1 if long_side is None else max(1, max(full_size) // max(1, long_side))
        try:
            if factor > 1 and image.format in ("JPEG", "MPO"):
                # libjpeg picks the largest of 1/2, 1/4, 1/8 that still gives at least the requested size.
                image.draft(None, (math.ceil(full_size[0] / factor), math.ceil(full_size[1] / factor)))
            image.load()
            reduced = _shrink(image, full_size, factor)
            upright = ImageOps.exif_transpose(reduced)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError(f"{name}: image data is truncated or corrupt ({exc})") from exc
        log.debug("decoded %s: %s %s %s → %s", name, image.format, image.mode, full_size, upright.size)
        rgb = _to_rgb(upright)
    transposed = upright.size != reduced.size
    return ReducedImage(rgb, (full_size[1], full_size[0]) if transposed else full_size)


def _shrink(image: Image.Image, full_size: tuple[int, int], factor: int) -> Image.Image:
    """Divide the image's sides by what is left of ``factor`` after a JPEG draft, averaging blocks.

    Pillow's ``reduce`` cannot average palette, 1-bit or 16-bit pixels: palette and 1-bit
    images are converted first (alpha kept); 16-bit ones are averaged in numpy, still 16-bit.
    """
    left = max(1, factor // max(1, full_size[0] // image.size[0]))
    if left < 2:
        return image
    if image.mode.startswith("I;16"):
        import cv2

        wide = np.asarray(image).astype(np.uint16, copy=False)  # native byte order for OpenCV
        size = (max(1, wide.shape[1] // left), max(1, wide.shape[0] // left))
        return Image.fromarray(cv2.resize(wide, size, interpolation=cv2.INTER_AREA))
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode == "1":
        image = image.convert("L")
    return image.reduce(left)


def _to_rgb(image: Image.Image) -> np.ndarray:
    mode = image.mode
    if mode in ("I", "I;16", "I;16L", "I;16B", "I;16N", "F"):
        return _gray_to_rgb(_high_depth_to_uint8(np.asarray(image), mode))
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    elif mode in ("PA", "RGBa", "La"):
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA"):
        return _composite(np.asarray(image.convert("RGBA")))
    return np.array(image.convert("RGB"), dtype=np.uint8, order="C")


def _high_depth_to_uint8(values: np.ndarray, mode: str) -> np.ndarray:
    # Pillow's own convert() clips 16-bit values at 255 instead of rescaling,
    # which turns most 16-bit photos white.
    if mode == "F":
        # Float TIFFs have no agreed range; take [0, 1] if that is where the data lies.
        values = values.astype(np.float64)
        scale = 255.0 if np.nanmax(values, initial=0.0) <= 1.0 else 1.0
        return np.clip(np.nan_to_num(values) * scale, 0, 255).round().astype(np.uint8)
    wide = np.clip(values.astype(np.int64), 0, 65535)
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def _gray_to_rgb(gray: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))


def _composite(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[:, :, 3:4].astype(np.uint16)
    rgb = rgba[:, :, :3].astype(np.uint16)
    blended = (rgb * alpha + _BACKGROUND * (255 - alpha) + 127) // 255
    return np.ascontiguousarray(blended.astype(np.uint8))


def _from_array(array: np.ndarray, max_pixels: int) -> np.ndarray:
    if array.dtype != np.uint8:
        raise ImageError(
            f"image arrays must be uint8, got {array.dtype}; scale floats to 0..255 and convert with .astype(np.uint8)"
        )
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 2:
        _check_dimensions(array.shape[1], array.shape[0], max_pixels, "image array")
        return _gray_to_rgb(array)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ImageError(f"image arrays must have shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4), got {array.shape}")
    _check_dimensions(array.shape[1], array.shape[0], max_pixels, "image array")
    if array.shape[2] == 4:
        return _composite(array)
    return np.array(array, dtype=np.uint8, order="C", copy=True)
