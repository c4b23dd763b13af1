"""Pydantic models of every request and response body of the REST API and the stream."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from moodtune.affect import EMOTIONS, AffectState
from moodtune.music.feedback import MAX_TRACK_ID, MAX_USER_ID
from moodtune.music.strategies import JOURNEY_TARGETS, STRATEGIES

__all__ = [
    "AffectOut",
    "AnalysisIn",
    "AnalyzeResponse",
    "Box",
    "CatalogSearchResponse",
    "ErrorDetail",
    "ErrorResponse",
    "ExplainResponse",
    "ExplainedFaceOut",
    "FusedAffectOut",
    "SourceOut",
    "TextMoodOut",
    "FaceOut",
    "HeatmapOut",
    "FeedbackIn",
    "FeedbackList",
    "FeedbackOut",
    "HealthResponse",
    "Links",
    "ModelInfo",
    "RecommendRequest",
    "RecommendResponse",
    "StreamConfig",
    "StreamDropped",
    "StreamError",
    "StreamFrame",
    "StreamPlaylist",
    "TrackOut",
    "RecommendationOut",
]

Probabilities = dict[str, float]
#: Scores a client sends: finite and non-negative; they are relative weights, renormalised to sum to 1.
ProbabilitiesIn = dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]]
_PROBS_DOC = f"emotion → probability, keys in FER2013 order: {', '.join(EMOTIONS)}"
#: Request bodies take JSON types as they are: no "5" for 5, no true for 1.
_STRICT_INPUT = ConfigDict(extra="forbid", strict=True)


def _check_probabilities(value: Probabilities | None) -> Probabilities | None:
    if value is None:
        return None
    unknown = sorted(set(value) - set(EMOTIONS))
    if unknown:
        raise ValueError(f"unknown emotions {unknown}; use {', '.join(EMOTIONS)}")
    if not sum(value.values()) > 0:
        raise ValueError("at least one emotion needs a probability above 0")
    return value


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable, e.g. bad_image, too_large, unsupported_type, invalid_input")
    message: str = Field(description="what went wrong, for people")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class AffectOut(BaseModel):
    emotion: str = Field(description="the most probable emotion")
    confidence: float = Field(ge=0, le=1)
    probabilities: Probabilities = Field(description=_PROBS_DOC)
    valence: float = Field(ge=-1, le=1, description="negative (-1) … positive (+1)")
    arousal: float = Field(ge=-1, le=1, description="calm (-1) … energetic (+1)")

    @classmethod
    def of(cls, affect: AffectState) -> AffectOut:
        return cls(**affect.as_dict())


class SourceOut(BaseModel):
    source: Literal["face", "text", "pick"]
    probabilities: Probabilities = Field(description=_PROBS_DOC)
    weight: float = Field(ge=0, le=1, description="share of the fused mood; a pick has 1 and the others 0")


class FusedAffectOut(AffectOut):
    sources: list[SourceOut] = Field(
        default_factory=list, description="the readings fused into this mood; empty for raw probabilities"
    )


class TextMoodOut(BaseModel):
    status: Literal["ok", "no_signal", "unsupported_language"]
    affect: AffectOut | None = Field(description="the text's reading; null unless status is ok")
    note: str | None = Field(description="why there is no reading, or that the text was truncated")
    truncated: bool


class Box(BaseModel):
    x: int
    y: int
    w: int
    h: int


class FaceOut(BaseModel):
    box: Box = Field(description="pixels of the upright (EXIF-rotated) photo")
    detection_score: float
    affect: AffectOut


class ImageSize(BaseModel):
    width: int
    height: int


class AnalyzeResponse(BaseModel):
    faces: list[FaceOut] = Field(description="largest face first; empty when none was found")
    affect: AffectOut | None = Field(description="the photo's mood: faces weighted by area; null without a face")
    image_size: ImageSize


class Square(BaseModel):
    x: int
    y: int
    side: int


class HeatmapOut(BaseModel):
    square: Square = Field(description="the photo square the map covers, in pixels; may reach past the photo's edges")
    png: str = Field(
        description="data:image/png;base64 URL of an RGBA image: JET colours, opacity rising with the heat"
    )


class ExplainedFaceOut(FaceOut):
    heatmap: HeatmapOut = Field(description="Grad-CAM: where the model saw the face's dominant emotion")


class ExplainResponse(AnalyzeResponse):
    # Narrows the parent's faces to explained ones; pydantic validates the narrower type.
    faces: list[ExplainedFaceOut] = Field(  # type: ignore[assignment]
        description="largest face first; empty when none was found"
    )


class AffectIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    probabilities: ProbabilitiesIn

    _known_emotions = field_validator("probabilities")(_check_probabilities)


class AnalysisIn(BaseModel):
    """An ``AnalyzeResponse`` sent back; only its ``affect`` is used."""

    model_config = ConfigDict(extra="ignore", strict=True)
    affect: AffectIn | None


class RecommendRequest(BaseModel):
    """Exactly one of ``mood``, ``probabilities`` or ``analysis`` says how the listener feels,
    or ``text``, alone or with ``analysis`` (fused by confidence) or ``mood`` (the pick overrides)."""

    model_config = _STRICT_INPUT
    mood: str | None = Field(None, description=f"one of {', '.join(EMOTIONS)}", examples=["sad"])
    probabilities: ProbabilitiesIn | None = Field(None, description=_PROBS_DOC + "; missing emotions count 0")
    analysis: AnalysisIn | None = Field(None, description="a response of POST /api/v1/analyze")
    text: str | None = Field(
        None, max_length=20_000, description="English text to read the mood from (first 2,000 characters)"
    )
    strategy: str = Field(
        "match",
        description=f"one of {', '.join(STRATEGIES)}: match the mood, uplift it, calm it, or a journey "
        "from it to `target`, in playing order",
        examples=["journey"],
    )
    target: str | None = Field(
        None,
        description=f"journey only: where it ends, one of {', '.join(JOURNEY_TARGETS)}; "
        "default happy for a negative mood, calm otherwise",
        examples=["happy"],
    )
    k: int = Field(5, ge=1, le=50, description="number of tracks (a journey needs at least 2)")
    user_id: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_USER_ID,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="personalise with this listener's stored likes, skips and ratings",
    )

    @model_validator(mode="after")
    def _exactly_one_source(self) -> RecommendRequest:
        given = [n for n in ("mood", "probabilities", "analysis") if getattr(self, n) is not None]
        if self.text is not None:
            if self.probabilities is not None:
                raise ValueError("text goes alone, with analysis, or with mood; not with probabilities")
        elif len(given) != 1:
            raise ValueError(f"give exactly one of mood, probabilities or analysis (got {len(given)})")
        return self

    _known_emotions = field_validator("probabilities")(_check_probabilities)


class Links(BaseModel):
    spotify: str
    youtube: str


class TrackOut(BaseModel):
    id: str
    title: str
    artist: str
    year: int | None
    genres: list[str]
    valence: float
    arousal: float
    spotify_id: str | None = Field(description="set when the track can be played in Spotify's embedded player")
    links: Links


class RecommendationOut(TrackOut):
    position: int = Field(ge=1, description="place in the list, from 1; a journey's playing order")
    score: float
    reason: str = Field(description="one line on why this track fits, built from `factors`")
    factors: dict[str, float] = Field(
        description="what ranked it: distance to the point aimed at, and mood_fit, mood_label, genre_affinity, "
        "popularity, audio_similarity, personal_affinity, each in [0, 1]"
    )
    waypoint: list[float] | None = Field(
        None, description="journey only: [valence, arousal] of this track's step", min_length=2, max_length=2
    )
    spotify_uri: str | None = Field(description="spotify:track:<id> when the Spotify id is known")


class RecommendResponse(BaseModel):
    affect: FusedAffectOut
    text: TextMoodOut | None = Field(None, description="the text's reading, when text was sent")
    strategy: str
    target: str | None = Field(None, description="journey only: where it ends")
    user_id: str | None = Field(None, description="the listener the list was personalised for")
    tracks: list[RecommendationOut] = Field(description="best first; a journey's in playing order")


class FeedbackIn(BaseModel):
    model_config = _STRICT_INPUT
    user_id: str = Field(min_length=1, max_length=MAX_USER_ID, pattern=r"^[A-Za-z0-9_.:-]+$")
    track_id: str = Field(min_length=1, max_length=MAX_TRACK_ID)
    action: Literal["like", "skip", "rate"]
    rating: int | None = Field(None, ge=1, le=5, description="1 (poor) … 5 (excellent); with action rate only")
    emotion: str | None = Field(None, description=f"the mood at the time: one of {', '.join(EMOTIONS)}")

    @field_validator("emotion")
    @classmethod
    def _known_emotion(cls, value: str | None) -> str | None:
        if value is not None and value not in EMOTIONS:
            raise ValueError(f"unknown emotion {value!r}; use one of {', '.join(EMOTIONS)}")
        return value

    @model_validator(mode="after")
    def _rating_with_rate(self) -> FeedbackIn:
        if (self.action == "rate") != (self.rating is not None):
            raise ValueError("a rating (1-5) goes with action rate, and only with it")
        return self


class FeedbackOut(BaseModel):
    id: int
    user_id: str
    track_id: str
    action: str
    emotion: str | None
    created_at: datetime
    rating: int | None = None


class FeedbackList(BaseModel):
    user_id: str
    events: list[FeedbackOut] = Field(description="newest first")


class CatalogSearchResponse(BaseModel):
    query: str
    total: int = Field(description="matches in the catalog; at most `limit` are listed")
    tracks: list[TrackOut]


class ModelInfo(BaseModel):
    name: str
    loaded: bool
    error: str | None = None


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    model: ModelInfo
    detector: str
    catalog_size: int
    strategies: list[str]
    emotions: list[str]
    max_upload_bytes: int = Field(description="largest photo or stream frame accepted")
    stream_max_fps: float = Field(description="frames analysed per second on one stream; more are dropped")


# --- WebSocket /api/v1/stream messages (server → client) ----------------------------------------


class StreamFrame(BaseModel):
    type: Literal["frame"] = "frame"
    seq: int = Field(description="count of binary frames received on this connection, from 1")
    faces: list[FaceOut]
    affect: AffectOut | None = Field(description="this frame's reading; null without a face")
    mood: AffectOut | None = Field(description="smoothed over recent frames; null until a face was seen")
    mood_label: str | None = Field(description="the dominant mood after hysteresis")
    changed: bool = Field(description="true when this frame switched the mood")
    elapsed_ms: float


class StreamDropped(BaseModel):
    type: Literal["dropped"] = "dropped"
    seq: int
    reason: str
    max_fps: float


class StreamPlaylist(BaseModel):
    type: Literal["playlist"] = "playlist"
    mood: str
    previous: str | None
    strategy: str
    affect: AffectOut
    tracks: list[RecommendationOut]


class StreamError(BaseModel):
    type: Literal["error"] = "error"
    seq: int | None
    error: ErrorDetail


class StreamConfig(BaseModel):
    """Client → server text message: change the playlist strategy or size."""

    model_config = _STRICT_INPUT
    type: Literal["config"] = "config"
    strategy: str | None = None
    k: int | None = Field(None, ge=1, le=50)
