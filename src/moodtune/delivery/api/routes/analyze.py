"""POST /api/v1/analyze: the faces in a photo, each with its emotion probabilities."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ..admission import run_admitted
from ..deps import StateDep
from ..schemas import AnalyzeResponse
from ..services import analysis_out, analyze_bytes
from ..uploads import PHOTO_UPLOAD_ERRORS, PHOTO_UPLOAD_SCHEMA, check_image_upload, read_upload

router = APIRouter(tags=["analyze"])


@router.post(
    "/analyze",
    response_model=AnalyzeResponse,
    summary="Read the emotions of every face in a photo",
    description="Send the photo as multipart field `file` (JPEG, PNG, WebP, GIF, BMP or TIFF). "
    "It is decoded and analysed in memory and never stored.",
    openapi_extra={"requestBody": PHOTO_UPLOAD_SCHEMA},
    responses=PHOTO_UPLOAD_ERRORS,
)
async def analyze(request: Request, state: StateDep) -> AnalyzeResponse:
    upload = await read_upload(request, state.settings)
    data = check_image_upload(upload, state.settings)
    analysis = await run_admitted(state.gate, request, analyze_bytes, data, state)
    return analysis_out(analysis)
