"""``Catalog``: the tracks to recommend from, held as columns so that millions fit in memory.

Numbers live in numpy arrays (valence/arousal, popularity, audio features, years…), repeated
strings (artists, genres, sources) as integer codes into small vocabularies, and a ``Track`` is
built only when asked for (``catalog.track(i)``). Ten million tracks take about 1 GB of arrays
plus their ids and titles.

This module also reads the catalog CSV format of the starter catalog that ships with moodtune:
columns ``title,artist,year,genres,valence,arousal`` plus the optional
``popularity,language,spotify_id,id`` (``genres`` ``;``-separated). It is the ``csv`` import
format with its own column names (see ``moodtune.music.importers``).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from moodtune.errors import CatalogError, InputError

from .keys import fold_text, search_forms, track_key
from .track import AUDIO_FEATURES, MOODS, Track

__all__ = [
    "Catalog",
    "CatalogStats",
    "RowProblem",
    "catalog_stats",
    "fold_text",
    "load_catalog",
    "parse_catalog_rows",
    "search_catalog",
    "starter_catalog",
    "track_key",
]

log = logging.getLogger(__name__)

#: Columns a catalog CSV in the starter format must have.
REQUIRED_COLUMNS = ("title", "artist", "year", "genres", "valence", "arousal")


@dataclass(frozen=True)
class RowProblem:
    """A row of an input file that was skipped (or merged into an earlier one), and why.

    Attributes
    ----------
    line : physical line of the file where the row starts (the header is line 1).
    message : what is wrong, naming the column.
    """

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _as_column(values: object, dtype: type | np.dtype, n: int, name: str, width: int | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    expected = (n,) if width is None else (n, width)
    if array.shape != expected:
        raise InputError(f"catalog column {name} must have shape {expected}, got {array.shape}")
    return array


def _check_codes(codes: np.ndarray, names: Sequence[str], name: str, *, missing_ok: bool) -> None:
    if codes.size and (codes.max() >= len(names) or codes.min() < (-1 if missing_ok else 0)):
        raise InputError(f"catalog column {name} has codes outside its vocabulary of {len(names)}")


def _number(x: np.floating) -> float:
    # float32 keeps ~7 significant digits; its shortest repr gives back the decimal that was stored
    # (0.15, not 0.15000000596…), so tracks print as they were imported.
    return float(str(x))


def _optional_number(x: np.floating) -> float | None:
    return None if np.isnan(x) else _number(x)


@dataclass(frozen=True, eq=False)
class Catalog:
    """An immutable, columnar catalog of n tracks; row i of every column is track i.

    Build one with ``Catalog.from_tracks``, ``Catalog.from_arrays`` (synthetic catalogs),
    ``moodtune.music.store.open_catalog`` or ``load_catalog`` (CSV). Equality and hashing are by
    identity: two catalogs are never compared element by element.

    Attributes
    ----------
    ids : (n,) str, unique track ids.
    titles : (n,) str.
    artist_codes : (n,) int32 index into ``artist_names`` (the full credit, "A, B" for two).
    artist_names : the artist vocabulary.
    genre_codes : (n, g) int32 indices into ``genre_names``, most characteristic genre first;
        -1 fills the slots a track does not use (g ≥ 1). Indexing a weight array with one extra
        trailing 0 (``weights[genre_codes]``) therefore needs no masking.
    genre_names : the genre vocabulary, lower-case.
    va : (n, 2) float32 valence, arousal in [-1, 1].
    popularity : (n,) float32 in [0, 1], NaN when unknown.
    audio : (n, len(AUDIO_FEATURES)) float32 audio features on Spotify's scales, NaN when unknown.
    years : (n,) int16 year of first release, 0 when unknown.
    duration_s : (n,) float32 seconds, NaN when unknown.
    mood_codes : (n,) int8 index into ``MOODS``, -1 for no label.
    mood_probability : (n,) float32 the audio-mood model's probability of the label; NaN when the
        label came with the data set or there is none.
    va_estimated : (n,) bool, True where valence/arousal were estimated from audio features.
    source_codes : (n,) int16 index into ``source_names``, -1 when unknown.
    source_names : the data sets the tracks came from.
    albums, languages : (n,) object arrays of str or None, or None when unknown for every track.
    external_ids : (n,) object array of sorted ((service, id), …) tuples, or None when no track
        has any.
    problems : rows skipped while reading the catalog from a file.
    """

    ids: np.ndarray
    titles: np.ndarray
    artist_codes: np.ndarray
    artist_names: tuple[str, ...]
    genre_codes: np.ndarray
    genre_names: tuple[str, ...]
    va: np.ndarray
    popularity: np.ndarray
    audio: np.ndarray
    years: np.ndarray
    duration_s: np.ndarray
    mood_codes: np.ndarray
    mood_probability: np.ndarray
    va_estimated: np.ndarray
    source_codes: np.ndarray
    source_names: tuple[str, ...]
    albums: np.ndarray | None
    languages: np.ndarray | None
    external_ids: np.ndarray | None
    problems: tuple[RowProblem, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.ids)
        set_ = object.__setattr__  # frozen: coerce once here, so every constructor gets the same dtypes
        for name in ("ids", "titles", "albums", "languages", "external_ids"):
            value = getattr(self, name)
            if value is not None:
                array = np.asarray(value) if name in ("ids", "titles") else np.asarray(value, dtype=object)
                if array.shape != (n,):
                    raise InputError(f"catalog column {name} must have shape ({n},), got {array.shape}")
                set_(self, name, array)
        set_(self, "artist_codes", _as_column(self.artist_codes, np.int32, n, "artist_codes"))
        codes = np.asarray(self.genre_codes, dtype=np.int32)
        if codes.ndim != 2 or codes.shape[0] != n or codes.shape[1] < 1:
            raise InputError(f"catalog column genre_codes must have shape ({n}, g ≥ 1), got {codes.shape}")
        set_(self, "genre_codes", codes)
        set_(self, "va", _as_column(self.va, np.float32, n, "va", 2))
        set_(self, "popularity", _as_column(self.popularity, np.float32, n, "popularity"))
        set_(self, "audio", _as_column(self.audio, np.float32, n, "audio", len(AUDIO_FEATURES)))
        set_(self, "years", _as_column(self.years, np.int16, n, "years"))
        set_(self, "duration_s", _as_column(self.duration_s, np.float32, n, "duration_s"))
        set_(self, "mood_codes", _as_column(self.mood_codes, np.int8, n, "mood_codes"))
        set_(self, "mood_probability", _as_column(self.mood_probability, np.float32, n, "mood_probability"))
        set_(self, "va_estimated", _as_column(self.va_estimated, np.bool_, n, "va_estimated"))
        set_(self, "source_codes", _as_column(self.source_codes, np.int16, n, "source_codes"))
        for name in ("artist_names", "genre_names", "source_names"):
            set_(self, name, tuple(getattr(self, name)))
        _check_codes(self.artist_codes, self.artist_names, "artist_codes", missing_ok=False)
        _check_codes(self.genre_codes, self.genre_names, "genre_codes", missing_ok=True)
        _check_codes(self.mood_codes, MOODS, "mood_codes", missing_ok=True)
        _check_codes(self.source_codes, self.source_names, "source_codes", missing_ok=True)
        if n and not (np.abs(self.va) <= 1).all():
            raise InputError("catalog valence/arousal must lie in [-1, 1]")
        with np.errstate(invalid="ignore"):
            if (self.popularity < 0).any() or (self.popularity > 1).any():
                raise InputError("catalog popularity must lie in [0, 1] (NaN for unknown)")

    # --- constructors -------------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str] | np.ndarray,
        titles: Sequence[str] | np.ndarray,
        artist_codes: np.ndarray,
        artist_names: Sequence[str],
        va: np.ndarray,
        *,
        genre_codes: np.ndarray | None = None,
        genre_names: Sequence[str] = (),
        popularity: np.ndarray | None = None,
        audio: np.ndarray | None = None,
        years: np.ndarray | None = None,
        duration_s: np.ndarray | None = None,
        mood_codes: np.ndarray | None = None,
        mood_probability: np.ndarray | None = None,
        va_estimated: np.ndarray | None = None,
        source_codes: np.ndarray | None = None,
        source_names: Sequence[str] = (),
        albums: Sequence[str | None] | None = None,
        languages: Sequence[str | None] | None = None,
        external_ids: Sequence[tuple[tuple[str, str], ...]] | None = None,
        problems: Sequence[RowProblem] = (),
    ) -> Catalog:
        """A catalog from columns (see the class attributes); left-out columns are "unknown" throughout.

        For synthetic catalogs: only ids, titles, artists (codes + names) and valence/arousal
        (n, 2) are needed.
        """
        n = len(ids)

        def filled(value: np.ndarray | None, fill: float, dtype: type, width: int | None = None) -> np.ndarray:
            if value is not None:
                return np.asarray(value, dtype=dtype)
            return np.full((n,) if width is None else (n, width), fill, dtype=dtype)

        return cls(
            ids=np.asarray(ids),
            titles=np.asarray(titles),
            artist_codes=np.asarray(artist_codes),
            artist_names=tuple(artist_names),
            genre_codes=filled(genre_codes, -1, np.int32, 1) if genre_codes is None else genre_codes,
            genre_names=tuple(genre_names),
            va=np.asarray(va),
            popularity=filled(popularity, np.nan, np.float32),
            audio=filled(audio, np.nan, np.float32, len(AUDIO_FEATURES)),
            years=filled(years, 0, np.int16),
            duration_s=filled(duration_s, np.nan, np.float32),
            mood_codes=filled(mood_codes, -1, np.int8),
            mood_probability=filled(mood_probability, np.nan, np.float32),
            va_estimated=filled(va_estimated, False, np.bool_),
            source_codes=filled(source_codes, -1, np.int16),
            source_names=tuple(source_names),
            albums=None if albums is None else np.asarray(albums, dtype=object),
            languages=None if languages is None else np.asarray(languages, dtype=object),
            external_ids=None if external_ids is None else _object_column(external_ids),
            problems=tuple(problems),
        )

    @classmethod
    def from_tracks(cls, tracks: Iterable[Track], problems: Sequence[RowProblem] = ()) -> Catalog:
        """A catalog holding ``tracks`` in the given order.

        Raises
        ------
        InputError : two tracks share an id, or a value is out of range.
        """
        tracks = list(tracks)
        ids = [t.id for t in tracks]
        if len(set(ids)) != len(ids):
            repeated = next(i for i, c in Counter(ids).items() if c > 1)
            raise InputError(f"track id {repeated!r} occurs more than once")
        artists: dict[str, int] = {}
        genres: dict[str, int] = {}
        sources: dict[str, int] = {}
        width = max((len(t.genres) for t in tracks), default=1) or 1
        genre_codes = np.full((len(tracks), width), -1, dtype=np.int32)
        for row, t in enumerate(tracks):
            genre_codes[row, : len(t.genres)] = [genres.setdefault(g, len(genres)) for g in t.genres]
        nan_audio = (np.nan,) * len(AUDIO_FEATURES)
        return cls.from_arrays(
            ids=np.array(ids, dtype=object),
            titles=np.array([t.title for t in tracks], dtype=object),
            artist_codes=np.array([artists.setdefault(t.artist, len(artists)) for t in tracks], dtype=np.int32),
            artist_names=tuple(artists),
            va=np.array([(t.valence, t.arousal) for t in tracks], dtype=np.float32).reshape(-1, 2),
            genre_codes=genre_codes,
            genre_names=tuple(genres),
            popularity=np.array([np.nan if t.popularity is None else t.popularity for t in tracks], np.float32),
            audio=np.array([t.audio or nan_audio for t in tracks], dtype=np.float32).reshape(-1, len(AUDIO_FEATURES)),
            years=np.array([t.year or 0 for t in tracks], dtype=np.int16),
            duration_s=np.array([np.nan if t.duration_s is None else t.duration_s for t in tracks], np.float32),
            mood_codes=np.array([-1 if t.mood is None else MOODS.index(t.mood) for t in tracks], np.int8),
            mood_probability=np.array(
                [np.nan if t.mood_probability is None else t.mood_probability for t in tracks], np.float32
            ),
            va_estimated=np.array([t.va_estimated for t in tracks], dtype=np.bool_),
            source_codes=np.array(
                [-1 if t.source is None else sources.setdefault(t.source, len(sources)) for t in tracks], np.int16
            ),
            source_names=tuple(sources),
            albums=[t.album for t in tracks] if any(t.album for t in tracks) else None,
            languages=[t.language for t in tracks] if any(t.language for t in tracks) else None,
            external_ids=[t.external_ids for t in tracks] if any(t.external_ids for t in tracks) else None,
            problems=problems,
        )

    # --- access -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def artists(self) -> np.ndarray:
        """(n,) object array: each track's credited artist(s)."""
        return np.asarray(self.artist_names, dtype=object)[self.artist_codes]

    def genres_of(self, i: int) -> tuple[str, ...]:
        """Track i's genres, most characteristic first."""
        return tuple(self.genre_names[c] for c in self.genre_codes[i].tolist() if c >= 0)

    def track(self, i: int) -> Track:
        """Track i, built from the columns (numbers to float32 precision, ~7 significant digits)."""
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"track index {i} is out of range for a catalog of {n}")
        audio = self.audio[i]
        mood = int(self.mood_codes[i])
        source = int(self.source_codes[i])
        return Track(
            id=str(self.ids[i]),
            title=str(self.titles[i]),
            artist=self.artist_names[self.artist_codes[i]],
            year=int(self.years[i]) or None,
            genres=self.genres_of(i),
            valence=_number(self.va[i, 0]),
            arousal=_number(self.va[i, 1]),
            popularity=_optional_number(self.popularity[i]),
            language=None if self.languages is None else self.languages[i],
            album=None if self.albums is None else self.albums[i],
            duration_s=_optional_number(self.duration_s[i]),
            mood=MOODS[mood] if mood >= 0 else None,
            mood_probability=_optional_number(self.mood_probability[i]),
            # math.nan itself for a missing feature, so that equal tracks compare equal (nan is nan).
            audio=None if np.isnan(audio).all() else tuple(math.nan if np.isnan(x) else _number(x) for x in audio),
            external_ids=() if self.external_ids is None else self.external_ids[i],
            source=self.source_names[source] if source >= 0 else None,
            va_estimated=bool(self.va_estimated[i]),
        )

    @cached_property
    def tracks(self) -> tuple[Track, ...]:
        """Every track, materialised once. Kept for callers not yet on the columns; O(n) objects."""
        return tuple(self.track(i) for i in range(len(self)))

    @cached_property
    def _search_text(self) -> list[str]:
        genres = [" ".join(self.genre_names[c] for c in row if c >= 0) for row in self.genre_codes.tolist()]
        return [
            " ".join(search_forms(f"{title} {artist} {genre}"))
            for title, artist, genre in zip(self.titles.tolist(), self.artists.tolist(), genres, strict=True)
        ]


