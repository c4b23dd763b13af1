"""MediaPipe BlazeFace run through OpenCV's DNN module: no TensorFlow, no MediaPipe install.

The weights are MediaPipe's (Apache-2.0), shipped inside this package in ``models/``
with their licence (``LICENSE-BlazeFace.txt``; see also the project's NOTICE). They are
the files MediaPipe publishes, byte for byte; their SHA-256 digests are checked on load.

Two variants load in OpenCV 4.14 (``face_detection_full_range_sparse`` does not:
its DENSIFY op is unsupported):

``short`` (default)
    128×128 input, 896 anchors; trained for faces within ~2 m of the camera,
    i.e. selfies and portraits, where a face spans at least ~1/10 of the photo side.
``full``
    192×192 input, 2304 anchors; also finds faces a few percent of the photo side.

Bounded cost
------------
Whatever the photo's size, a detection runs at most ``MAX_PASSES`` forward passes on a copy
whose long side is at most ``max_side`` (``DEFAULT_MAX_SIDE``) pixels, so its cost does not
grow with the pixel count beyond one area-averaging resize. Each detection borrows a net of
its own from a small pool, so concurrent callers do not queue behind one lock.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from moodtune.errors import InputError, ModelError

from ._registry import register_detector, require_rgb
from ._ssd import decode_boxes, ssd_anchor_centres, weighted_nms
from .face import Face

if TYPE_CHECKING:
    import cv2

# OpenCV is imported where a detector is built or run, not here: this module registers itself when
# ``moodtune.perception.faces`` is imported, which callers that never detect a face do too.

__all__ = ["DEFAULT_MAX_SIDE", "MAX_NETS", "MAX_PASSES", "BlazeFace", "blazeface", "blazeface_full", "weights_path"]

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
        "face_detection_short_range.tflite",
        "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633",
        128,
        (8, 16, 16, 16),
        2,
    ),
    "full": _Variant(
        "face_detection_full_range.tflite",
        "99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3",
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

#: Most nets one detector keeps: one per concurrent caller (each ~1 MB); more callers wait for a free one.
MAX_NETS = 8


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
        self._output_names: list[str] = []
        # One cv2.dnn.Net must not run two forward passes at once, and instances are shared via a
        # cache; a pool gives each concurrent caller its own. The first net loads now, so a broken
        # install fails at construction.
        self._nets = _NetPool(self._load, MAX_NETS)
        with self._nets.borrow():
            pass

    def _load(self) -> cv2.dnn.Net:
        import cv2

        path = weights_path(self.variant)
        try:
            net = cv2.dnn.readNetFromTFLite(str(path))
        except cv2.error as exc:
            raise ModelError(f"OpenCV cannot load {path.name}: {exc}") from exc
        self._output_names = list(net.getUnconnectedOutLayersNames())
        log.debug("loaded %s, outputs %s", path.name, self._output_names)
        return net

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
        with self._nets.borrow() as net:
            found = [self._detect_window(net, copy, window) for window in windows]
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

    def _detect_window(
        self, net: cv2.dnn.Net, image: np.ndarray, window: tuple[int, int, int, int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Boxes (n, 4) x0, y0, x1, y1 and keypoints (n, 6, 2) in pixels of ``image``, with scores (n,)."""
        x, y, w, h = window
        blob, scale, pad_x, pad_y = self._letterbox(image[y : y + h, x : x + w])
        scores, raw = self._forward(net, blob)
        keep = scores >= self.min_score
        boxes, keypoints = decode_boxes(raw[keep], self._anchors[keep], self._spec.input_size)
        size = self._spec.input_size
        offset = np.array([pad_x, pad_y], np.float32)
        origin = np.array([x, y], np.float32)
        corners = (boxes.reshape(-1, 2, 2) * size - offset) / scale + origin
        points = (keypoints * size - offset) / scale + origin
        full_height, full_width = image.shape[:2]
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

    def _letterbox(self, image: np.ndarray) -> tuple[np.ndarray, float, float, float]:
        """Fit the image into the square input, keeping its aspect ratio, padding with black.

        Returns the (1, 3, S, S) float32 blob in [-1, 1] (MediaPipe's input range),
        the scale from image to input pixels, and the left and top padding in input pixels.
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
        blob = cv2.dnn.blobFromImage(canvas, scalefactor=1 / 127.5, mean=(127.5, 127.5, 127.5))
        return blob, scale, float(pad_x), float(pad_y)

    def _forward(self, net: cv2.dnn.Net, blob: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Run the net; returns scores (n_anchors,) in [0, 1] and regressors (n_anchors, 16)."""
        net.setInput(blob)
        outputs = net.forward(self._output_names)
        # Output order differs between the variants' graphs; the score tensor is the one with 1 channel.
        logits, raw = sorted(outputs, key=lambda out: out.shape[-1])
        n_anchors = len(self._anchors)
        if logits.shape != (1, n_anchors, 1) or raw.shape != (1, n_anchors, 16):
            raise ModelError(f"unexpected BlazeFace outputs {[o.shape for o in outputs]} for {n_anchors} anchors")
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits[0, :, 0].astype(np.float64), -_LOGIT_CLIP, _LOGIT_CLIP)))
        return scores.astype(np.float32), raw[0]


class _NetPool:
    """Nets created on demand, one per concurrent caller up to ``cap``, lent through a queue."""

    def __init__(self, load: Callable[[], cv2.dnn.Net], cap: int) -> None:
        self._load = load
        self._cap = cap
        self._made = 0
        self._idle: queue.SimpleQueue[cv2.dnn.Net] = queue.SimpleQueue()
        self._count_lock = threading.Lock()  # guards only the count, never a forward pass

    @contextmanager
    def borrow(self) -> Iterator[cv2.dnn.Net]:
        try:
            net = self._idle.get_nowait()
        except queue.Empty:
            with self._count_lock:
                make = self._made < self._cap
                self._made += int(make)
            try:
                net = self._load() if make else self._idle.get()
            except BaseException:
                with self._count_lock:
                    self._made -= int(make)
                raise
        try:
            yield net
        finally:
            self._idle.put(net)


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
