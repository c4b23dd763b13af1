"""End-to-end latency of photo → faces → emotions → songs, and classifier throughput.

Prints the median time for a 640×480 JPEG with one face (decode, detect,
crop, classify, recommend), each stage's share, and the expression model's
faces/second in batches and one at a time. Scenes are built from FER2013
PrivateTest faces (``--data``). Figures are for the machine it runs on;
the Haar-cascade pipeline runs in the same process as a baseline ratio.

    python benchmarks/latency.py --data ../shared/data/fer2013/fer2013.csv.gz
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import cv2
import numpy as np
from machine import cpu_name

import moodtune
from moodtune.perception.expression import crop_face, load_expression_model, to_gray
from moodtune.perception.faces import detect_faces
from moodtune.perception.images import decode_image
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo


def _median_ms(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up: first calls load models
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/fer2013/fer2013.csv.gz"))
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()

    faces = load_fer2013(args.data, "PrivateTest").images
    rng = np.random.default_rng(0)
    for face in faces:  # the first scene whose face is detected, so every stage does its full work
        scene, _ = compose_photo(face[None], rng)
        jpeg = cv2.imencode(".jpg", cv2.cvtColor(scene, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])[1]
        jpeg = jpeg.tobytes()
        rgb = decode_image(jpeg)
        detected = detect_faces(rgb)
        if detected:
            break
    model = load_expression_model()
    box = detected[0].box

    stages = {
        "decode JPEG": lambda: decode_image(jpeg),
        "detect (BlazeFace)": lambda: detect_faces(rgb),
        "crop + classify": lambda: model.predict_proba(crop_face(to_gray(rgb), box, model.config)[None]),
        "recommend (5 tracks)": lambda: moodtune.recommend("sad", k=5),
    }
    end_to_end = _median_ms(lambda: moodtune.recommend(moodtune.analyze_image(jpeg), k=5), args.repeats)
    haar = _median_ms(lambda: detect_faces(rgb, detector="haar"), args.repeats)
    blaze = _median_ms(stages["detect (BlazeFace)"], args.repeats)

    print(f"machine: {cpu_name()}, {os.cpu_count()} cores")
    print(f"end-to-end, 640x480 JPEG with one face: median {end_to_end:.2f} ms")
    for name, fn in stages.items():
        print(f"  {name:<22} {_median_ms(fn, args.repeats):7.2f} ms")
    print(f"detector ratio Haar / BlazeFace (same process): {haar / blaze:.1f}x ({haar:.1f} vs {blaze:.1f} ms)")

    batch = faces[:256]
    t0 = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        model.predict_proba(batch)
    batched = rounds * len(batch) / (time.perf_counter() - t0)
    single_ms = _median_ms(lambda: model.predict_proba(batch[:1]), args.repeats * 4)
    print(
        f"classifier: {batched:.0f} faces/s in batches of 256; single face median {single_ms:.2f} ms "
        f"({1000 / single_ms:.0f} faces/s)"
    )


if __name__ == "__main__":
    main()
