"""Face crops: axis-aligned without keypoints, turned upright with them, and heat maps that follow the turn."""

import math

import cv2
import numpy as np
import pytest

from moodtune.perception.expression import (
    ExpressionModelConfig,
    crop_face,
    crop_frame,
    crop_square,
    heatmap_on_square,
)
from moodtune.perception.expression.crop import ALIGN_MIN_DEGREES

CFG = ExpressionModelConfig(name="t", architecture="t", labels=("a", "b"), crop_scale=1.2, crop_shift=-0.05)
EYES = ((0.31, 0.37), (0.67, 0.37))  # where FER2013 faces have their eyes, as fractions of the face square


def _textured_photo(rng: np.random.Generator) -> np.ndarray:
    """A 480×640 grey photo with smooth random texture: turning it by 25° decorrelates any crop of it."""
    texture = cv2.GaussianBlur(rng.normal(0, 1, (480, 640)).astype(np.float32), (0, 0), 6)
    return np.clip(128 + texture / texture.std() * 40, 0, 255).astype(np.uint8)


def _old_crop(gray: np.ndarray, box: tuple[int, int, int, int], cfg: ExpressionModelConfig) -> np.ndarray:
    """The crop as it was before faces were turned upright, kept here as the reference."""
    x, y, w, h = box
    side = max(w, h) * cfg.crop_scale
    cx, cy = x + w / 2, y + h / 2 + cfg.crop_shift * h
    x0, y0, s = int(round(cx - side / 2)), int(round(cy - side / 2)), max(1, int(round(side)))
    pad = max(0, -x0, -y0, x0 + s - gray.shape[1], y0 + s - gray.shape[0])
    if pad:
        gray = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        x0, y0 = x0 + pad, y0 + pad
    interp = cv2.INTER_AREA if s > cfg.input_size else cv2.INTER_CUBIC
    return cv2.resize(gray[y0 : y0 + s, x0 : x0 + s], (48, 48), interpolation=interp)


def _eyes(square: tuple[int, int, int, int], turn: np.ndarray | None = None) -> tuple[tuple[float, float], ...]:
    x, y, side, _ = square
    points = np.array([(x + fx * side, y + fy * side) for fx, fy in EYES])
    if turn is not None:
        points = points @ turn[:, :2].T + turn[:, 2]
    return tuple((float(px), float(py)) for px, py in points)


@pytest.mark.parametrize("box", [(200, 100, 200, 200), (300, 200, 30, 36), (-20, 400, 180, 150), (560, -10, 90, 90)])
def test_faces_without_landmarks_are_cropped_as_before(box):
    gray = _textured_photo(np.random.default_rng(0))
    assert np.array_equal(crop_face(gray, box, CFG), _old_crop(gray, box, CFG))
    # Eyes level to within the threshold: the face is left as it is.
    level = _eyes(box[:3] + (box[2],))
    assert np.array_equal(crop_face(gray, box, CFG, level), _old_crop(gray, box, CFG))
    assert crop_square(box, CFG, level) == crop_square(box, CFG)


@pytest.mark.parametrize("side", [30, 100, 250])  # the turned crop stays inside the photo
def test_a_face_tilted_25_degrees_comes_out_upright(side):
    """Photo turned 25° about a face: with its eye keypoints the crop matches the untilted crop."""
    gray = _textured_photo(np.random.default_rng(side))
    square = (320 - side // 2, 240 - side // 2, side, side)
    upright = crop_face(gray, square, CFG).astype(float)
    turn = cv2.getRotationMatrix2D((320 + (side % 2) / 2, 240 + (side % 2) / 2), -25, 1.0)  # clockwise on screen
    tilted = cv2.warpAffine(gray, turn, (640, 480), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT_101)
    eyes = _eyes(square, turn)
    assert crop_frame(square, CFG, eyes).angle == pytest.approx(25, abs=0.01)

    def corr(crop: np.ndarray) -> float:
        return float(np.corrcoef(upright.ravel(), crop.astype(float).ravel())[0, 1])

    aligned, plain = corr(crop_face(tilted, square, CFG, eyes)), corr(crop_face(tilted, square, CFG))
    assert aligned > 0.97 and aligned > plain + 0.2, (aligned, plain)


def test_the_shift_follows_the_face_and_the_square_holds_the_turned_crop():
    box, angle = (200, 100, 200, 200), 30.0
    centre = np.array([300, 200])
    turn = cv2.getRotationMatrix2D((300, 200), -angle, 1.0)
    frame = crop_frame(box, CFG, _eyes(box, turn))
    # The crop centre moves "up the face" (crop_shift < 0), which for a face turned clockwise is up and to the right.
    offset = np.array([frame.cx, frame.cy]) - centre
    expected = -CFG.crop_shift * 200 * np.array([math.sin(math.radians(angle)), -math.cos(math.radians(angle))])
    assert np.allclose(offset, expected, atol=1e-6)
    x, y, side = crop_square(box, CFG, _eyes(box, turn))
    assert side == round(frame.side * (math.cos(math.radians(angle)) + math.sin(math.radians(angle))))
    assert abs(x + side / 2 - frame.cx) <= 0.5 and abs(y + side / 2 - frame.cy) <= 0.5


@pytest.mark.parametrize("angle", [-28.0, 17.0])
def test_heat_maps_are_turned_back_onto_the_upright_square(angle):
    """A bright dot read from a turned crop lands, on the upright square's heat map, where it is in the photo."""
    box = (220, 120, 200, 200)
    turn = cv2.getRotationMatrix2D((320, 220), -angle, 1.0)
    eyes = _eyes(box, turn)
    dot = (345, 262)
    gray = np.zeros((480, 640), np.uint8)
    cv2.circle(gray, dot, 6, 255, -1)
    heat = crop_face(gray, box, CFG, eyes).astype(np.float32) / 255
    x, y, side = crop_square(box, CFG, eyes)
    mapped = heatmap_on_square(heat, crop_frame(box, CFG, eyes).angle)
    assert mapped.shape == heat.shape and mapped.dtype == np.float32
    peak = np.array(np.unravel_index(np.argmax(cv2.GaussianBlur(mapped, (5, 5), 0)), mapped.shape))[::-1]
    in_photo = np.array([x, y]) + (peak + 0.5) * side / 48
    assert np.hypot(*(in_photo - dot)) < side / 48 * 1.5, (in_photo, dot)
    assert ALIGN_MIN_DEGREES < abs(angle)
    assert np.array_equal(heatmap_on_square(heat, 0.0), heat)
