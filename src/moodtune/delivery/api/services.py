"""What the routes share: analysing uploaded bytes and turning library records into response models.

Nothing here knows about requests or status codes; errors are ``MoodtuneError``s
that ``errors.py`` maps to HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence

from moodtune.errors import ModelError
from moodtune.music import Recommendation, track_links
from moodtune.music.track import Track
from moodtune.perception.images import decode_image
from moodtune.pipeline import ImageAnalysis, analyze_image

from .deps import AppState
from .schemas import AffectOut, AnalyzeResponse, Box, FaceOut, ImageSize, Links, RecommendationOut, TrackOut

__all__ = ["analyze_bytes", "analysis_out", "faces_out", "recommendations_out", "track_out"]


def analyze_bytes(data: bytes, state: AppState) -> ImageAnalysis:
    """Decode a photo held in memory (within the size limits) and read every face in it.

    Raises
    ------
    ImageError : undecodable, or over the byte or pixel limit.
    ModelError : the expression model is not available.
    """
    settings = state.settings
    rgb = decode_image(data, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_pixels)
    if state.model_error:
        raise ModelError(state.model_error)
    return analyze_image(rgb, model=settings.model, detector=settings.detector)


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
    return [RecommendationOut(**_track_fields(r.track), score=round(r.score, 4), reason=r.reason) for r in recs]
