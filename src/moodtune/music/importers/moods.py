"""``moods``: the Spotify moods data set (``data_moods.csv``, Kaggle "Spotify Music Data to Identify the Moods").

686 tracks with Spotify metadata, audio features (no ``mode``) and a mood label given by the data
set's author. Valence/arousal are not in the file: they come from the audio-mood model; the label
stays the data set's.
"""

from __future__ import annotations

from ._format import Format

__all__ = ["MOODS_FORMAT"]

MOODS_FORMAT = Format(
    name="moods",
    columns=(
        {
            "title": "name",
            "album": "album",
            "artist": "artist",
            "spotify_id": "id",
            "year": "release_date",
            "popularity_100": "popularity",
            "duration_ms": "length",
            "danceability": "danceability",
            "energy": "energy",
            "acousticness": "acousticness",
            "instrumentalness": "instrumentalness",
            "speechiness": "speechiness",
            "liveness": "liveness",
            "loudness": "loudness",
            "tempo": "tempo",
            "key": "key",
            "mood": "mood",
        },
    ),
    required=("title", "artist", "spotify_id", "energy", "mood"),
)