def _object_column(values: Sequence[object]) -> np.ndarray:
    # np.asarray would turn a list of equal-length tuples into a 2-D array; fill element by element.
    column = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        column[i] = value
    return column


# --- search and statistics (ids and text folding are in .keys) ----------------------------------


def search_catalog(catalog: Catalog, query: str) -> np.ndarray:
    """Indices of the tracks whose title, artist or genres contain every word of ``query``.

    Matching ignores case and accents, and a title or artist in another script also matches its
    Latin transliteration ("kino" finds "Кино"). Order: tracks whose title or artist starts with
    the query first, then by popularity (unknown last), then artist and title.

    Returns
    -------
    (m,) int64 track indices, best first.
    """
    words = fold_text(query).split()
    if not words:
        raise InputError("a search needs at least one word")
    phrase = " ".join(words)
    text = catalog._search_text
    hits = [i for i, haystack in enumerate(text) if all(w in haystack for w in words)]
    titles, artists = catalog.titles, catalog.artists

    def order(i: int) -> tuple[int, float, str, str]:
        title, artist = search_forms(str(titles[i])), search_forms(str(artists[i]))
        starts = any(form.startswith(phrase) for form in (*title, *artist))
        popularity = float(catalog.popularity[i])
        return (0 if starts else 1, -(0.0 if np.isnan(popularity) else popularity), artist[0], title[0])

    return np.array(sorted(hits, key=order), dtype=np.int64)


