"""Importers: catalog files of known data sets (and any CSV) read into tracks, bad rows reported.

============== ==================================================================================
format         file
============== ==================================================================================
moods          ``data_moods.csv`` (Spotify moods data set)
top-hits       ``songs_normalize.csv`` (Top Hits Spotify 2000-2019)
spotify-tracks ``high_popularity_spotify_data.csv`` / ``low_…`` (Spotify music dataset), or the
               114k Spotify Tracks Dataset ``dataset.csv``
muse           ``muse_v3.csv`` (MuSe, the Musical Sentiment data set)
deezer         ``train.csv`` / ``validation.csv`` / ``test.csv`` (Deezer mood detection)
csv            any CSV with columns named as track fields, or mapped with ``--map col=field``
============== ==================================================================================

``read_file(path, "deezer")`` gives an ``ImportResult``: the tracks, and one ``RowProblem`` (line
number and reason) per skipped row. Writing them to a catalog database is
``moodtune.music.store.write_tracks``'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from moodtune.errors import CatalogError, InputError

from ._format import FIELDS, Format, ImportResult, normalise_genres, parse_rows
from .csv_records import csv_records
from .deezer import DEEZER_FORMAT
from .generic import CSV_FORMAT, csv_format
from .moods import MOODS_FORMAT
from .muse import MUSE_FORMAT
from .spotify_tracks import SPOTIFY_TRACKS_FORMAT
from .top_hits import TOP_HITS_FORMAT

__all__ = [
    "FIELDS",
    "FORMATS",
    "Format",
    "ImportResult",
    "get_format",
    "list_formats",
    "normalise_genres",
    "read_file",
    "read_rows",
]

#: The import formats by name.
FORMATS: Mapping[str, Format] = {
    f.name: f for f in (MOODS_FORMAT, TOP_HITS_FORMAT, SPOTIFY_TRACKS_FORMAT, MUSE_FORMAT, DEEZER_FORMAT, CSV_FORMAT)
}

#: Called with (bytes read, file size) while a file is read.
Progress = Callable[[int, int], None]

# Report progress every this many rows: often enough for a smooth bar, rarely enough to cost nothing.
_PROGRESS_EVERY = 2000


def list_formats() -> list[str]:
    """The format names, in the order of the table above."""
    return list(FORMATS)


def get_format(name: str, mapping: Mapping[str, str] | None = None) -> Format:
    """The format called ``name``; ``mapping`` (file column → field) is only for ``csv``.

    Raises
    ------
    InputError : unknown name, or a mapping for another format or naming an unknown field.
    """
    if name not in FORMATS:
        raise InputError(f"unknown catalog format {name!r}; formats are: {', '.join(FORMATS)}")
    if mapping and name != CSV_FORMAT.name:
        raise InputError(f"--map is for the csv format; the {name} format knows its columns")
    return csv_format(mapping) if name == CSV_FORMAT.name else FORMATS[name]


def read_file(
    path: str | Path,
    fmt: str | Format,
    *,
    mapping: Mapping[str, str] | None = None,
    required: Sequence[str] = (),
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a catalog file.

    Parameters
    ----------
    path : a CSV file (UTF-8, with or without a byte-order mark; any line endings).
    fmt : a format name (see ``FORMATS``) or a ``Format``.
    mapping : file column → field, for the ``csv`` format.
    required : column names the header must have, besides the format's own.
    source : stored as each track's ``source``; default the format's name (for ``csv``: the file's
        name without its extension).
    progress : called with (bytes read, file size) now and then.

    Raises
    ------
    CatalogError : the file cannot be read or decoded, or its header lacks a needed column.
    InputError : unknown format or bad mapping.
    """
    path = Path(path)
    form = fmt if isinstance(fmt, Format) else get_format(fmt, mapping)
    if source is None:
        source = path.stem if form.name == CSV_FORMAT.name else form.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as raw:
            records = csv_records(raw)
            header = _header(path, records)
            missing = [c for c in required if c not in header]
            if missing:
                raise CatalogError(f"{path}: missing columns {missing}")
            try:
                columns = form.layout(header)
            except CatalogError as exc:
                raise CatalogError(f"{path}: {exc}") from None
            rows: Iterator[tuple[int, dict[str, str | None] | str]] = (
                (line, record if isinstance(record, str) else dict(zip(header, record, strict=True)))
                for line, record in records
            )
            if progress is not None:
                rows = _reporting(rows, lambda: progress(raw.tell(), size))
            result = parse_rows(rows, form, columns, source=source)
            if progress is not None:
                progress(size, size)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read catalog file ({exc})") from exc
    return result


def _header(path: Path, records: Iterator[tuple[int, list[str] | str]]) -> list[str]:
    """The column names on the file's first line; a file with no readable header is refused whole."""
    line, record = next(records, (1, "is missing: the file is empty"))
    if isinstance(record, str):
        raise CatalogError(f"{path}: the header (line {line}) {record}")
    return [name.strip() for name in record]


def _reporting(rows: Iterator[tuple[int, object]], report: Callable[[], None]) -> Iterator:
    for count, item in enumerate(rows, start=1):
        if count % _PROGRESS_EVERY == 0:
            report()
        yield item


def read_rows(
    rows: Iterable[Mapping[str, str]], fmt: str | Format, *, first_line: int = 2, source: str | None = None
) -> ImportResult:
    """Parse rows already split into columns (e.g. from ``csv.DictReader``), one row per line.

    The column layout is chosen from the first row's keys; ``first_line`` numbers the first row.
    """
    form = fmt if isinstance(fmt, Format) else get_format(fmt)
    rows = list(rows)
    if not rows:
        return ImportResult((), (), 0)
    columns = form.layout(rows[0].keys() if rows else ())
    return parse_rows(enumerate(rows, start=first_line), form, columns, source=source or form.name)
