"""``spotify-tracks``: Spotify track tables with audio features, popularity and one genre per row.

Two published layouts are read:

* Kaggle "Spotify Music Dataset" (``high_popularity_spotify_data.csv``,
  ``low_popularity_spotify_data.csv``): ``track_name``, ``track_artist``, ``track_popularity``,
  ``playlist_genre``, …; a track appears once per playlist, so repeated ids are reported and
  their playlist genres merged into the first row's track;
* the 114,000-row "Spotify Tracks Dataset" (``dataset.csv``): ``track_name``, ``artists``
  (joined with ";"), ``popularity``, ``track_genre``, ….
"""

from __future__ import annotations

from moodtune.music.track import AUDIO_FEATURES

from ._format import Format

__all__ = ["SPOTIFY_TRACKS_FORMAT"]

_FEATURES = {name: name for name in AUDIO_FEATURES}

SPOTIFY_TRACKS_FORMAT = Format(
    name="spotify-tracks",
    columns=(
        {
            "spotify_id": "track_id",
            "title": "track_name",
            "artist": "track_artist",
            "album": "track_album_name",
            "year": "track_album_release_date",
            "popularity_100": "track_popularity",
            "duration_ms": "duration_ms",
            "genres": "playlist_genre",
            **_FEATURES,
        },
        {
            "spotify_id": "track_id",
            "title": "track_name",
            "artist": "artists",
            "album": "album_name",
            "popularity_100": "popularity",
            "duration_ms": "duration_ms",
            "genres": "track_genre",
            **_FEATURES,
        },
    ),
    required=("title", "artist", "spotify_id", "genres"),
    # The 114k table joins artists with ";" (the other with ", ", which is kept as it is).
    artist_separator=";",
)
