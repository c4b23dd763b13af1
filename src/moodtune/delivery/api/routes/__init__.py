"""One thin router per resource; ``api_router`` gathers them under ``/api/v1``."""

from fastapi import APIRouter

from . import analyze, catalog, explain, feedback, health, recommend, stream

__all__ = ["api_router"]

api_router = APIRouter(prefix="/api/v1")
for _module in (health, analyze, explain, recommend, feedback, catalog, stream):
    api_router.include_router(_module.router)
