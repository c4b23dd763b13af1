"""Hostile uploads for the benchmarks, made in memory (no binary files in the repository).

Each is small on the wire and under the 40 MP cap, but expensive if decoded naively: the
cases issue 13 measured at 14-21 s and up to 1.2 GB before bounded decoding.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from PIL import Image

__all__ = ["HOSTILE_FILES"]


def _encode(image: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    return buf.getvalue()


def _lying_jpeg() -> bytes:
    """A 320×240 JPEG whose frame header claims 6324×6324 (libjpeg fills in the missing rows)."""
    rng = np.random.default_rng(0)
    data = bytearray(_encode(Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)), "JPEG"))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (6324).to_bytes(2, "big") * 2
    return bytes(data)


HOSTILE_FILES: dict[str, Callable[[], bytes]] = {
    "PNG of zeros, 6324x6324": lambda: _encode(Image.new("L", (6324, 6324)), "PNG", compress_level=9),
    "JPEG 320x240 claiming 6324x6324": _lying_jpeg,
    "float32 TIFF, 6000x6000": lambda: _encode(Image.new("F", (6000, 6000)), "TIFF", compression="tiff_adobe_deflate"),
    "16-bit PNG, 6000x6000": lambda: _encode(Image.new("I;16", (6000, 6000), 30000), "PNG", compress_level=9),
}
