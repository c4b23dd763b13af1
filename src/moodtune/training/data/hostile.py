"""Hostile uploads, made in memory, and what one costs in a fresh process: for tests and benchmarks.

Each file is small on the wire and under the 40 MP cap, but was expensive when decoded naively
(14-21 s and up to 1.2 GB before decodes were bounded). Nothing is written to disk.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = ["HOSTILE_FILES", "HostileCost", "cost_in_fresh_process"]


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _lying_jpeg() -> bytes:
    """A 320×240 JPEG whose frame header claims 6324×6324 (libjpeg fills in the missing rows)."""
    rng = np.random.default_rng(0)
    data = bytearray(_encode(Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)), "JPEG"))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (6324).to_bytes(2, "big") * 2
    return bytes(data)


#: Name → a function making the file's bytes.
HOSTILE_FILES: dict[str, Callable[[], bytes]] = {
    "PNG of zeros, 6324x6324": lambda: _encode(Image.new("L", (6324, 6324)), "PNG", compress_level=9),
    "JPEG 320x240 claiming 6324x6324": _lying_jpeg,
    "float32 TIFF, 6000x6000": lambda: _encode(Image.new("F", (6000, 6000)), "TIFF", compression="tiff_adobe_deflate"),
    "16-bit PNG, 6000x6000": lambda: _encode(Image.new("I;16", (6000, 6000), 30000), "PNG", compress_level=9),
}


@dataclass(frozen=True)
class HostileCost:
    """Median milliseconds of ``analyze_image`` on the file, its peak memory above the resident set, and the outcome."""

    ms: float
    peak_mb: float
    outcome: str

    @property
    def refused(self) -> bool:
        return self.outcome.startswith("refused")


# The models are loaded and a 640×480 photo analysed first, then the peak-RSS mark (VmHWM) is reset,
# so only the file's own peak above what was resident is charged to it (Linux /proc).
_MEASURE = textwrap.dedent(
    """
    import json, statistics, sys, time
    import numpy as np
    from moodtune import analyze_image
    from moodtune.errors import ImageError
    analyze_image(np.full((480, 640, 3), 128, np.uint8))
    data, repeats = sys.stdin.buffer.read(), int(sys.argv[1])
    def rss_mb(field):
        return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field)) / 1024
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM, the peak resident set, to what is resident now
    before = rss_mb("VmRSS:")
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        try:
            outcome = f"analysed, {len(analyze_image(data).faces)} faces"
        except ImageError as exc:
            outcome = f"refused ({exc})"
        times.append(time.perf_counter() - t0)
    print(json.dumps({"ms": statistics.median(times) * 1000, "peak_mb": rss_mb("VmHWM:") - before, "outcome": outcome}))
    """
)


def cost_in_fresh_process(data: bytes, repeats: int = 1) -> HostileCost:
    """Analyse ``data`` ``repeats`` times in a new interpreter and report what it cost."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(repeats)], input=data, capture_output=True, check=True, timeout=300
    )
    return HostileCost(**json.loads(done.stdout.decode().strip().splitlines()[-1]))
