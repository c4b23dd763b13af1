"""Which face sizes the bounded detector finds in 4032×3024 phone photos, and what the scan copy's size costs.

Scenes are 4032×3024 JPEGs (quality 90) on a textured background, holding FER2013
PrivateTest faces of one size each: 40 to 2800 px. Small sizes are placed as groups
(several faces per photo), 1600 and 2800 px one per photo. Each photo goes through
the pipeline's detection path (a reduced decode, then BlazeFace within its pass
budget); a face counts as found when a box's centre lies in its square. For each
long side of the scan copy (``--sides``; the photo is decoded to at least that and
the detector capped at it) it prints the found share per face size and the median
decode + detect time per photo, measured in this process.

    python benchmarks/face_sizes.py --data ../shared/data/fer2013/fer2013.csv.gz
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import cv2
import numpy as np
from machine import cpu_flags, cpu_name
from scenes import phone_photo

from moodtune.perception.faces import get_detector
from moodtune.perception.faces.blazeface import MAX_PASSES
from moodtune.perception.images import decode_reduced
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import found_in_square

FACE_SIZES = (40, 60, 80, 120, 200, 400, 800, 1600, 2800)
SIZE = (4032, 3024)


def faces_per_photo(side: int) -> int:
    """As many faces as fit loosely (so groups look like groups), at most 12."""
    return max(1, min(12, (SIZE[1] // (2 * side)) ** 2))


def scenes_for(side: int, faces: np.ndarray, rng: np.random.Generator, per_size: int) -> list[tuple[bytes, list]]:
    n = faces_per_photo(side)
    out = []
    for start in range(0, per_size, n):
        picks = rng.choice(len(faces), min(n, per_size - start), replace=False)
        scene, squares = phone_photo(faces[picks], rng, size=SIZE, face_side=(side, side))
        jpeg = cv2.imencode(".jpg", cv2.cvtColor(scene, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])[1]
        out.append((jpeg.tobytes(), squares))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/fer2013/fer2013.csv.gz"))
    parser.add_argument("--per-size", type=int, default=24, help="faces per size")
    parser.add_argument("--sides", default="768,1024,1536", help="scan copy long sides to compare")
    args = parser.parse_args()

    faces = load_fer2013(args.data, "PrivateTest").images
    rng = np.random.default_rng(0)
    scenes = {side: scenes_for(side, faces, rng, args.per_size if side < 1600 else 6) for side in FACE_SIZES}
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores; flags: {' '.join(cpu_flags()) or 'unknown'}")
    print(f"4032x3024 JPEG q90, textured background; pass budget MAX_PASSES = {MAX_PASSES}")
    print(f"{'scan side':>9} " + " ".join(f"{s:>6}" for s in FACE_SIZES) + f" {'ms/photo':>9}")
    for long_side in (int(s) for s in args.sides.split(",")):
        detector = get_detector("blazeface", max_side=long_side)
        shares, times = [], []
        for side in FACE_SIZES:
            found = total = 0
            for jpeg, squares in scenes[side]:
                t0 = time.perf_counter()
                reduced = decode_reduced(jpeg, long_side)
                detected = detector.detect(reduced.rgb)
                times.append(time.perf_counter() - t0)
                boxes = [tuple(round(v / reduced.scale) for v in f.box) for f in detected]
                found += sum(any(found_in_square(b, s) for b in boxes) for s in squares)
                total += len(squares)
            shares.append(found / total)
        row = " ".join(f"{share:>6.0%}" for share in shares)
        print(f"{long_side:>9} {row} {statistics.median(times) * 1000:>9.1f}")
    print("faces per size: " + ", ".join(f"{s}px {sum(len(q) for _, q in scenes[s])}" for s in FACE_SIZES))


if __name__ == "__main__":
    main()
