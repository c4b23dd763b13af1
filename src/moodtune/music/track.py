"""``Track``: one song in a catalog, placed on the valence–arousal plane."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Track"]


@dataclass(frozen=True)
class Track:
    """A song with the mood coordinates moodtune ranks by.

    Attributes
    ----------
    id : stable identifier, unique within its catalog.
    title, artist : as commonly credited; several artists joined with ", ".
    year : year of first release, or None.
    genres : lower-case genre tags, most characteristic first.
    valence : negative (-1) … positive (+1) feeling of the music.
    arousal : calm (-1) … energetic (+1).
    popularity : 0 … 1, or None when unknown.
    language : ISO 639-1 code of the lyrics ("en", "es", …; "zxx" for instrumental), or None.
    spotify_id : Spotify track id (base-62) when known.
    """

    id: str
    title: str
    artist: str
    year: int | None
    genres: tuple[str, ...]
    valence: float
    arousal: float
    popularity: float | None = None
    language: str | None = None
    spotify_id: str | None = None
