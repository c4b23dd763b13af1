"""MediaPipe BlazeFace run by onnxruntime: no TensorFlow, no MediaPipe install.

The weights are MediaPipe's (Apache-2.0), shipped inside this package in ``models/``
with their licence (``LICENSE-BlazeFace.txt``; see also the project's NOTICE). MediaPipe
publishes them as TFLite files (kept in ``third_party/blazeface/``);
``scripts/convert_blazeface.py`` converts them to ONNX with a free batch dimension and
checks the result against the original (max |Δ| under 1e-4). The SHA-256 digests of the
shipped files are checked on load.

``short`` (default)
    128×128 input, 896 anchors; trained for faces within ~2 m of the camera,
    i.e. selfies and portraits, where a face spans at least ~1/10 of the photo side.
``full``
    192×192 input, 2304 anchors; meant for faces a few percent of the photo side.

Bounded cost
------------
Whatever the photo's size, a detection runs at most ``MAX_PASSES`` windows on a copy
whose long side is at most ``max_side`` (``DEFAULT_MAX_SIDE``) pixels, so its cost does not
grow with the pixel count beyond one area-averaging resize. All windows of a photo go through
the network as one batch, and one session serves every thread at once (onnxruntime's ``run``
is thread-safe): concurrent callers do not queue behind a lock.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moodtune.errors import InputError, ModelError

from ..onnx_session import open_session
from ._registry import register_detector, require_rgb
from ._ssd import decode_boxes, ssd_anchor_centres, weighted_nms
from .face import Face

# OpenCV is imported where a photo is resized, not here: this module registers itself when
# ``moodtune.perception.faces`` is imported, which callers that never detect a face do too.

__all__ = ["DEFAULT_MAX_SIDE", "MAX_PASSES", "BlazeFace", "blazeface", "blazeface_full", "weights_path"]

log = logging.getLogger(__name__)

_MODELS_DIR = Path(__file__).with_name("models")


@dataclass(frozen=True)
class _Variant:
    filename: str
    sha256: str
    input_size: int
    strides: tuple[int, ...]
    anchors_per_layer: int  # aspect ratio 1.0, plus one interpolated scale in the short-range graph


_VARIANTS = {
    "short": _Variant(
        "face_detection_short_range.onnx",
        "69aa11ab290df144e2ccbc85e8eea0425ec737cb784064758203faa7e7e3650e",
        128,
        (8, 16, 16, 16),
        2,
    ),
    "full": _Variant(
        "face_detection_full_range.onnx",
        "cf63c65c812aafee1a432440da155f1f0b95bf70aaee7d36f58a97aee14b8f3f",
        192,
        (4,),
        1,
    ),
}

#: MediaPipe's overlap threshold for merging detections of one face.
_NMS_IOU = 0.3
# MediaPipe clips logits to ±100 before the sigmoid so exp() cannot overflow.
_LOGIT_CLIP = 100.0

#: Most forward passes one detection runs: the whole photo, then whole levels of tiles (largest
#: first) while they fit. 25 is what a 1280×720 photo needed before the budget (so 640×480 and
#: 720p photos are scanned exactly as before); a 4:3 photo of any size gets 18 (tiles down to a
#: quarter of its short side), 16:9 up to 1920×1080 and beyond 25. At ~2 ms a pass this caps the
#: detector at ~50 ms on the 2-core development machine (docs/face-detection.md, "Bounded cost").
MAX_PASSES = 25

#: Long side, pixels, of the copy the detector scans. The tile schedule is relative to the photo,
#: and its smallest tiles (a quarter of the short side) still hold ≥ 128 px, the model's input, at
#: this size; a larger copy found no more faces and only costs resizing (benchmarks/face_sizes.py).
DEFAULT_MAX_SIDE = 1024

def weights_path(variant: str = "short") -> Path:
    """The BlazeFace model file shipped in this package, after checking it is intact.

    Raises
    ------
    ModelError : the file is missing or damaged (a broken installation: reinstall moodtune).
    """
    spec = _VARIANTS[variant]
    path = _MODELS_DIR / spec.filename
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise ModelError(f"the face detector file {spec.filename} is missing; reinstall moodtune") from None
    if digest != spec.sha256:
        raise ModelError(f"the face detector file {spec.filename} is damaged; reinstall moodtune")
    return path


class BlazeFace:
    """BlazeFace face detector.

    Parameters
    ----------
    min_score : keep faces whose probability is at least this. 0.6 is the
        threshold MediaPipe's full-range graph uses (its short-range graph uses
        0.5); on our face-free test images no false positive reaches it.
    variant : ``"short"`` or ``"full"``, see the module docstring.
    min_tile : smallest tile side, photo pixels, scanned besides the whole photo
        (0: whole photo only). Faces much smaller than min_tile / 8 are missed;
        on large photos ``MAX_PASSES`` stops the tiles first.
    max_side : the photo is scanned on a copy shrunk to this long side at most.
    """

    def __init__(
        self, min_score: float = 0.6, variant: str = "short", min_tile: int = 320, max_side: int = DEFAULT_MAX_SIDE
    ) -> None:
        if variant not in _VARIANTS:
            raise InputError(f"unknown BlazeFace variant {variant!r}; choose from {sorted(_VARIANTS)}")
        if not 0.0 <= min_score <= 1.0:
            raise InputError(f"min_score must lie in [0, 1], got {min_score}")
        if min_tile < 0:
            raise InputError(f"min_tile must be >= 0, got {min_tile}")
        if max_side < _VARIANTS[variant].input_size:
            raise InputError(f"max_side must be at least the model input, {_VARIANTS[variant].input_size} px")
        self.min_score = min_score
        self.variant = variant
        self.min_tile = min_tile
        self.max_side = max_side
        self._spec = _VARIANTS[variant]
        self._anchors = ssd_anchor_centres(self._spec.input_size, self._spec.strides, self._spec.anchors_per_layer)
        # A broken install fails here, at construction, not on the first photo.
        self._session = open_session(weights_path(variant))
        self._input_name = self._session.get_inputs()[0].name

    def detect(self, image_rgb: np.ndarray) -> list[Face]:
        """Find faces.

        The model sees a 128-pixel square, so faces under ~1/8 of the photo's
        long side are lost when the whole photo is squeezed into it. Besides the
        whole photo, the detector therefore also scans overlapping square tiles
        (sides halving from the photo's short side down to ``min_tile`` pixels,
        within ``MAX_PASSES`` passes) and merges all hits with weighted NMS. Tile
        hits touching a tile edge inside the photo are dropped: they are the
        cut-off part of a face that another window sees whole. Photos longer than
        ``max_side`` are scanned on a shrunk copy; boxes come back in photo pixels.

        Parameters
        ----------
        image_rgb : (H, W, 3) uint8 RGB.

        Returns
        -------
        list of Face, largest box first; landmarks in ``LANDMARK_NAMES`` order.
        """
        require_rgb(image_rgb)
        height, width = image_rgb.shape[:2]
        copy, scale = self._scan_copy(image_rgb)
        windows = self._windows(copy.shape[1], copy.shape[0], self.min_tile * scale)
        levels = self._levels(copy, {w for _, _, w, h in windows[1:] if w == h})
        blobs, placements = zip(*(self._window_blob(copy, window, levels) for window in windows), strict=True)
        scores, raw = self._forward(np.stack(blobs))
        found = [
            self._window_hits(copy.shape, window, placement, window_scores, window_raw)
            for window, placement, window_scores, window_raw in zip(windows, placements, scores, raw, strict=True)
        ]
        boxes = np.concatenate([f[0] for f in found]) / scale
        if not len(boxes):
            return []
        keypoints = np.concatenate([f[1] for f in found]) / scale
        scores = np.concatenate([f[2] for f in found])
        faces = []
        for box, points, score in weighted_nms(boxes, keypoints, scores, _NMS_IOU):
            x0, x1 = np.clip(np.rint(box[0::2]), 0, width).astype(int)
            y0, y1 = np.clip(np.rint(box[1::2]), 0, height).astype(int)
            if x1 <= x0 or y1 <= y0:
                continue
            landmarks = tuple((float(x), float(y)) for x, y in points)
            faces.append(Face((int(x0), int(y0), int(x1 - x0), int(y1 - y0)), score, landmarks))
        faces.sort(key=lambda face: (face.area, face.score), reverse=True)
        return faces

    def _scan_copy(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        """The image itself, or an area-averaged copy with a long side of ``max_side``; and its scale."""
        longest = max(image.shape[:2])
        if longest <= self.max_side:
            return image, 1.0
        import cv2

        scale = self.max_side / longest
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        copy = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        return copy, copy.shape[1] / image.shape[1]

    @staticmethod
    def _windows(width: int, height: int, min_tile: float) -> list[tuple[int, int, int, int]]:
        """The whole photo, then square tiles (x, y, side, side) at 50% overlap, halving in size.

        A level of tiles is scanned whole or not at all, and only while the total stays within
        ``MAX_PASSES``: a partly scanned level would find faces in some parts of the photo only.
        """
        windows = [(0, 0, width, height)]
        side = min(width, height)
        if max(width, height) <= side * 1.2:  # near-square photos gain nothing from a same-size tile
            side //= 2
        while min_tile and side >= min_tile:
            step = side // 2
            xs = list(range(0, width - side + 1, step)) or [0]
            ys = list(range(0, height - side + 1, step)) or [0]
            xs += [width - side] if xs[-1] != width - side else []
            ys += [height - side] if ys[-1] != height - side else []
            if len(windows) + len(xs) * len(ys) > MAX_PASSES:
                break
            windows += [(x, y, side, side) for y in ys for x in xs]
            side //= 2
        return windows

    def _window_hits(
        self,
        image_shape: tuple[int, ...],
        window: tuple[int, int, int, int],
        placement: tuple[float, float, float],
        scores: np.ndarray,
        raw: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One window's boxes (n, 4) x0, y0, x1, y1 and keypoints (n, 6, 2) in image pixels, with scores (n,)."""
        x, y, w, h = window
        scale, pad_x, pad_y = placement
        keep = scores >= self.min_score
        boxes, keypoints = decode_boxes(raw[keep], self._anchors[keep], self._spec.input_size)
        size = self._spec.input_size
        offset = np.array([pad_x, pad_y], np.float32)
        origin = np.array([x, y], np.float32)
        corners = (boxes.reshape(-1, 2, 2) * size - offset) / scale + origin
        points = (keypoints * size - offset) / scale + origin
        full_height, full_width = image_shape[:2]
        if (w, h) != (full_width, full_height):
            margin = 0.02 * w
            inner_left, inner_top = (x > 0) * (x + margin), (y > 0) * (y + margin)
            inner_right = full_width if x + w >= full_width else x + w - margin
            inner_bottom = full_height if y + h >= full_height else y + h - margin
            whole = (
                (corners[:, 0, 0] >= inner_left)
                & (corners[:, 0, 1] >= inner_top)
                & (corners[:, 1, 0] <= inner_right)
                & (corners[:, 1, 1] <= inner_bottom)
            )
            corners, points, scores = corners[whole], points[whole], scores[keep][whole]
        else:
            scores = scores[keep]
        return corners.reshape(-1, 4), points, scores

    def _levels(self, image: np.ndarray, tile_sides: set[int]) -> dict[int, np.ndarray]:
        """The image shrunk to each tile side's input scale, by tile side.

        Tiles are cut from these: resizing each overlapping tile on its own did the same work up
        to 4 times. The finest level is made from the image and each coarser one from the level
        before it, which costs a fraction of another pass over the whole image.
        """
        import cv2

        levels: dict[int, np.ndarray] = {}
        source = image
        height, width = image.shape[:2]
        for side in sorted(tile_sides):  # the smallest tiles need the finest level
            scale = self._spec.input_size / side
            dsize = (max(1, round(width * scale)), max(1, round(height * scale)))
            shrinking = dsize[0] < source.shape[1]
            source = cv2.resize(source, dsize, interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
            levels[side] = source
        return levels

    def _window_blob(
        self, image: np.ndarray, window: tuple[int, int, int, int], levels: dict[int, np.ndarray]
    ) -> tuple[np.ndarray, tuple[float, float, float]]:
        """A window's input blob and placement (as ``_letterbox``'s); tiles are cut from ``levels``."""
        x, y, w, h = window
        height, width = image.shape[:2]
        if (w, h) == (width, height) or w != h:
            return self._letterbox(image[y : y + h, x : x + w])
        size = self._spec.input_size
        scale = size / w
        level = levels[w]
        x0, y0 = min(round(x * scale), level.shape[1] - size), min(round(y * scale), level.shape[0] - size)
        patch = level[max(0, y0) : max(0, y0) + size, max(0, x0) : max(0, x0) + size]
        canvas = np.zeros((size, size, 3), np.uint8)
        canvas[: patch.shape[0], : patch.shape[1]] = patch
        # The tile's origin fell at x·scale in the level but is cut at x0: that sub-pixel shift is the padding.
        return _to_blob(canvas), (scale, x * scale - max(0, x0), y * scale - max(0, y0))

    def _letterbox(self, image: np.ndarray) -> tuple[np.ndarray, tuple[float, float, float]]:
        """Fit the image into the square input, keeping its aspect ratio, padding with black.

        Returns the (3, S, S) float32 blob in [-1, 1] (MediaPipe's input range), and the
        placement: the scale from image to input pixels, and the left and top padding in input pixels.
        """
        import cv2

        size = self._spec.input_size
        height, width = image.shape[:2]
        scale = size / max(height, width)
        new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        resized = cv2.resize(image, (new_w, new_h), interpolation=interpolation)
        pad_x, pad_y = (size - new_w) // 2, (size - new_h) // 2
        canvas = np.zeros((size, size, 3), np.uint8)
        canvas[pad_y : pad_y + new_h, pad_x : pad_x + new_w] = resized
        return _to_blob(canvas), (scale, float(pad_x), float(pad_y))

    def _forward(self, blobs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Run the network on (N, 3, S, S) blobs: scores (N, anchors) in [0, 1], regressors (N, anchors, 16)."""
        outputs = self._session.run(None, {self._input_name: blobs})
        # Output order differs between the variants' graphs; the score tensor is the one with 1 channel.
        logits, raw = sorted(outputs, key=lambda out: out.shape[-1])
        expected = (len(blobs), len(self._anchors))
        if logits.shape != (*expected, 1) or raw.shape != (*expected, 16):
            raise ModelError(f"unexpected BlazeFace outputs {[o.shape for o in outputs]} for {expected[1]} anchors")
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits[..., 0].astype(np.float64), -_LOGIT_CLIP, _LOGIT_CLIP)))
        return scores.astype(np.float32), raw


def _to_blob(canvas: np.ndarray) -> np.ndarray:
    """(S, S, 3) uint8 → (3, S, S) float32 in [-1, 1], MediaPipe's input range."""
    return (canvas.transpose(2, 0, 1).astype(np.float32) - 127.5) / 127.5


@register_detector
def blazeface(
    min_score: float = 0.6, variant: str = "short", min_tile: int = 320, max_side: int = DEFAULT_MAX_SIDE
) -> BlazeFace:
    """BlazeFace short range over the photo and its tiles: the default detector."""
    return BlazeFace(min_score=min_score, variant=variant, min_tile=min_tile, max_side=max_side)


@register_detector
def blazeface_untiled(min_score: float = 0.6) -> BlazeFace:
    """BlazeFace short range on the whole photo only: fastest, misses faces under ~1/8 of the photo."""
    return BlazeFace(min_score=min_score, min_tile=0)


@register_detector
def blazeface_full(min_score: float = 0.6, min_tile: int = 0) -> BlazeFace:
    """BlazeFace full range: for photos where faces are small."""
    return BlazeFace(min_score=min_score, variant="full", min_tile=min_tile)
