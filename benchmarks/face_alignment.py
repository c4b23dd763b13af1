"""Tilted heads read with and without turning each face upright before the crop.

``--faces`` FER2013 PrivateTest faces (default 500, seed 0) are each placed in one 640×480
scene (``compose_photo``, faces 160–240 px); each scene is then turned about the face's centre
by 0, ±10, ±20 and ±30 degrees (``conditions.rotate``, positive = clockwise on screen). Every
scene goes through the real pipeline (``analyze_image``) twice: with BlazeFace as shipped, whose
eye keypoints turn the crop upright, and with the same detector's keypoints removed, which is
the axis-aligned crop faces without keypoints (Haar) still get. Prints per angle the faces found
(the same for both: one detector) and the accuracy on the faces found, without and with alignment.
``--min-degrees`` overrides the tilt below which a face is left as it is (``crop.ALIGN_MIN_DEGREES``).

    python benchmarks/face_alignment.py --data ../shared/data/fer2013/fer2013.csv.gz
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from machine import cpu_name

from moodtune.affect import EMOTIONS
from moodtune.perception.expression import crop
from moodtune.perception.faces import Face, FaceDetector, create_detector, register_detector
from moodtune.pipeline import analyze_image
from moodtune.training.data.conditions import rotate
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo, found_in_square

ANGLES = (0, 10, -10, 20, -20, 30, -30)


@dataclass(frozen=True)
class _WithoutKeypoints:
    """BlazeFace's boxes and scores with the landmarks dropped: the pipeline then crops axis-aligned."""

    detector: FaceDetector

    def detect(self, image_rgb: np.ndarray) -> list[Face]:
        return [replace(face, landmarks=()) for face in self.detector.detect(image_rgb)]


@register_detector
def blazeface_without_keypoints(**kwargs: Any) -> FaceDetector:
    return _WithoutKeypoints(create_detector("blazeface", **kwargs))


def read(scene: np.ndarray, square: tuple[int, int, int, int], detector: str) -> str | None:
    """The emotion read for the face placed at ``square``, or None when no detection lands on it."""
    for reading in analyze_image(scene, detector=detector).faces:
        if found_in_square(reading.face.box, square):
            return reading.affect.emotion
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/fer2013/fer2013.csv.gz"))
    parser.add_argument("--faces", type=int, default=500)
    parser.add_argument("--min-degrees", type=float, default=None)
    args = parser.parse_args()
    if args.min_degrees is not None:
        crop.ALIGN_MIN_DEGREES = args.min_degrees

    data = load_fer2013(args.data, "PrivateTest")
    rng = np.random.default_rng(0)
    picks = rng.choice(len(data), args.faces, replace=False)
    scenes = [compose_photo(data.images[i : i + 1], rng) for i in picks]
    truth = [EMOTIONS[data.labels[i]] for i in picks]

    print(f"CPU: {cpu_name()}")
    print(f"{args.faces} PrivateTest faces, one per 640x480 scene; tilts up to {crop.ALIGN_MIN_DEGREES}° left alone")
    print(f"{'tilt':>5} {'found':>7} {'acc. plain crop':>16} {'acc. upright crop':>18}")
    started = time.perf_counter()
    for angle in ANGLES:
        found, correct = 0, {"blazeface_without_keypoints": 0, "blazeface": 0}
        for (scene, (square,)), label in zip(scenes, truth, strict=True):
            turned = rotate(angle)(scene, square, rng)
            for detector in correct:
                emotion = read(turned, square, detector)
                found += emotion is not None and detector == "blazeface"
                correct[detector] += emotion == label
        plain, upright = (correct[d] / max(found, 1) for d in correct)
        print(f"{angle:>+4}° {found / args.faces:>7.1%} {plain:>16.1%} {upright:>18.1%}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
