"""What every import format shares: a file's columns named as track fields, and the row parser.

A ``Format`` says which column of a data set holds which track field, and how the data set writes
genres, artists and valence/arousal. ``parse_rows`` turns rows into tracks the same way for
every format: each row that cannot become a track is reported as a ``RowProblem`` with its line
number and skipped; nothing is dropped silently. Tracks with audio features but no valence/arousal
get them, and a mood label, from the audio-mood model (``moodtune.music.audio_mood``).

Track fields a column can provide (``FIELDS``), on these scales:

===========================  =================================================================
field                        value
===========================  =================================================================
id                           the track id (default: the first of spotify/deezer/musicbrainz ids
                             as ``service:id``, else ``track_key(title, artist)``)
title, artist, album         text; ``artist`` joins several artists with ", "
year                         a year or an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)
genres                       genre tags, separated by the format's separator
popularity / popularity_100  on [0, 1] / on Spotify's 0–100
duration_s / duration_ms     seconds / milliseconds
valence, arousal             on [-1, 1] (or the format's own scale, see ``Format.scale_va``)
mood, mood_probability       Happy, Sad, Energetic or Calm (any case) / in [0, 1]
language                     ISO 639-1 code
the ten AUDIO_FEATURES       Spotify's scales; tempo 0 and key -1 are Spotify's "not detected"
spotify_id, deezer_id,       ids in other services, kept as ``Track.external_ids``
musicbrainz_id,
msd_song_id, msd_track_id,
lastfm_url
===========================  =================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from moodtune.errors import CatalogError

from ..catalog import RowProblem, track_key
from ..track import AUDIO_FEATURES, EXTERNAL_IDS, MOODS, Track

__all__ = [
    "FIELDS",
    "Format",
    "ImportResult",
    "normalise_genres",
    "parse_rows",
]

_ID_SERVICES: Final = ("spotify", "deezer", "musicbrainz")

FIELDS: Final[tuple[str, ...]] = (
    "id",
    "title",
    "artist",
    "album",
    "year",
    "genres",
    "popularity",
    "popularity_100",
    "duration_s",
    "duration_ms",
    "valence",
    "arousal",
    "mood",
    "mood_probability",
    "language",
    *AUDIO_FEATURES,
    *EXTERNAL_IDS,
)

#: Valid range of each audio feature on Spotify's scales (Spotify's own docs; loudness with margin).
_AUDIO_RANGES: Final[Mapping[str, tuple[float, float]]] = {
    **{name: (0.0, 1.0) for name in AUDIO_FEATURES[:6]},
    "loudness": (-80.0, 10.0),
    "tempo": (0.0, 300.0),
    "mode": (0.0, 1.0),
    "key": (-1.0, 11.0),
}

# Spellings in the data sets → the spelling of the starter catalog and the emotion mapping.
_GENRE_ALIASES: Final[Mapping[str, str]] = {
    "hip hop": "hip-hop",
    "hiphop": "hip-hop",
    "lofi": "lo-fi",
    "lo fi": "lo-fi",
    "rnb": "r&b",
    "r and b": "r&b",
}

_MOODS_BY_NAME: Final = {m.casefold(): m for m in MOODS}


@dataclass(frozen=True)
class Format:
    """How one kind of file names and writes track fields.

    Attributes
    ----------
    name : the ``--format`` name.
    columns : alternative column layouts, each field → column; the first whose required columns
        are all in the file's header is used (data sets published with different headers).
    required : fields whose column must be in the header.
    genre_separator : between genres in the genres column.
    artist_separator : between artists in the artist column (rewritten to ", ").
    no_genre : a genres cell that means "no genre" (besides an empty one).
    scale_va : maps the file's valence and arousal to [-1, 1]; None when they are on it already.
    va_range : the range the file's valence/arousal values must lie in, before ``scale_va``.
    """

    name: str
    columns: tuple[Mapping[str, str], ...]
    required: tuple[str, ...] = ("title", "artist")
    genre_separator: str = ";"
    artist_separator: str = ", "
    no_genre: str = ""
    scale_va: Callable[[float], float] | None = None
    va_range: tuple[float, float] = (-1.0, 1.0)

    def layout(self, header: Iterable[str]) -> Mapping[str, str]:
        """The column layout that fits ``header``.

        Raises
        ------
        CatalogError : no layout has all its required columns in the header.
        """
        present = set(header)
        missing = [[columns[f] for f in self.required if columns[f] not in present] for columns in self.columns]
        for columns, lacking in zip(self.columns, missing, strict=True):
            if not lacking:
                return {f: c for f, c in columns.items() if c in present}
        raise CatalogError(f"not a {self.name!r} file: missing columns {min(missing, key=len)}")


@dataclass(frozen=True)
class ImportResult:
    """Tracks read from rows, and the rows that were skipped.

    Attributes
    ----------
    tracks : in file order, ids unique.
    problems : one per skipped row, in line order; ``len(tracks) + len(problems) == rows``.
    rows : data rows read.
    estimated : tracks whose valence/arousal came from the audio-mood model.
    """

    tracks: tuple[Track, ...]
    problems: tuple[RowProblem, ...]
    rows: int
    estimated: int = 0


@dataclass
class _Record:
    """A parsed row; valence/arousal stay None until estimated from the audio features."""

    line: int
    id: str
    title: str
    artist: str
    genres: list[str]
    year: int | None
    popularity: float | None
    duration_s: float | None
    audio: tuple[float, ...] | None
    external_ids: tuple[tuple[str, str], ...]
    valence: float | None = None
    arousal: float | None = None
    mood: str | None = None
    mood_probability: float | None = None
    album: str | None = None
    language: str | None = None
    va_estimated: bool = False

    def track(self, source: str) -> Track:
        if self.valence is None or self.arousal is None:
            raise CatalogError(f"line {self.line}: valence/arousal were never set")  # estimation skipped a row
        return Track(
            id=self.id,
            title=self.title,
            artist=self.artist,
            year=self.year,
            genres=tuple(self.genres),
            valence=self.valence,
            arousal=self.arousal,
            popularity=self.popularity,
            language=self.language,
            album=self.album,
            duration_s=self.duration_s,
            mood=self.mood,
            mood_probability=self.mood_probability,
            audio=self.audio,
            external_ids=self.external_ids,
            source=source,
            va_estimated=self.va_estimated,
        )


def normalise_genres(cell: str, separator: str) -> tuple[str, ...]:
    """Lower-case genre tags from a cell; "Dance/Electronic" gives both, spellings as in the mapping."""
    tags: list[str] = []
    for part in re.split(rf"{re.escape(separator)}|/|;", cell):
        tag = " ".join(part.lower().split())
        tag = _GENRE_ALIASES.get(tag, tag)
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _float(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} {text!r} is not a finite number")
    return value


def _in_range(value: float, lo: float, hi: float, name: str) -> float:
    if not lo <= value <= hi:
        raise ValueError(f"{name} {value:g} is outside [{lo:g}, {hi:g}]")
    return value


class _RowParser:
    def __init__(self, fmt: Format, columns: Mapping[str, str]) -> None:
        self.fmt, self.columns = fmt, columns

    def _text(self, row: Mapping[str, str | None], name: str) -> str:
        column = self.columns.get(name)
        return " ".join((row.get(column) or "").split()) if column is not None else ""

    def _number(self, row: Mapping[str, str | None], name: str, lo: float, hi: float) -> float | None:
        text = self._text(row, name)
        return None if not text else _in_range(_float(text, name), lo, hi, name)

    def parse(self, row: Mapping[str, str | None], line: int) -> _Record:
        """One row → a record; raises ValueError naming the column when the row is unusable."""
        fmt, text = self.fmt, self._text
        title, artist = text(row, "title"), text(row, "artist")
        if not title or not artist:
            raise ValueError("title and artist must not be empty")
        if fmt.artist_separator != ", ":
            artist = ", ".join(a.strip() for a in artist.split(fmt.artist_separator) if a.strip())
        ids = {service: value for f, service in EXTERNAL_IDS.items() if (value := text(row, f))}
        track_id = text(row, "id") or next((f"{s}:{ids[s]}" for s in _ID_SERVICES if s in ids), None)
        cell = text(row, "genres")
        record = _Record(
            line=line,
            id=track_id or track_key(title, artist),
            title=title,
            artist=artist,
            genres=[] if cell == fmt.no_genre else list(normalise_genres(cell, fmt.genre_separator)),
            year=self._year(row),
            popularity=self._scaled(row, "popularity", "popularity_100", 100, 1),
            duration_s=self._scaled(row, "duration_s", "duration_ms", 1000, 86_400),
            audio=self._audio(row),
            external_ids=tuple(ids.items()),
            album=text(row, "album") or None,
            language=text(row, "language").lower() or None,
        )
        if record.duration_s == 0:
            raise ValueError("duration must be positive")
        self._mood(row, record)
        self._va(row, record)
        return record

    def _year(self, row: Mapping[str, str | None]) -> int | None:
        text = self._text(row, "year")
        if not text:
            return None
        try:
            # YYYY-MM is checked as the first day of that month.
            year = int(text) if len(text) == 4 else date.fromisoformat(text if len(text) == 10 else f"{text}-01").year
        except ValueError:
            raise ValueError(f"year {text!r} is neither a year nor an ISO date (YYYY, YYYY-MM, YYYY-MM-DD)") from None
        return int(_in_range(year, 1600, 2100, "year"))

    def _scaled(
        self, row: Mapping[str, str | None], name: str, alternative: str, per_unit: float, hi: float
    ) -> float | None:
        """``name`` on its own scale [0, hi], else ``alternative`` (``per_unit`` of it make one)."""
        value = self._number(row, name, 0, hi)
        if value is None:
            other = self._number(row, alternative, 0, hi * per_unit)
            value = None if other is None else other / per_unit
        return value

    def _mood(self, row: Mapping[str, str | None], record: _Record) -> None:
        mood_text = self._text(row, "mood")
        probability = self._number(row, "mood_probability", 0, 1)
        if mood_text:
            record.mood = _MOODS_BY_NAME.get(mood_text.casefold())
            if record.mood is None:
                raise ValueError(f"mood {mood_text!r} is not one of {', '.join(MOODS)}")
            record.mood_probability = probability
        elif probability is not None:
            raise ValueError("mood_probability is given without a mood")

    def _audio(self, row: Mapping[str, str | None]) -> tuple[float, ...] | None:
        features: list[float] = []
        for name in AUDIO_FEATURES:
            value = self._number(row, name, *_AUDIO_RANGES[name])
            # Spotify writes tempo 0 and key -1 when it detected none: unknown, not a value.
            if value is None or (name == "tempo" and value == 0) or (name == "key" and value == -1):
                features.append(math.nan)
                continue
            if name in ("mode", "key") and value != int(value):
                raise ValueError(f"{name} {value:g} is not a whole number")
            features.append(value)
        return None if all(math.isnan(x) for x in features) else tuple(features)

    def _va(self, row: Mapping[str, str | None], record: _Record) -> None:
        valence = self._number(row, "valence", *self.fmt.va_range)
        arousal = self._number(row, "arousal", *self.fmt.va_range)
        if (valence is None) != (arousal is None):
            raise ValueError("valence and arousal must be given together")
        if valence is None or arousal is None:
            if record.audio is None:
                raise ValueError("no valence/arousal, and no audio features to estimate them from")
            return
        scale = self.fmt.scale_va
        if scale is not None:
            valence, arousal = scale(valence), scale(arousal)
        record.valence = _in_range(valence, -1, 1, "valence")
        record.arousal = _in_range(arousal, -1, 1, "arousal")


def _estimate_missing_va(records: list[_Record]) -> int:
    """Fill valence/arousal (and a mood label where none was given) from audio features."""
    pending = [r for r in records if r.valence is None]
    if not pending:
        return 0
    try:
        from moodtune.music.audio_mood import estimate_mood
    except ImportError as exc:
        raise CatalogError(
            f"{len(pending)} tracks have audio features but no valence/arousal, and the audio-mood "
            f"model that estimates them cannot be loaded ({exc})"
        ) from exc
    estimate = estimate_mood(np.array([r.audio for r in pending], dtype=np.float64))
    for i, record in enumerate(pending):
        record.valence = float(np.clip(estimate.valence[i], -1, 1))
        record.arousal = float(np.clip(estimate.arousal[i], -1, 1))
        record.va_estimated = True
        if record.mood is None:
            record.mood, record.mood_probability = str(estimate.label[i]), float(estimate.probability[i])
    return len(pending)


def parse_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None] | str]],
    fmt: Format,
    columns: Mapping[str, str],
    *,
    source: str,
) -> ImportResult:
    """Parse numbered rows into tracks.

    Parameters
    ----------
    rows : (line, row) pairs; a row is a column → value mapping, or a string saying why the
        line could not be split into the header's columns.
    fmt, columns : the format and the column layout chosen for the header (``fmt.layout``).
    source : stored as ``Track.source``.

    Returns
    -------
    ImportResult; a row whose id repeats an earlier one is reported and skipped, its genres
    added to the earlier track's (a data set listing a track once per playlist gives it each
    playlist's genre).
    """
    parser = _RowParser(fmt, columns)
    records: list[_Record] = []
    by_id: dict[str, _Record] = {}
    problems: list[RowProblem] = []
    count = 0
    for line, row in rows:
        count += 1
        if isinstance(row, str):
            problems.append(RowProblem(line, row))
            continue
        try:
            record = parser.parse(row, line)
        except ValueError as exc:
            problems.append(RowProblem(line, str(exc)))
            continue
        earlier = by_id.get(record.id)
        if earlier is not None:
            added = [g for g in record.genres if g not in earlier.genres]
            earlier.genres.extend(added)
            merged = f"; its genres {added} were added to that track" if added else ""
            problems.append(RowProblem(line, f"duplicate track {record.id!r} (first on line {earlier.line}){merged}"))
            continue
        by_id[record.id] = record
        records.append(record)
    estimated = _estimate_missing_va(records)
    return ImportResult(tuple(r.track(source) for r in records), tuple(problems), count, estimated)
