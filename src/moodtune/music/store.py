"""The catalog database: tracks in a SQLite file with a typed schema, read into a columnar ``Catalog``.

Which database: the ``path`` argument (the CLI's ``--catalog``), else ``MOODTUNE_CATALOG``, else
``catalog.db`` in the user's data directory (``moodtune.config.data_dir()``). The default database
is created on the first import, seeded with the starter catalog; until then reading it gives the
starter catalog and writes nothing. A database named explicitly is created empty by its first
import, and reading one that does not exist is an error.

The standard ``sqlite3`` module is used rather than SQLAlchemy: the catalog is always a local
file, and reading 100,000 rows straight into numpy columns takes a fraction of a second this way.

Schema (table ``tracks``, one row per track, in import order)::

    id TEXT UNIQUE, title, artist, album, year INTEGER, genres TEXT (";"-joined, lower-case),
    popularity REAL [0, 1], duration_s REAL, valence REAL [-1, 1], arousal REAL [-1, 1],
    va_estimated INTEGER 0/1, mood TEXT (Happy/Sad/Energetic/Calm), mood_probability REAL,
    danceability … key REAL (the ten AUDIO_FEATURES), language TEXT,
    spotify_id, deezer_id, musicbrainz_id, msd_song_id, msd_track_id, lastfm_url TEXT (EXTERNAL_IDS),
    source TEXT

Re-importing a track (same id, same source) replaces its row, keeping its place; a track whose id
is already there from another source is left as it was.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from moodtune.config import data_dir, get_settings
from moodtune.errors import CatalogError

from .catalog import Catalog, starter_catalog
from .track import AUDIO_FEATURES, EXTERNAL_IDS, MOODS, Track

__all__ = [
    "CATALOG_ENV_VAR",
    "SCHEMA_VERSION",
    "WriteResult",
    "catalog_location",
    "default_catalog_path",
    "open_catalog",
    "write_tracks",
]

log = logging.getLogger(__name__)

CATALOG_ENV_VAR: Final = "MOODTUNE_CATALOG"
SCHEMA_VERSION: Final = 1

_AUDIO_COLUMNS = ",\n    ".join(f"{name} REAL" for name in AUDIO_FEATURES)
_ID_COLUMNS = ",\n    ".join(f"{name} TEXT" for name in EXTERNAL_IDS)
_MOOD_LIST = ", ".join(f"'{m}'" for m in MOODS)
_SCHEMA = f"""
CREATE TABLE tracks (
    id TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 200),
    title TEXT NOT NULL CHECK (title <> ''),
    artist TEXT NOT NULL CHECK (artist <> ''),
    album TEXT,
    year INTEGER CHECK (year BETWEEN 1600 AND 2100),
    genres TEXT NOT NULL DEFAULT '',
    popularity REAL CHECK (popularity BETWEEN 0 AND 1),
    duration_s REAL CHECK (duration_s > 0),
    valence REAL NOT NULL CHECK (valence BETWEEN -1 AND 1),
    arousal REAL NOT NULL CHECK (arousal BETWEEN -1 AND 1),
    va_estimated INTEGER NOT NULL DEFAULT 0 CHECK (va_estimated IN (0, 1)),
    mood TEXT CHECK (mood IN ({_MOOD_LIST})),
    mood_probability REAL CHECK (mood_probability BETWEEN 0 AND 1),
    {_AUDIO_COLUMNS},
    language TEXT,
    {_ID_COLUMNS},
    source TEXT
);
CREATE INDEX tracks_source ON tracks (source);
CREATE INDEX tracks_spotify_id ON tracks (spotify_id);
CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Columns in the order of ``_row`` and of the SELECT in ``_read``.
_COLUMNS: Final = (
    "id",
    "title",
    "artist",
    "album",
    "year",
    "genres",
    "popularity",
    "duration_s",
    "valence",
    "arousal",
    "va_estimated",
    "mood",
    "mood_probability",
    *AUDIO_FEATURES,
    "language",
    *EXTERNAL_IDS,
    "source",
)
_INSERT = (
    f"INSERT INTO tracks ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
    f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _COLUMNS[1:])} "
    # A track from another data set keeps its row: the starter's curated valence/arousal, or a
    # data set's own mood label, is worth more than a later estimate for the same id.
    "WHERE tracks.source IS excluded.source"
)

# Rows per executemany call while writing (progress is reported between calls).
_WRITE_BATCH = 5000


