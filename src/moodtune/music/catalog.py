"""Loading a catalog of ``Track`` rows from CSV, with every malformed row reported by line number.

The CSV columns are ``title,artist,year,genres,valence,arousal`` plus the
optional ``popularity,language,spotify_id,id``. ``genres`` is ``;``-separated.
The starter catalog that ships with moodtune uses this format.
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from moodtune.errors import CatalogError

from .track import Track

__all__ = ["Catalog", "RowProblem", "load_catalog", "parse_catalog_rows", "starter_catalog", "track_key"]

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("title", "artist", "year", "genres", "valence", "arousal")


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Catalog:
    """An immutable list of tracks with the arrays the ranker needs."""

    tracks: tuple[Track, ...]
    problems: tuple[RowProblem, ...] = ()

    def __len__(self) -> int:
        return len(self.tracks)

    @cached_property
    def va(self) -> np.ndarray:
        """Valence/arousal of every track, shape (n_tracks, 2)."""
        return np.array([(t.valence, t.arousal) for t in self.tracks], dtype=np.float64).reshape(-1, 2)


def track_key(title: str, artist: str) -> str:
    """Accent-, case- and punctuation-insensitive key, used for ids and for matching catalogs."""

    def fold(s: str) -> str:
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")

    return f"{fold(artist)}--{fold(title)}"


def _optional_float(value: str, lo: float, hi: float, name: str) -> float | None:
    if not value.strip():
        return None
    x = float(value)
    if not lo <= x <= hi:
        raise ValueError(f"{name} {x} is outside [{lo}, {hi}]")
    return x


def _parse_row(row: dict[str, str]) -> Track:
    title, artist = (row.get("title") or "").strip(), (row.get("artist") or "").strip()
    if not title or not artist:
        raise ValueError("title and artist must not be empty")
    year_text = (row.get("year") or "").strip()
    year = int(year_text) if year_text else None
    if year is not None and not 1600 <= year <= 2100:
        raise ValueError(f"year {year} is not plausible")
    genres = tuple(g.strip().lower() for g in (row.get("genres") or "").split(";") if g.strip())
    valence = _optional_float(row.get("valence") or "", -1, 1, "valence")
    arousal = _optional_float(row.get("arousal") or "", -1, 1, "arousal")
    if valence is None or arousal is None:
        raise ValueError("valence and arousal are required")
    return Track(
        id=(row.get("id") or "").strip() or track_key(title, artist),
        title=title,
        artist=artist,
        year=year,
        genres=genres,
        valence=valence,
        arousal=arousal,
        popularity=_optional_float(row.get("popularity") or "", 0, 1, "popularity"),
        language=(row.get("language") or "").strip() or None,
        spotify_id=(row.get("spotify_id") or "").strip() or None,
    )


def parse_catalog_rows(rows: Iterable[dict[str, str]], *, first_line: int = 2) -> Catalog:
    """Parse dict rows (as from ``csv.DictReader``); bad rows become ``problems``, duplicates too."""
    tracks: list[Track] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=first_line):
        try:
            track = _parse_row(row)
        except ValueError as exc:
            problems.append(RowProblem(line, str(exc)))
            continue
        if track.id in seen:
            problems.append(RowProblem(line, f"duplicate track {track.id!r}"))
            continue
        seen.add(track.id)
        tracks.append(track)
    for problem in problems:
        log.warning("catalog %s", problem)
    return Catalog(tuple(tracks), tuple(problems))


def load_catalog(path: str | Path) -> Catalog:
    """Read a catalog CSV; raises ``CatalogError`` if the file or its header is unusable."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise CatalogError(f"{path}: missing columns {missing}")
            catalog = parse_catalog_rows(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CatalogError(f"{path}: cannot read catalog ({exc})") from exc
    if not catalog.tracks:
        raise CatalogError(f"{path}: no valid tracks")
    return catalog


def starter_catalog() -> Catalog:
    """The catalog that ships inside the package (curated by the moodtune team)."""
    with resources.as_file(resources.files("moodtune.music") / "data" / "starter_catalog.csv") as path:
        return load_catalog(path)