@dataclass(frozen=True)
class CatalogStats:
    """What a catalog holds.

    Attributes
    ----------
    tracks, artists, genres : counts of tracks and of distinct artist credits and genres.
    per_source : tracks per data set ("unknown" for none), largest first.
    per_mood : tracks per mood label ("none" for no label), in ``MOODS`` order.
    with_audio : tracks with at least one audio feature.
    va_from_data : tracks whose valence/arousal came with the data (the others were estimated).
    with_popularity : tracks with a known popularity.
    top_genres : (genre, tracks) for the most common genres, largest first.
    years : (first, last) release year, or None when no year is known.
    """

    tracks: int
    artists: int
    genres: int
    per_source: tuple[tuple[str, int], ...]
    per_mood: tuple[tuple[str, int], ...]
    with_audio: int
    va_from_data: int
    with_popularity: int
    top_genres: tuple[tuple[str, int], ...]
    years: tuple[int, int] | None


def catalog_stats(catalog: Catalog, *, top: int = 10) -> CatalogStats:
    """Counts over ``catalog``; ``top`` is the length of the genre list."""
    n = len(catalog)
    sources = np.bincount(catalog.source_codes + 1, minlength=len(catalog.source_names) + 1)
    per_source = sorted(
        [(name, int(c)) for name, c in zip(("unknown", *catalog.source_names), sources, strict=True) if c],
        key=lambda item: (-item[1], item[0]),
    )
    moods = np.bincount(catalog.mood_codes.astype(np.int64) + 1, minlength=len(MOODS) + 1)
    per_mood = [(name, int(c)) for name, c in zip((*MOODS, "none"), (*moods[1:], moods[0]), strict=True)]
    codes = catalog.genre_codes[catalog.genre_codes >= 0]
    genre_counts = np.bincount(codes, minlength=len(catalog.genre_names))
    order = sorted(np.flatnonzero(genre_counts).tolist(), key=lambda c: (-genre_counts[c], catalog.genre_names[c]))
    known_years = catalog.years[catalog.years > 0]
    return CatalogStats(
        tracks=n,
        artists=len(np.unique(catalog.artist_codes)),
        genres=int(np.count_nonzero(genre_counts)),
        per_source=tuple(per_source),
        per_mood=tuple(per_mood),
        with_audio=int((~np.isnan(catalog.audio)).any(axis=1).sum()),
        va_from_data=int(n - catalog.va_estimated.sum()),
        with_popularity=int((~np.isnan(catalog.popularity)).sum()),
        top_genres=tuple((catalog.genre_names[c], int(genre_counts[c])) for c in order[:top]),
        years=(int(known_years.min()), int(known_years.max())) if known_years.size else None,
    )