@dataclass(frozen=True)
class WriteResult:
    """What ``write_tracks`` did.

    Attributes
    ----------
    path : the database written.
    added : tracks that were new.
    replaced : tracks whose id was already there from the same source (their row now holds the
        new values).
    kept : tracks whose id was already there from another source (that track stays as it was).
    total : tracks in the database afterwards.
    seeded : True when the database was created and filled with the starter catalog first.
    """

    path: Path
    added: int
    replaced: int
    kept: int
    total: int
    seeded: bool


def default_catalog_path() -> Path:
    """``catalog.db`` in the user's data directory (``MOODTUNE_DATA_DIR`` or the XDG default)."""
    return data_dir() / "catalog.db"


def catalog_location(path: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """The database to use, and whether it is the default one.

    ``path`` if given, else ``MOODTUNE_CATALOG`` if set, else ``default_catalog_path()``.
    """
    if path is not None and str(path).strip():
        return Path(path).expanduser(), False
    explicit = get_settings().catalog
    if explicit:
        return Path(explicit).expanduser(), False
    return default_catalog_path(), True


def _connect(path: Path) -> sqlite3.Connection:
    try:
        # Autocommit mode: transactions are opened explicitly, so schema creation is part of them.
        return sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise CatalogError(f"cannot open catalog database {path}: {exc}") from exc


def _has_schema(conn: sqlite3.Connection, path: Path) -> bool:
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "tracks" not in tables:
            return False
        version = conn.execute("SELECT value FROM catalog_meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error as exc:  # e.g. "file is not a database"
        raise CatalogError(f"{path} is not a catalog database: {exc}") from exc
    if version is None or int(version[0]) != SCHEMA_VERSION:
        found = None if version is None else version[0]
        raise CatalogError(f"{path}: catalog schema version {found}, this moodtune reads version {SCHEMA_VERSION}")
    return True


# --- reading -------------------------------------------------------------------------------------


def open_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """The catalog in the database at ``path`` (see ``catalog_location``), as a columnar ``Catalog``.

    Raises
    ------
    CatalogError : a database named by ``path`` or ``MOODTUNE_CATALOG`` does not exist, or a file
        is not a catalog database.
    """
    location, is_default = catalog_location(path)
    if not location.is_file():
        if is_default:
            log.info("no catalog database at %s yet: using the starter catalog", location)
            return starter_catalog()
        raise CatalogError(
            f"no catalog database at {location}; create it with `moodtune catalog import FILE --catalog {location}`"
        )
    with closing(_connect(location)) as conn:
        if not _has_schema(conn, location):
            if is_default:  # the folder's file exists but holds no catalog yet
                return starter_catalog()
            raise CatalogError(f"{location} holds no catalog; import one with `moodtune catalog import`")
        # Millions of short-lived tuples would set off the cycle collector again and again.
        gc.disable()
        try:
            catalog = _read(conn)
        except sqlite3.Error as exc:
            raise CatalogError(f"cannot read the catalog in {location}: {exc}") from exc
        finally:
            gc.enable()
    log.info("catalog %s: %d tracks", location, len(catalog))
    return catalog


def _codes(values: Sequence[str | None]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes (-1 for None) and the vocabulary, in first-seen order."""
    vocabulary: dict[str | None, int] = {None: -1}
    # A list comprehension over dict.setdefault is the fastest pure-Python encoder.
    codes = [vocabulary.setdefault(v, len(vocabulary) - 1) for v in values]
    return np.array(codes, dtype=np.int32), tuple(v for v in vocabulary if v is not None)


def _read(conn: sqlite3.Connection) -> Catalog:
    rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM tracks ORDER BY rowid").fetchall()
    if not rows:
        return Catalog.from_tracks(())
    column = dict(zip(_COLUMNS, zip(*rows, strict=True), strict=True))
    artist_codes, artist_names = _codes(column["artist"])
    source_codes, source_names = _codes(column["source"])
    # Few distinct genre lists are shared by many tracks: code each list once, then index.
    combo_codes, combos = _codes(column["genres"])
    combo_lists = [combo.split(";") if combo else [] for combo in combos]
    vocabulary: dict[str, int] = {}
    combo_matrix = np.full((len(combos), max(1, max(map(len, combo_lists), default=0))), -1, dtype=np.int32)
    for row, genres in enumerate(combo_lists):
        combo_matrix[row, : len(genres)] = [vocabulary.setdefault(g, len(vocabulary)) for g in genres]
    genre_codes = combo_matrix[combo_codes]
    mood_index = {m: i for i, m in enumerate(MOODS)}

    def floats(name: str) -> np.ndarray:
        # None becomes NaN on conversion to a float array.
        return np.array(column[name], dtype=np.float32)

    def optional_text(name: str) -> list[str | None] | None:
        values = list(column[name])
        return values if any(v is not None for v in values) else None

    services = tuple(EXTERNAL_IDS.values())
    # Columns in EXTERNAL_IDS order; sorted by service name, as Track keeps them.
    order = sorted(range(len(services)), key=services.__getitem__)
    id_columns = [column[name] for name in EXTERNAL_IDS]
    external = [
        tuple((services[k], ids[k]) for k in order if ids[k] is not None) for ids in zip(*id_columns, strict=True)
    ]
    return Catalog.from_arrays(
        ids=np.array(column["id"], dtype=object),
        titles=np.array(column["title"], dtype=object),
        artist_codes=artist_codes,
        artist_names=artist_names,
        va=np.stack([floats("valence"), floats("arousal")], axis=1),
        genre_codes=genre_codes,
        genre_names=tuple(vocabulary),
        popularity=floats("popularity"),
        audio=np.stack([floats(name) for name in AUDIO_FEATURES], axis=1),
        years=np.array([y or 0 for y in column["year"]], dtype=np.int16),
        duration_s=floats("duration_s"),
        mood_codes=np.array([mood_index.get(m, -1) for m in column["mood"]], dtype=np.int8),
        mood_probability=floats("mood_probability"),
        va_estimated=np.array(column["va_estimated"], dtype=np.bool_),
        source_codes=source_codes,
        source_names=source_names,
        albums=optional_text("album"),
        languages=optional_text("language"),
        external_ids=external if any(external) else None,
    )


# --- writing -------------------------------------------------------------------------------------


def _row(track: Track) -> tuple:
    audio = track.audio or (math.nan,) * len(AUDIO_FEATURES)
    ids = dict(track.external_ids)
    return (
        track.id,
        track.title,
        track.artist,
        track.album,
        track.year,
        ";".join(track.genres),
        track.popularity,
        track.duration_s,
        track.valence,
        track.arousal,
        int(track.va_estimated),
        track.mood,
        track.mood_probability,
        # SQLite stores NaN as NULL, which is what an unknown feature is.
        *(None if math.isnan(x) else x for x in audio),
        track.language,
        *(ids.get(service) for service in EXTERNAL_IDS.values()),
        track.source,
    )


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Everything inside is committed together, or rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _create(conn: sqlite3.Connection) -> None:
    # One statement at a time: executescript would commit the open transaction first.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO catalog_meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def write_tracks(
    tracks: Iterable[Track],
    path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> WriteResult:
    """Add ``tracks`` to the catalog database (see ``catalog_location``), creating it if needed.

    A new default database is seeded with the starter catalog first. A track whose id is already
    there from the same source replaces that row; from another source, the earlier track stays.
    Everything is written in one transaction: on an error, nothing is.

    Parameters
    ----------
    tracks : ids unique among them.
    path : the database; None for ``MOODTUNE_CATALOG`` or the default.
    progress : called with (tracks written, tracks to write) after each batch.

    Raises
    ------
    CatalogError : the database cannot be created or written, or is not a catalog database.
    """
    location, is_default = catalog_location(path)
    tracks = list(tracks)
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatalogError(f"cannot create the folder for {location}: {exc}") from exc
    with closing(_connect(location)) as conn:
        seeded = False
        try:
            with _transaction(conn):
                if not _has_schema(conn, location):
                    _create(conn)
                    if is_default:
                        conn.executemany(_INSERT, [_row(t) for t in starter_catalog().tracks])
                        seeded = True
                before = conn.execute("SELECT count(*) FROM tracks").fetchone()[0]
                changes = conn.total_changes
                for start in range(0, len(tracks), _WRITE_BATCH):
                    conn.executemany(_INSERT, [_row(t) for t in tracks[start : start + _WRITE_BATCH]])
                    if progress is not None:
                        progress(min(start + _WRITE_BATCH, len(tracks)), len(tracks))
                changed = conn.total_changes - changes  # inserted or updated, not the kept ones
                total = conn.execute("SELECT count(*) FROM tracks").fetchone()[0]
        except sqlite3.Error as exc:
            raise CatalogError(f"cannot write to catalog database {location}: {exc}") from exc
    added = total - before
    result = WriteResult(location, added, changed - added, len(tracks) - changed, total, seeded)
    log.info("catalog %s: %d tracks added, %d replaced, %d kept", location, added, result.replaced, result.kept)
    return result
