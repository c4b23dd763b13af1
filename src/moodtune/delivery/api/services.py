"""What the routes share: analysing uploaded bytes and turning library records into response models.

Nothing here knows about requests or status codes; errors are ``MoodtuneError``s
that ``errors.py`` maps to HTTP.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from moodtune.delivery.annotate import heatmap_rgba
from moodtune.errors import ModelError
from moodtune.music import Recommendation, track_links
from moodtune.music.export import spotify_uri
from moodtune.music.track import Track
from moodtune.pipeline import ImageAnalysis, ImageExplanation, analyze_image, explain_image

from .deps import AppState
from .schemas import (
    AffectOut,
    AnalyzeResponse,
    Box,
    ExplainedFaceOut,
    ExplainResponse,
    FaceOut,
    HeatmapOut,
    ImageSize,
    Links,
    RecommendationOut,
    Square,
    TrackOut,
)

__all__ = [
    "analyze_bytes",
    "analysis_out",
    "explain_bytes",
    "explanation_out",
    "faces_out",
    "heatmap_png",
    "recommendations_out",
    "track_out",
]

#: Largest side of a heat map PNG sent to the page; the browser scales it up to the face square.
HEATMAP_MAX_SIDE = 256


def _photo_options(state: AppState) -> dict[str, Any]:
    """The pipeline's arguments for an uploaded photo: the app's model, detector and limits."""
    if state.model_error:
        raise ModelError(state.model_error)
    settings = state.settings
    return {
        "model": settings.expression_model,
        "detector": settings.detector,
        "max_bytes": settings.max_upload_bytes,
        "max_pixels": settings.max_pixels,
    }


def analyze_bytes(data: bytes, state: AppState) -> ImageAnalysis:
    """Decode a photo held in memory (within the size limits) and read every face in it.

    Raises
    ------
    ImageError : undecodable, or over the byte or pixel limit.
    ModelError : the expression model is not available.
    """
    # The bytes go to the pipeline undecoded: it decodes a photo only as finely as its faces need.
    return analyze_image(data, **_photo_options(state))


def explain_bytes(data: bytes, state: AppState) -> ImageExplanation:
    """``analyze_bytes`` plus each face's Grad-CAM heat map (from the same forward pass).

    Raises
    ------
    ImageError : undecodable, or over the byte or pixel limit.
    ModelError : the expression model is not available.
    """
    return explain_image(data, **_photo_options(state))


def heatmap_png(heatmap: np.ndarray, side: int) -> str:
    """A heat map as a ``data:image/png;base64,…`` URL of an RGBA image at most ``HEATMAP_MAX_SIDE`` wide.

    Encoded in memory; nothing is written to disk.
    """
    rgba = heatmap_rgba(heatmap, max(1, min(side, HEATMAP_MAX_SIDE)))
    ok, png = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    if not ok:  # pragma: no cover - PNG encoding of a uint8 array does not fail
        raise RuntimeError("could not encode the heat map as PNG")
    return "data:image/png;base64," + base64.b64encode(png.tobytes()).decode("ascii")


def faces_out(analysis: ImageAnalysis) -> list[FaceOut]:
    return [
        FaceOut(
            box=Box(x=r.face.box[0], y=r.face.box[1], w=r.face.box[2], h=r.face.box[3]),
            detection_score=round(r.face.score, 4),
            affect=AffectOut.of(r.affect),
        )
        for r in analysis.faces
    ]


def analysis_out(analysis: ImageAnalysis) -> AnalyzeResponse:
    return AnalyzeResponse(
        faces=faces_out(analysis),
        affect=AffectOut.of(analysis.affect) if analysis.affect else None,
        image_size=ImageSize(width=analysis.image_size[0], height=analysis.image_size[1]),
    )


def explanation_out(explanation: ImageExplanation) -> ExplainResponse:
    base = analysis_out(explanation.analysis)
    faces = [
        ExplainedFaceOut(
            **face.model_dump(),
            heatmap=HeatmapOut(square=Square(x=x, y=y, side=side), png=heatmap_png(heatmap, side)),
        )
        for face, heatmap, (x, y, side) in zip(base.faces, explanation.heatmaps, explanation.squares, strict=True)
    ]
    return ExplainResponse(faces=faces, affect=base.affect, image_size=base.image_size)


def _track_fields(track: Track) -> dict:
    links = track_links(track)
    # track_links ignores malformed ids; the page embeds a player only for a valid one.
    playable = bool(track.spotify_id) and links["spotify"].endswith(f"/track/{track.spotify_id}")
    return {
        "id": track.id,
        "title": track.title,
        "artist": track.artist,
        "year": track.year,
        "genres": list(track.genres),
        "valence": track.valence,
        "arousal": track.arousal,
        "spotify_id": track.spotify_id if playable else None,
        "links": Links(**links),
    }


def track_out(track: Track) -> TrackOut:
    return TrackOut(**_track_fields(track))


def recommendations_out(recs: Sequence[Recommendation]) -> list[RecommendationOut]:
    return [
        RecommendationOut(
            **_track_fields(r.track),
            position=position,
            score=round(r.score, 4),
            reason=r.reason,
            factors=dict(r.factors),
            waypoint=r.rounded_waypoint(),
            spotify_uri=spotify_uri(r.track),
        )
        for position, r in enumerate(recs, start=1)
    ]
