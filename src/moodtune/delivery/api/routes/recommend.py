"""POST /api/v1/recommend: tracks for a named mood, a probability vector, a photo's analysis and/or a text."""

from __future__ import annotations

from fastapi import APIRouter

from moodtune.affect import EMOTIONS, AffectState, FusedAffect, fuse
from moodtune.errors import InputError
from moodtune.perception.text import TextMood, read_text_mood
from moodtune.pipeline import recommend as recommend_tracks

from ..deps import CatalogDep
from ..errors import NoFaceError
from ..schemas import ErrorResponse, FusedAffectOut, RecommendRequest, RecommendResponse, TextMoodOut
from ..services import recommendations_out

router = APIRouter(tags=["recommend"])


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


@router.post(
    "/recommend",
    response_model=RecommendResponse,
    summary="Recommend tracks for how someone feels",
    responses={
        422: {
            "model": ErrorResponse,
            "description": "unknown mood or strategy, bad probabilities, no face, text without a readable mood",
        }
    },
)
async def recommend(body: RecommendRequest, catalog: CatalogDep) -> RecommendResponse:
    # async on purpose: ranking takes ~0.2 ms, less than the hop to a worker thread a plain def costs.
    fused, text = _affect_of(body)
    recs = recommend_tracks(fused.affect, strategy=body.strategy, k=body.k, catalog=catalog)
    return RecommendResponse(
        affect=FusedAffectOut(**fused.as_dict()),
        text=TextMoodOut(**text.as_dict()) if text else None,
        strategy=body.strategy.strip().lower(),
        tracks=recommendations_out(recs),
    )
