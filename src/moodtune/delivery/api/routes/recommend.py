"""POST /api/v1/recommend: tracks for a named mood, a probability vector, a photo's analysis and/or a text;
POST /api/v1/recommend/export: the same list as an M3U or JSON playlist file."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from moodtune.affect import EMOTIONS, AffectState, FusedAffect, fuse
from moodtune.errors import InputError
from moodtune.music import Catalog, Recommendation
from moodtune.music.export import playlist_json, playlist_m3u
from moodtune.music.strategies import MoodTarget, target_mood
from moodtune.perception.text import TextMood, read_text_mood
from moodtune.pipeline import recommend as recommend_tracks

from ..deps import CatalogDep, DatabaseDep
from ..errors import NoFaceError
from ..schemas import ErrorResponse, FusedAffectOut, RecommendRequest, RecommendResponse, TextMoodOut
from ..services import recommendations_out

router = APIRouter(tags=["recommend"])

_REFUSED: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ErrorResponse,
        "description": "unknown mood, strategy or target, bad probabilities or user id, a journey of one track, "
        "no face, text without a readable mood",
    }
}
#: Media type of each export format.
_MEDIA = {"m3u": "audio/x-mpegurl", "json": "application/json"}


def _affect_of(body: RecommendRequest) -> tuple[FusedAffect, TextMood | None]:
    if body.probabilities is not None:
        affect = AffectState.from_probabilities([body.probabilities.get(e, 0.0) for e in EMOTIONS])
        return FusedAffect(affect, ()), None
    text = read_text_mood(body.text) if body.text is not None else None
    face = None
    if body.analysis is not None and body.analysis.affect is not None:
        face = AffectState.from_probabilities([body.analysis.affect.probabilities.get(e, 0.0) for e in EMOTIONS])
    if body.mood is None and face is None and (text is None or text.affect is None):
        if text is not None:
            raise InputError(f"no mood could be read from the text ({text.status}): {text.note}")
        raise NoFaceError("the analysis found no face, so there is no mood to recommend for; pick a mood instead")
    return fuse(faces=face, text=text.affect if text else None, picked=body.mood), text


Answer = tuple[FusedAffect, TextMood | None, MoodTarget, list[Recommendation]]


async def _recommend(body: RecommendRequest, catalog: Catalog, db: Engine) -> Answer:
    # Without a listener this is CPU work only, done here on the event loop: about 2 ms on the starter
    # catalog, a p50 of 3 ms at 10 k and 9 ms at 1 M tracks with audio features and mood labels
    # (docs/music/scale.md; the ranking tables are built at start-up, not here). A listener's feedback
    # comes from the database, which must not block the event loop (PostgreSQL is remote).
    if body.user_id is None:
        return _answer(body, catalog, db)
    return await run_in_threadpool(_answer, body, catalog, db)


def _answer(body: RecommendRequest, catalog: Catalog, db: Engine) -> Answer:
    fused, text = _affect_of(body)
    aim = target_mood(fused.affect, body.strategy, body.target)
    recs = recommend_tracks(
        fused.affect,
        strategy=body.strategy,
        target=body.target,
        k=body.k,
        user_id=body.user_id,
        catalog=catalog,
        db=db,
    )
    return fused, text, aim, recs


@router.post(
    "/recommend",
    response_model=RecommendResponse,
    summary="Recommend tracks for how someone feels",
    responses=_REFUSED,
)
async def recommend(body: RecommendRequest, catalog: CatalogDep, db: DatabaseDep) -> RecommendResponse:
    fused, text, aim, recs = await _recommend(body, catalog, db)
    return RecommendResponse(
        affect=FusedAffectOut(**fused.as_dict()),
        text=TextMoodOut(**text.as_dict()) if text else None,
        strategy=aim.strategy,
        target=aim.destination,
        user_id=body.user_id,
        tracks=recommendations_out(recs),
    )


@router.post(
    "/recommend/export",
    summary="The recommended tracks as a playlist file: extended M3U or JSON",
    response_class=Response,
    responses={
        200: {
            "description": "the playlist, as an attachment; M3U lines link each track on Spotify",
            "content": {"audio/x-mpegurl": {}, "application/json": {}},
        },
        **_REFUSED,
    },
)
async def export(
    body: RecommendRequest,
    catalog: CatalogDep,
    db: DatabaseDep,
    format: Annotated[Literal["m3u", "json"], Query(description="playlist format")] = "m3u",
) -> Response:
    _, _, aim, recs = await _recommend(body, catalog, db)
    name = f"moodtune: {aim.description}"
    text = playlist_m3u(recs, name=name) if format == "m3u" else playlist_json(recs, name=name)
    return Response(
        text,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="moodtune-{aim.strategy}.{format}"'},
    )
