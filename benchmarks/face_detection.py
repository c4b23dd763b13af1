"""Face detectors compared on FER2013 faces placed in photos, and on photos without faces.

For each registered detector (BlazeFace with tiles — the default —, BlazeFace on
the whole photo only, and OpenCV's Haar cascade as the baseline) it prints:
the share of 200 PrivateTest faces found in single-face 640×480 scenes, the
share of faces found in 1280×720 group scenes of 5 faces, false detections on
face-free images (noise, gradients, a drawn flower, stripes, checkerboards),
and the median detection time on a 640×480 photo, measured in this process.

    python benchmarks/face_detection.py --data ../shared/data/fer2013/fer2013.csv.gz
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from moodtune.perception.faces import detect_faces
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo, found_in_square

DETECTORS = {
    "blazeface (tiled, default)": {"detector": "blazeface"},
    "blazeface (whole photo only)": {"detector": "blazeface_untiled"},
    "haar cascade (baseline)": {"detector": "haar"},
}


def face_free_images(rng: np.random.Generator) -> list[np.ndarray]:
    """40 photos that contain no face: noise, gradients, flowers, stripes and checkerboards."""
    images = []
    for _ in range(8):
        images.append(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8))
        yy, xx = np.mgrid[0:480, 0:640]
        gradient = (xx * rng.uniform(0.1, 0.4) + yy * rng.uniform(0.1, 0.4)) % 256
        images.append(np.repeat(gradient[..., None], 3, axis=2).astype(np.uint8))
        flower = np.full((480, 640, 3), rng.integers(150, 230, 3), np.uint8)
        centre = (int(rng.integers(200, 440)), int(rng.integers(150, 330)))
        for k in range(8):
            angle = k * np.pi / 4
            petal = (int(centre[0] + 70 * np.cos(angle)), int(centre[1] + 70 * np.sin(angle)))
            cv2.ellipse(
                flower,
                petal,
                (55, 25),
                np.degrees(angle),
                0,
                360,
                tuple(int(c) for c in rng.integers(0, 255, 3)),
                -1,
            )
        cv2.circle(flower, centre, 30, (40, 40, 20), -1)
        cv2.circle(flower, (centre[0] - 10, centre[1] - 8), 6, (250, 250, 250), -1)
        images.append(flower)
        stripes = ((np.sin(xx / rng.uniform(4, 20)) > 0) * 255).astype(np.uint8)
        images.append(np.repeat(stripes[..., None], 3, axis=2))
        cells = int(rng.integers(20, 80))
        board = (((xx // cells) + (yy // cells)) % 2 * 255).astype(np.uint8)
        images.append(np.repeat(board[..., None], 3, axis=2))
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/fer2013/fer2013.csv.gz"))
    parser.add_argument("--faces", type=int, default=200)
    args = parser.parse_args()

    faces = load_fer2013(args.data, "PrivateTest").images
    rng = np.random.default_rng(0)
    picks = rng.choice(len(faces), args.faces, replace=False)
    singles = [compose_photo(faces[i : i + 1], rng) for i in picks]
    groups = [compose_photo(faces[i : i + 5], rng, size=(1280, 720), face_side=(150, 230)) for i in picks[:40:5]]
    empty = face_free_images(rng)

    print(f"{'detector':<30} {'single':>8} {'group of 5':>11} {'false hits':>11} {'640x480 ms':>11}")
    for name, kwargs in DETECTORS.items():
        found = sum(
            any(found_in_square(f.box, squares[0]) for f in detect_faces(scene, **kwargs)) for scene, squares in singles
        )
        group_found = group_total = 0
        for scene, squares in groups:
            detected = detect_faces(scene, **kwargs)
            group_found += sum(any(found_in_square(f.box, s) for f in detected) for s in squares)
            group_total += len(squares)
        false_hits = sum(len(detect_faces(image, **kwargs)) for image in empty)
        scene = singles[0][0]
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            detect_faces(scene, **kwargs)
            times.append(time.perf_counter() - t0)
        print(
            f"{name:<30} {found / len(singles):>8.1%} {group_found / group_total:>11.1%} "
            f"{false_hits:>5} in {len(empty):<3} {statistics.median(times) * 1000:>9.1f}"
        )


if __name__ == "__main__":
    main()
