"""POST /api/v1/explain: the analyze answer plus, per face, a heat map of where the model saw the emotion."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ..admission import run_admitted
from ..deps import StateDep
from ..schemas import ExplainResponse
from ..services import explain_bytes, explanation_out
from ..uploads import PHOTO_UPLOAD_ERRORS, PHOTO_UPLOAD_SCHEMA, check_image_upload, read_upload

router = APIRouter(tags=["analyze"])


@router.post(
    "/explain",
    response_model=ExplainResponse,
    summary="Read the emotions of every face in a photo and show where the model saw them",
    description="Like `POST /api/v1/analyze`, plus per face a Grad-CAM heat map of its dominant emotion: "
    "a PNG (data URL, RGBA) over the square `x, y, side` of the photo the face was read from. "
    "The photo and the maps stay in memory and are never stored.",
    openapi_extra={"requestBody": PHOTO_UPLOAD_SCHEMA},
    responses=PHOTO_UPLOAD_ERRORS,
)
async def explain(request: Request, state: StateDep) -> ExplainResponse:
    upload = await read_upload(request, state.settings)
    data = check_image_upload(upload, state.settings)
    explanation = await run_admitted(state.gate, request, explain_bytes, data, state)
    return await run_in_threadpool(explanation_out, explanation)
