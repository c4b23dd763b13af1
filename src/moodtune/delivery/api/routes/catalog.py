"""GET /api/v1/catalog/search?q=…: find tracks by title, artist or genre."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from moodtune.music.catalog import search_catalog

from ..deps import CatalogDep
from ..schemas import CatalogSearchResponse
from ..services import track_out

router = APIRouter(tags=["catalog"])


@router.get("/catalog/search", response_model=CatalogSearchResponse, summary="Search the catalog")
def search(
    catalog: CatalogDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=100, description="words to find in title, artist or genres (any case, accents)"),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CatalogSearchResponse:
    found = search_catalog(catalog, q)
    return CatalogSearchResponse(
        query=q, total=len(found), tracks=[track_out(catalog.track(int(i))) for i in found[:limit]]
    )
