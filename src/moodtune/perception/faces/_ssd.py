"""MediaPipe's SSD post-processing for BlazeFace: anchors, box decoding and weighted NMS.

Written from MediaPipe's documented calculator options (``SsdAnchorsCalculator``,
``TensorsToDetectionsCalculator``, ``NonMaxSuppressionCalculator`` with the
``WEIGHTED`` algorithm), which its face detection graphs configure. All
coordinates here are normalised to the model's square input, [0, 1].
"""

from __future__ import annotations

from itertools import groupby

import numpy as np

__all__ = ["ssd_anchor_centres", "decode_boxes", "weighted_nms"]


def ssd_anchor_centres(input_size: int, strides: tuple[int, ...], anchors_per_layer: int) -> np.ndarray:
    """Anchor centres in model output order.

    BlazeFace uses ``fixed_anchor_size``, so every anchor is 1×1 and only its
    centre matters; anchors sharing a location are repeated. Consecutive layers
    with the same stride share one feature map, as in MediaPipe.

    Returns
    -------
    ndarray of shape (n_anchors, 2), float32: (x, y) in [0, 1].
    """
    centres = []
    for stride, layers in groupby(strides):
        per_location = anchors_per_layer * len(list(layers))
        side = -(-input_size // stride)
        ys, xs = np.mgrid[0:side, 0:side]
        grid = np.stack([(xs + 0.5) / side, (ys + 0.5) / side], axis=-1).reshape(-1, 2)
        centres.append(np.repeat(grid, per_location, axis=0))
    return np.concatenate(centres).astype(np.float32)


def decode_boxes(raw: np.ndarray, anchors: np.ndarray, input_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn anchor-relative regressor output into boxes and keypoints.

    Parameters
    ----------
    raw : (n_anchors, 4 + 2 * n_keypoints): dx, dy, w, h, then keypoint dx, dy, in input pixels.
    anchors : (n_anchors, 2) centres from ``ssd_anchor_centres``.

    Returns
    -------
    boxes : (n_anchors, 4) float32 x0, y0, x1, y1, normalised.
    keypoints : (n_anchors, n_keypoints, 2) float32 x, y, normalised.
    """
    scaled = raw / np.float32(input_size)
    centre = scaled[:, 0:2] + anchors
    half = scaled[:, 2:4] / 2
    boxes = np.concatenate([centre - half, centre + half], axis=1)
    keypoints = scaled[:, 4:].reshape(len(raw), (raw.shape[1] - 4) // 2, 2) + anchors[:, None, :]
    return boxes, keypoints


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    x0 = np.maximum(box[0], others[:, 0])
    y0 = np.maximum(box[1], others[:, 1])
    x1 = np.minimum(box[2], others[:, 2])
    y1 = np.minimum(box[3], others[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (others[:, 2] - others[:, 0]) * (others[:, 3] - others[:, 1])
    union = area + areas - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def weighted_nms(
    boxes: np.ndarray, keypoints: np.ndarray, scores: np.ndarray, iou_threshold: float
) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Merge overlapping detections into score-weighted averages.

    BlazeFace fires on many neighbouring anchors per face; plain NMS would keep
    one jittery box, while blending all boxes that overlap the best one by more
    than ``iou_threshold`` gives a steadier box and keypoints. The merged face
    keeps the best score.

    Parameters
    ----------
    boxes : (n, 4); keypoints : (n, k, 2); scores : (n,), already thresholded.

    Returns
    -------
    list of (box (4,), keypoints (k, 2), score), best score first.
    """
    order = np.argsort(-scores, kind="stable")
    boxes, keypoints, scores = boxes[order], keypoints[order], scores[order]
    merged = []
    while len(scores):
        overlap = _iou(boxes[0], boxes) > iou_threshold
        overlap[0] = True
        weights = scores[overlap][:, None]
        total = float(weights.sum())
        box = (boxes[overlap] * weights).sum(axis=0) / total
        kps = (keypoints[overlap] * weights[:, :, None]).sum(axis=0) / total
        merged.append((box, kps, float(scores[0])))
        keep = ~overlap
        boxes, keypoints, scores = boxes[keep], keypoints[keep], scores[keep]
    return merged
