"""POST /api/v1/recommend: tracks for a named mood, a probability vector, or a photo's analysis."""

from __future__ import annotations

from fastapi import APIRouter

from moodtune.affect import EMOTIONS, AffectState
from moodtune.pipeline import recommend as recommend_tracks

from ..deps import CatalogDep
from ..errors import NoFaceError
from ..schemas import AffectOut, ErrorResponse, RecommendRequest, RecommendResponse
from ..services import recommendations_out

router = APIRouter(tags=["recommend"])


def _affect_of(body: RecommendRequest) -> AffectState:
    if body.mood is not None:
        return AffectState.from_emotion(body.mood)
    if body.probabilities is not None:
        return AffectState.from_probabilities([body.probabilities.get(e, 0.0) for e in EMOTIONS])
    if body.analysis is None or body.analysis.affect is None:
        raise NoFaceError("the analysis found no face, so there is no mood to recommend for; pick a mood instead")
    return AffectState.from_probabilities([body.analysis.affect.probabilities.get(e, 0.0) for e in EMOTIONS])


@router.post(
    "/recommend",
    response_model=RecommendResponse,
    summary="Recommend tracks for how someone feels",
    responses={422: {"model": ErrorResponse, "description": "unknown mood or strategy, bad probabilities, no face"}},
)
async def recommend(body: RecommendRequest, catalog: CatalogDep) -> RecommendResponse:
    # async on purpose: ranking takes ~0.2 ms, less than the hop to a worker thread a plain def costs.
    affect = _affect_of(body)
    recs = recommend_tracks(affect, strategy=body.strategy, k=body.k, catalog=catalog)
    return RecommendResponse(
        affect=AffectOut.of(affect), strategy=body.strategy.strip().lower(), tracks=recommendations_out(recs)
    )
