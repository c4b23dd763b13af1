"""GET /api/v1/catalog/search?q=…: find tracks by title, artist or genre."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from moodtune.music.catalog import Catalog
from moodtune.music.track import Track

from ..deps import CatalogDep
from ..schemas import CatalogSearchResponse
from ..services import track_out

router = APIRouter(tags=["catalog"])


def search_tracks(catalog: Catalog, query: str) -> list[Track]:
    """Tracks whose title, artist or genres contain every word of ``query`` (case-insensitive).

    Title or artist starting with the query rank first, then by popularity.
    """
    words = query.casefold().split()
    hits: list[tuple[int, float, Track]] = []
    for track in catalog.tracks:
        text = " ".join((track.title, track.artist, *track.genres)).casefold()
        if all(w in text for w in words):
            q = " ".join(words)
            starts = track.title.casefold().startswith(q) or track.artist.casefold().startswith(q)
            hits.append((0 if starts else 1, -(track.popularity or 0.0), track))
    hits.sort(key=lambda h: (h[0], h[1], h[2].artist.casefold(), h[2].title.casefold()))
    return [h[2] for h in hits]


@router.get("/catalog/search", response_model=CatalogSearchResponse, summary="Search the catalog")
def search(
    catalog: CatalogDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="words to find in title, artist or genres")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CatalogSearchResponse:
    found = search_tracks(catalog, q)
    return CatalogSearchResponse(query=q, total=len(found), tracks=[track_out(t) for t in found[:limit]])
