"""GET /api/v1/health: is the model loaded, how big is the catalog."""

from __future__ import annotations

from fastapi import APIRouter

import moodtune
from moodtune.affect import EMOTIONS
from moodtune.music import STRATEGIES

from ..deps import StateDep
from ..schemas import HealthResponse, ModelInfo

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthResponse, summary="Readiness: model, detector and catalog")
def health(state: StateDep) -> HealthResponse:
    return HealthResponse(
        status="degraded" if state.model_error else "ok",
        version=moodtune.__version__,
        model=ModelInfo(name=state.model_name, loaded=state.model_error is None, error=state.model_error),
        detector=state.settings.detector,
        catalog_size=len(state.catalog),
        strategies=list(STRATEGIES),
        emotions=list(EMOTIONS),
        max_upload_bytes=state.settings.max_upload_bytes,
        stream_max_fps=state.settings.stream_max_fps,
    )
