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
``MIN_SIDE`` (16 px)
    The face detector and the 48×48 expression model cannot find or read a
    face in fewer pixels than this.
"""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path
from typing import TypeAlias

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from moodtune.errors import ImageError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "MIN_SIDE",
    "ALLOWED_FORMATS",
    "ImageSource",
    "decode_image",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
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
    return _decode_bytes(data, name, max_pixels)


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


def _decode_bytes(data: bytes, name: str, max_pixels: int) -> np.ndarray:
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
        _check_dimensions(*image.size, max_pixels, name)
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError(f"{name}: image data is truncated or corrupt ({exc})") from exc
        log.debug("decoded %s: %s %s %s", name, image.format, image.mode, upright.size)
        return _to_rgb(upright)


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
