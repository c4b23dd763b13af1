"""The condition transforms of benchmarks/face_conditions.py do what their names say, on a synthetic scene."""

import cv2
import numpy as np
import pytest

from moodtune.training.data import conditions as c
from moodtune.training.data.photos import compose_photo


@pytest.fixture(scope="module")
def scene():
    """A 640×480 scene with one 200-px "face": mid-grey random texture, sharp enough for JPEG and blur to show."""
    rng = np.random.default_rng(0)
    face = rng.integers(40, 216, (1, 48, 48), dtype=np.uint8)
    return compose_photo(face, rng, face_side=(200, 200))


def _region(image: np.ndarray, square, fx0: float, fy0: float, fx1: float, fy1: float) -> np.ndarray:
    x, y, side, _ = square
    return image[round(y + fy0 * side) : round(y + fy1 * side), round(x + fx0 * side) : round(x + fx1 * side)]


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float(10 * np.log10(255**2 / mse))


def _apply(transform: c.Transform, scene) -> np.ndarray:
    image, (square,) = scene
    out = transform(image, square, np.random.default_rng(1))
    assert out.shape == image.shape and out.dtype == np.uint8
    return out


def test_lower_jpeg_quality_loses_more(scene):
    image = scene[0]
    psnr = [_psnr(image, _apply(c.jpeg(q), scene)) for q in (70, 50, 30)]
    assert psnr[0] > psnr[1] > psnr[2] > 20, psnr


def test_blur_removes_detail_and_noise_adds_it(scene):
    image = scene[0]

    def detail(im: np.ndarray) -> float:
        return float(cv2.Laplacian(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())

    assert detail(image) > 4 * detail(_apply(c.gaussian_blur(3), scene)) > 4 * detail(_apply(c.gaussian_blur(6), scene))
    residual = _apply(c.noise(20), scene).astype(float) - image
    assert 17 < residual.std() < 21  # a little under 20 where clipping at 0/255 bites


def test_low_light_is_dark_and_noisy(scene):
    image = scene[0]
    dark = _apply(c.low_light(0.2, 6), scene).astype(float)
    assert dark.mean() == pytest.approx(0.2 * image.mean(), rel=0.1)
    assert (dark - 0.2 * image).std() > 4


def test_backlight_brightens_the_background_and_darkens_the_face(scene):
    image, (square,) = scene
    lit = _apply(c.backlight(), scene)
    assert _region(lit, square, 0, 0, 1, 1).mean() < 0.5 * _region(image, square, 0, 0, 1, 1).mean()
    assert lit[:20, :20].mean() > 200 > image[:20, :20].mean()


@pytest.mark.parametrize(
    ("transform", "covered", "kept"),
    [
        # (x0, y0, x1, y1) fractions of the face square: inside the occluder / well away from it
        (c.sunglasses(), [(0.25, 0.33, 0.37, 0.41), (0.61, 0.33, 0.73, 0.41)], [(0.3, 0.65, 0.7, 1.0)]),
        (c.mask_band(), [(0.1, 0.6, 0.9, 1.0)], [(0.0, 0.0, 1.0, 0.5)]),
        (c.hand_over_mouth(), [(0.45, 0.74, 0.7, 0.86)], [(0.0, 0.0, 0.6, 0.45)]),
    ],
)
def test_occluders_cover_their_region_only(scene, transform, covered, kept):
    image, (square,) = scene
    out = _apply(transform, scene)
    for box in covered:
        patch = _region(out, square, *box).astype(float)
        assert patch.reshape(-1, 3).std(axis=0).max() < 1  # one flat colour over the texture
        assert not np.array_equal(patch, _region(image, square, *box))
    for box in kept:
        assert np.array_equal(_region(out, square, *box), _region(image, square, *box))


def test_rotation_turns_the_face_clockwise_about_its_centre(scene):
    image, (square,) = scene
    x, y, side, _ = square
    marked = image.copy()
    cx, cy = x + side // 2, y + side // 2
    cv2.circle(marked, (cx + 60, cy), 5, (255, 0, 0), -1)  # red dot right of the centre
    turned = c.rotate(30)(marked, square, np.random.default_rng(1))
    red = (turned[..., 0] > 200) & (turned[..., 1] < 60)
    ys, xs = np.nonzero(red)
    # Clockwise on screen (y down): the dot moves down, to 60·(cos 30°, sin 30°) from the centre.
    assert xs.mean() == pytest.approx(cx + 60 * np.cos(np.radians(30)), abs=2)
    assert ys.mean() == pytest.approx(cy + 60 * np.sin(np.radians(30)), abs=2)


def test_squeeze_narrows_the_face_about_its_centre(scene):
    image, (square,) = scene
    out = _apply(c.squeeze(0.5), scene).astype(float)
    # The texture (high row-to-row variation) stays in the middle half; the outer quarters are smooth background.
    middle, outer = _region(out, square, 0.3, 0, 0.7, 1), _region(out, square, 0.02, 0, 0.22, 1)
    assert np.abs(np.diff(middle, axis=1)).mean() > 10 > 2 > np.abs(np.diff(outer, axis=1)).mean()
    background = image[square[1] : square[1] + square[3], square[0] - 1].astype(float)
    assert np.abs(outer[:, 0] - background).mean() < 8
