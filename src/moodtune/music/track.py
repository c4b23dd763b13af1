"""``Track``: one song in a catalog, placed on the valence–arousal plane, with what else is known of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from moodtune.errors import InputError

__all__ = ["AUDIO_FEATURES", "EXTERNAL_IDS", "MOODS", "Track"]

#: Spotify-style audio features, in the order of ``Track.audio`` and ``Catalog.audio``, on Spotify's
#: raw scales: danceability, energy, acousticness, instrumentalness, speechiness, liveness in [0, 1];
#: loudness in dB (about −60 … +5); tempo in BPM; mode 0 (minor) or 1 (major); key a pitch class 0–11.
AUDIO_FEATURES: Final[tuple[str, ...]] = (
    "danceability",
    "energy",
    "acousticness",
    "instrumentalness",
    "speechiness",
    "liveness",
    "loudness",
    "tempo",
    "mode",
    "key",
)

#: Services whose ids a track can carry in ``Track.external_ids``: import field (and database
#: column) → service name. The first three, in this order, also give imported tracks their ids.
EXTERNAL_IDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "spotify_id": "spotify",
        "deezer_id": "deezer",
        "musicbrainz_id": "musicbrainz",
        "msd_song_id": "msd_song",
        "msd_track_id": "msd_track",
        "lastfm_url": "lastfm",
    }
)
_SERVICES: Final = frozenset(EXTERNAL_IDS.values())

#: The four mood labels of the Spotify moods data set, used for ``Track.mood``.
MOODS: Final[tuple[str, ...]] = ("Happy", "Sad", "Energetic", "Calm")


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
    spotify_id : Spotify track id (base-62) when known; always equal to ``external_ids``' "spotify".
    album : album title, or None.
    duration_s : length in seconds, or None.
    mood : one of ``MOODS``, or None.
    mood_probability : the audio-mood model's probability of ``mood`` in [0, 1]; None when the
        label came with the data set (or there is no label).
    audio : the ``AUDIO_FEATURES`` values in that order (NaN for a missing one), or None.
    external_ids : sorted (service, id) pairs, services from ``EXTERNAL_IDS``, e.g.
        ("deezer", "3135556"), ("spotify", "…").
    source : the data set the track was imported from ("starter", "moods", "deezer", …), or None.
    va_estimated : True when valence/arousal were estimated from ``audio`` rather than given by the
        data set.
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
    album: str | None = None
    duration_s: float | None = None
    mood: str | None = None
    mood_probability: float | None = None
    audio: tuple[float, ...] | None = None
    external_ids: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    va_estimated: bool = False

    def __post_init__(self) -> None:
        if self.mood is not None and self.mood not in MOODS:
            raise InputError(f"track {self.id!r}: mood must be one of {', '.join(MOODS)}, got {self.mood!r}")
        if self.audio is not None and len(self.audio) != len(AUDIO_FEATURES):
            raise InputError(f"track {self.id!r}: audio needs {len(AUDIO_FEATURES)} values, got {len(self.audio)}")
        ids = dict(self.external_ids)
        if len(ids) != len(self.external_ids) or not _SERVICES.issuperset(ids):
            raise InputError(
                f"track {self.id!r}: external_ids must name each service once, from {sorted(_SERVICES)}; "
                f"got {self.external_ids}"
            )
        # spotify_id predates external_ids; the two always say the same, whichever was given.
        if self.spotify_id is not None:
            if ids.setdefault("spotify", self.spotify_id) != self.spotify_id:
                raise InputError(f"track {self.id!r}: spotify_id {self.spotify_id!r} differs from external_ids")
        elif "spotify" in ids:
            object.__setattr__(self, "spotify_id", ids["spotify"])
        object.__setattr__(self, "external_ids", tuple(sorted(ids.items())))