# --- the starter-catalog CSV format --------------------------------------------------------------


def parse_catalog_rows(rows: Iterable[dict[str, str]], *, first_line: int = 2) -> Catalog:
    """Parse dict rows in the starter format (as from ``csv.DictReader``), one row per line.

    Bad rows become ``problems`` (with ``first_line`` for the first row), duplicates too.
    """
    from .importers import read_rows  # the importers build on this module's Catalog and RowProblem

    result = read_rows(rows, "csv", first_line=first_line)
    return Catalog.from_tracks(result.tracks, result.problems)


def load_catalog(path: str | Path, *, source: str | None = None) -> Catalog:
    """Read a catalog CSV in the starter format; ``source`` names it (default: the file name).

    Raises
    ------
    CatalogError : the file cannot be read, lacks a required column, or has no valid track.
    """
    from .importers import read_file

    path = Path(path)
    result = read_file(path, "csv", required=REQUIRED_COLUMNS, source=source)
    if not result.tracks:
        raise CatalogError(f"{path}: no valid tracks")
    return Catalog.from_tracks(result.tracks, result.problems)


def starter_catalog() -> Catalog:
    """The catalog that ships inside the package (curated by the moodtune team), source "starter"."""
    with resources.as_file(resources.files("moodtune.music") / "data" / "starter_catalog.csv") as path:
        return load_catalog(path, source="starter")
