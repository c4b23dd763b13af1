"""The end-to-end flow: photo → faces → expressions → affect → songs.

These two functions are the Python API most callers need; each stage is
also usable on its own from its sub-package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from moodtune.affect import AffectState, combine_affects
from moodtune.affect.fusion import FusedAffect
from moodtune.errors import InputError
from moodtune.music import Catalog, EmotionMapping, Recommendation
from moodtune.music import recommend as recommend_for_affect
from moodtune.perception.expression import (
    crop_frame,
    crop_square,
    heatmap_on_square,
    heatmaps_from_cams,
    load_expression_model,
    require_cams,
)
from moodtune.perception.faces import DEFAULT_DETECTOR, Face
from moodtune.perception.images import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, ImageSource
from moodtune.perception.photo import face_crops, find_faces
from moodtune.perception.text import TextMood

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["FaceReading", "ImageAnalysis", "ImageExplanation", "analyze_image", "explain_image", "recommend"]


@dataclass(frozen=True)
class FaceReading:
    """One detected face and the affect read from its expression."""

    face: Face
    affect: AffectState

    def as_dict(self) -> dict:
        d = self.affect.as_dict()
        return {
            "box": list(self.face.box),
            "emotion": d["emotion"],
            "confidence": d["confidence"],
            "probabilities": d["probabilities"],
            "detection_score": round(self.face.score, 4),
        }


@dataclass(frozen=True)
class ImageAnalysis:
    """Every face found in a photo, largest first, and the photo's overall affect.

    ``affect`` is None when no face was found. With several faces it is the
    mean of their probabilities weighted by face area: the person nearest the
    camera (usually the user) counts most, the others still count.
    """

    faces: tuple[FaceReading, ...]
    affect: AffectState | None
    image_size: tuple[int, int]  # width, height after EXIF rotation

    def as_dict(self) -> dict:
        return {
            "faces": [f.as_dict() for f in self.faces],
            "affect": self.affect.as_dict() if self.affect else None,
            "image_size": list(self.image_size),
        }


def _read_faces(
    image: ImageSource,
    *,
    model: str | None,
    detector: str,
    flip_tta: bool,
    explain: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> tuple[ImageAnalysis, np.ndarray | None]:
    """The analysis, plus (with ``explain``) each face's heat map of its dominant emotion, from one forward pass.

    The photo is decoded reduced for detection and, only if a face needs it, finer for its crop
    (``perception.photo``): the cost is bounded for any photo within the limits.
    """
    reduced, faces = find_faces(image, detector=detector, max_bytes=max_bytes, max_pixels=max_pixels)
    size = reduced.full_size
    if not faces:
        return ImageAnalysis((), None, size), None
    expression = load_expression_model(model)
    crops = face_crops(image, reduced, faces, expression.config, max_bytes=max_bytes, max_pixels=max_pixels)
    heat = None
    if explain:
        require_cams(expression)
        out = expression.infer(expression.preprocess(crops))
        proba = expression.proba_from_logits(out["logits"])
        heat = heatmaps_from_cams(out["cams"], proba.argmax(axis=1), expression.config.input_size)
    else:
        proba = expression.predict_proba(crops, flip_tta=flip_tta)
    readings = tuple(FaceReading(f, AffectState.from_probabilities(p)) for f, p in zip(faces, proba, strict=True))
    overall = combine_affects([r.affect for r in readings], [max(r.face.area, 1) for r in readings])
    return ImageAnalysis(readings, overall, size), heat


def analyze_image(
    image: str | os.PathLike | bytes | np.ndarray,
    *,
    model: str | None = None,
    detector: str = DEFAULT_DETECTOR,
    flip_tta: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ImageAnalysis:
    """Find the faces in ``image`` and read each one's emotion.

    Parameters
    ----------
    image : a file path, encoded bytes (JPEG/PNG/…), or an RGB/grayscale uint8
        array of shape (H, W[, C]). Decoded in memory only; nothing is stored.
    model : shipped expression model name, or a path to an ``.onnx`` file; None takes
        ``MOODTUNE_EXPRESSION_MODEL``, else ``DEFAULT_MODEL``.
    detector : registered face detector.
    flip_tta : average each face with its mirror image (slower, slightly more accurate).
    max_bytes, max_pixels : the limits ``decode_image`` enforces (``ImageError`` beyond them).

    Boxes are in pixels of the full-resolution, EXIF-upright photo, however it was decoded.
    """
    return _read_faces(
        image, model=model, detector=detector, flip_tta=flip_tta, max_bytes=max_bytes, max_pixels=max_pixels
    )[0]


@dataclass(frozen=True)
class ImageExplanation:
    """An analysis plus, per face, where the model saw the emotion it read.

    ``heatmaps[i]`` is a (S, S) float32 map in [0, 1] over the square
    ``squares[i]`` = (x, y, side) of the photo that face ``i`` was read from
    (it may reach past the photo's edges). A face read upright from a tilted head came from a
    turned square; ``squares[i]`` is then the upright square around it, and its map is turned
    back to match, so overlays stay upright squares.
    """

    analysis: ImageAnalysis
    heatmaps: tuple[np.ndarray, ...]
    squares: tuple[tuple[int, int, int], ...]


def explain_image(
    image: str | os.PathLike | bytes | np.ndarray,
    *,
    model: str | None = None,
    detector: str = DEFAULT_DETECTOR,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ImageExplanation:
    """``analyze_image`` plus a Grad-CAM heat map of each face's dominant emotion (same single forward pass)."""
    analysis, heat = _read_faces(
        image, model=model, detector=detector, flip_tta=False, explain=True, max_bytes=max_bytes, max_pixels=max_pixels
    )
    if heat is None:
        return ImageExplanation(analysis, (), ())
    config = load_expression_model(model).config
    # A face read upright from a tilted head: its map is turned back onto the upright square that holds the crop.
    faces = [r.face for r in analysis.faces]
    squares = tuple(crop_square(f.box, config, f.landmarks) for f in faces)
    angles = [crop_frame(f.box, config, f.landmarks).angle for f in faces]
    maps = tuple(heatmap_on_square(h, angle) for h, angle in zip(heat, angles, strict=True))
    return ImageExplanation(analysis, maps, squares)


def recommend(
    mood: str | AffectState | ImageAnalysis | TextMood | FusedAffect,
    *,
    strategy: str = "match",
    target: str | None = None,
    k: int = 5,
    user_id: str | None = None,
    catalog: Catalog | None = None,
    mapping: EmotionMapping | None = None,
    db: Engine | None = None,
) -> list[Recommendation]:
    """Songs for a mood: an emotion name (``"sad"``), an ``AffectState``, an ``ImageAnalysis``,
    a ``TextMood`` (from ``read_text_mood``) or a ``FusedAffect`` (from ``moodtune.affect.fusion.fuse``).

    ``strategy`` is ``"match"`` (stay with the feeling), ``"uplift"`` (towards
    positive valence), ``"calm"`` (towards low arousal) or ``"journey"`` (a playlist in
    playing order from the mood to ``target``: an emotion name or ``calm``, ``content``,
    ``energetic``; default happy for a negative mood, calm otherwise). ``user_id``
    personalises the list with that listener's stored likes, skips and ratings (in ``db``,
    default the feedback database). See ``moodtune.music.recommend`` for the rest.
    """
    if isinstance(mood, ImageAnalysis):
        if mood.affect is None:
            raise InputError("no face was found in the photo, so there is no mood to recommend for")
        affect = mood.affect
    elif isinstance(mood, TextMood):
        if mood.affect is None:
            raise InputError(f"no mood could be read from the text ({mood.status}): {mood.note}")
        affect = mood.affect
    elif isinstance(mood, FusedAffect):
        affect = mood.affect
    elif isinstance(mood, str):
        affect = AffectState.from_emotion(mood)
    else:
        affect = mood
    return recommend_for_affect(
        affect, catalog, strategy=strategy, target=target, k=k, user_id=user_id, mapping=mapping, db=db
    )
