"""``top-hits``: Kaggle "Top Hits Spotify from 2000-2019" (``songs_normalize.csv``).

2,000 rows of hits with Spotify audio features, popularity and an artist-level genre string
("rock, pop"; ``set()`` for none). No Spotify id: ids are ``track_key(title, artist)``, so the
file's repeated (artist, song) pairs are reported as duplicates.
"""

from __future__ import annotations

from moodtune.music.track import AUDIO_FEATURES

from ._format import Format

__all__ = ["TOP_HITS_FORMAT"]

TOP_HITS_FORMAT = Format(
    name="top-hits",
    columns=(
        {
            "title": "song",
            "artist": "artist",
            "year": "year",
            "popularity_100": "popularity",
            "duration_ms": "duration_ms",
            "genres": "genre",
            **{name: name for name in AUDIO_FEATURES},
        },
    ),
    required=("title", "artist", "energy", "genres"),
    genre_separator=",",
    no_genre="set()",
)
