"""Detection and expression reading under the conditions real photos bring, and false alarms on real images.

``--faces`` FER2013 PrivateTest faces (default 200, seed 0; the same faces in every row) go
through the real pipeline (``analyze_image``, default detector and model, upright crops on) once
per condition. Every row but the size rows starts from the same 640×480 scene per face
(``compose_photo``, faces 160–240 px) and applies one transform from
``moodtune.training.data.conditions``: JPEG quality 30/50/70, Gaussian blur, noise, low light,
backlight, a hand over the mouth, a mask band, sunglasses, a tilted head (10/20/30°), a face
squeezed to 70%/50% of its width (a yaw proxy). The size rows place the face at 40–1000 px in
a 1600×1200 scene. Per row: the share of faces found (a box centred on the face), the accuracy
on the faces found, and boxes elsewhere in the scene.

Negatives: the face-free photographs bundled in scikit-image's wheel (``skimage.data``; those
fetched over the network and those showing a person are left out), each as shipped and resized
so its long side is 1600 px; prints the faces found in each and per megapixel.

    python benchmarks/face_conditions.py --data ../shared/data/fer2013/fer2013.csv.gz
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from machine import cpu_name

from moodtune.affect import EMOTIONS
from moodtune.pipeline import analyze_image
from moodtune.training.data import conditions as c
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo, found_in_square

#: (row name, transform) on the 640×480 scenes; None is the clean baseline.
CONDITIONS: tuple[tuple[str, c.Transform | None], ...] = (
    ("clean", None),
    ("JPEG quality 70", c.jpeg(70)),
    ("JPEG quality 50", c.jpeg(50)),
    ("JPEG quality 30", c.jpeg(30)),
    ("blur sigma 3 px", c.gaussian_blur(3)),
    ("blur sigma 6 px", c.gaussian_blur(6)),
    ("noise sigma 20", c.noise(20)),
    ("low light (x0.2, noise 6)", c.low_light()),
    ("backlight", c.backlight()),
    ("hand over mouth", c.hand_over_mouth()),
    ("mask band", c.mask_band()),
    ("sunglasses", c.sunglasses()),
    ("tilt 10°", c.rotate(10)),
    ("tilt 20°", c.rotate(20)),
    ("tilt 30°", c.rotate(30)),
    ("squeeze to 70%", c.squeeze(0.7)),
    ("squeeze to 50%", c.squeeze(0.5)),
)
SIZES = (40, 80, 160, 400, 1000)
SIZE_SCENE = (1600, 1200)

#: scikit-image's bundled photographs without a person (astronaut, camera and lfw_subset show faces).
NEGATIVES = (
    "brick",
    "cell",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "grass",
    "gravel",
    "horse",
    "hubble_deep_field",
    "immunohistochemistry",
    "moon",
    "page",
    "retina",
    "rocket",
    "text",
)


@dataclass(frozen=True)
class Row:
    found: int
    correct: int
    elsewhere: int  # boxes not on the placed face


def score(scenes: list[tuple[np.ndarray, tuple[int, int, int, int]]], truth: list[str]) -> Row:
    found = correct = elsewhere = 0
    for (scene, square), label in zip(scenes, truth, strict=True):
        hit = False
        for reading in analyze_image(scene).faces:
            if not hit and found_in_square(reading.face.box, square):
                hit, found, correct = True, found + 1, correct + (reading.affect.emotion == label)
            else:
                elsewhere += 1
    return Row(found, correct, elsewhere)


def negative_images() -> dict[str, np.ndarray]:
    """Each bundled photograph as (H, W, 3) uint8 RGB; loading fails loudly if one is not in the wheel."""
    from skimage import data

    images = {}
    for name in NEGATIVES:
        image = np.asarray(getattr(data, name)())
        if image.dtype == bool:  # the horse silhouette
            image = image.astype(np.uint8) * 255
        images[name] = np.repeat(image[..., None], 3, axis=2) if image.ndim == 2 else image[..., :3]
    return images


def to_long_side(image: np.ndarray, side: int) -> np.ndarray:
    scale = side / max(image.shape[:2])
    size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def print_row(name: str, row: Row, n: int) -> None:
    accuracy = f"{row.correct / row.found:.1%}" if row.found else "-"
    print(f"{name:<27} {row.found / n:>7.1%} {accuracy:>9} {row.correct / n:>9.1%} {row.elsewhere:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/fer2013/fer2013.csv.gz"))
    parser.add_argument("--faces", type=int, default=200)
    args = parser.parse_args()

    data = load_fer2013(args.data, "PrivateTest")
    rng = np.random.default_rng(0)
    picks = rng.choice(len(data), args.faces, replace=False)
    truth = [EMOTIONS[data.labels[i]] for i in picks]
    base = [compose_photo(data.images[i : i + 1], rng) for i in picks]

    print(f"CPU: {cpu_name()}")
    print(f"{args.faces} PrivateTest faces per row, seed 0")
    print(f"{'condition':<27} {'found':>7} {'acc.found':>9} {'read, all':>9} {'boxes else':>10}")
    started = time.perf_counter()
    for k, (name, transform) in enumerate(CONDITIONS):
        transform_rng = np.random.default_rng(k)  # each row's noise is fixed, whatever ran before it
        scenes = [(scene if transform is None else transform(scene, sq, transform_rng), sq) for scene, (sq,) in base]
        print_row(name, score(scenes, truth), args.faces)
    size_rng = np.random.default_rng(1)
    for side in SIZES:
        faces = [data.images[i : i + 1] for i in picks]
        placed = [compose_photo(face, size_rng, size=SIZE_SCENE, face_side=(side, side)) for face in faces]
        print_row(f"face {side} px in 1600x1200", score([(s, sq) for s, (sq,) in placed], truth), args.faces)

    print(f"\nface-free photographs (skimage.data {_skimage_version()}): faces found as shipped / at long side 1600")
    total = {"as shipped": [0, 0.0], "long side 1600": [0, 0.0]}
    for name, image in negative_images().items():
        counts = []
        for variant, picture in (("as shipped", image), ("long side 1600", to_long_side(image, 1600))):
            hits = len(analyze_image(picture).faces)
            total[variant][0] += hits
            total[variant][1] += picture.shape[0] * picture.shape[1] / 1e6
            counts.append(f"{hits} in {picture.shape[1]}x{picture.shape[0]}")
        print(f"  {name:<22} {counts[0]:>16} {counts[1]:>18}")
    for variant, (hits, megapixels) in total.items():
        print(f"  {variant}: {hits} false faces in {megapixels:.1f} MP = {hits / megapixels:.2f} per MP")
    print(f"({time.perf_counter() - started:.0f} s)")


def _skimage_version() -> str:
    import skimage

    return skimage.__version__


if __name__ == "__main__":
    main()
