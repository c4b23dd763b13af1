"""``moodtune catalog``: import data sets into the catalog database, and list, count and search it."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from moodtune.errors import CatalogError, InputError, MoodtuneError

from .app import CatalogOption, app, err, fail, out, progress_bars

if TYPE_CHECKING:
    from moodtune.music.catalog import Catalog, RowProblem
    from moodtune.music.track import Track

catalog_app = typer.Typer(
    no_args_is_help=True,
    help="The catalog database: import data sets, list, count and search tracks.",
)
app.add_typer(catalog_app, name="catalog")

#: Problems printed after an import; the rest are counted.
SHOWN_PROBLEMS = 10


class CatalogFormat(StrEnum):
    """The import formats (``moodtune.music.importers.FORMATS``)."""

    moods = "moods"
    top_hits = "top-hits"
    spotify_tracks = "spotify-tracks"
    muse = "muse"
    deezer = "deezer"
    csv = "csv"


def parse_map(items: list[str]) -> dict[str, str]:
    """``["col=field", …]`` → {column: field}.

    Raises
    ------
    InputError : an item without "=" or with an empty side, or a column mapped twice.
    """
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, field = item.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise InputError(f"--map takes column=field, got {item!r}")
        if column.strip() in mapping:
            raise InputError(f"--map names column {column.strip()!r} twice")
        mapping[column.strip()] = field.strip()
    return mapping


@catalog_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The data file (CSV).")],
    fmt: Annotated[CatalogFormat, typer.Option("--format", "-f", help="What kind of file it is.")],
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="For --format csv: column=field (repeatable), e.g. --map name=title."),
    ] = None,
    catalog: CatalogOption = None,
    show: Annotated[int, typer.Option(min=0, help="Skipped rows to print (the rest are counted).")] = SHOWN_PROBLEMS,
) -> None:
    """Import a data file into the catalog database (created if missing).

    Rows that cannot become a track are skipped and listed with their line numbers.
    """
    from moodtune.music.importers import read_file
    from moodtune.music.store import write_tracks

    try:
        mapping = parse_map(map_ or [])
        with progress_bars() as bar:
            result = read_file(file, fmt.value, mapping=mapping, progress=bar(f"reading {file.name}"))
            if not result.tracks:
                first = f"; first problem: {result.problems[0]}" if result.problems else ""
                raise CatalogError(f"{file}: none of its {result.rows} rows is a usable track{first}")
            written = write_tracks(result.tracks, catalog, progress=bar("writing"))
    except MoodtuneError as exc:
        fail(exc)
    _print_problems(result.problems, show)
    out.print(
        f"imported {len(result.tracks):,} of {result.rows:,} rows from {file.name} ({fmt.value}): "
        f"{written.added:,} new, {written.replaced:,} replaced; {len(result.problems):,} rows skipped"
    )
    if written.kept:
        out.print(f"left {written.kept:,} tracks as they were: their ids were in the catalog from another source")
    if result.estimated:
        out.print(f"valence/arousal estimated from audio features for {result.estimated:,} tracks")
    seeded = " (created with the starter catalog)" if written.seeded else ""
    out.print(f"catalog {written.path}{seeded}: {written.total:,} tracks", highlight=False)


def _print_problems(problems: tuple[RowProblem, ...], show: int) -> None:
    if not problems:
        return
    err.print(f"skipped {len(problems):,} rows:")
    for problem in problems[:show]:
        err.print(f"  {problem}")
    if len(problems) > show:
        err.print(f"  … and {len(problems) - show:,} more")


def _open(catalog: Path | None) -> Catalog:
    from moodtune.music.store import open_catalog

    try:
        return open_catalog(catalog)
    except MoodtuneError as exc:
        fail(exc)


def _track_row(track: Track) -> dict:
    """Every field of the track, as JSON can hold it (audio features by name, unknown ones null)."""
    from moodtune.music.track import AUDIO_FEATURES

    row = asdict(track)
    if track.audio is not None:
        row["audio"] = {name: None if math.isnan(v) else v for name, v in zip(AUDIO_FEATURES, track.audio, strict=True)}
    row["external_ids"] = dict(track.external_ids)
    return row


def _print_tracks(tracks: list[Track], total: int, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({"total": total, "tracks": [_track_row(t) for t in tracks]}, ensure_ascii=False))
        sys.stdout.write("\n")
        return
    table = Table(caption=f"{len(tracks):,} of {total:,} tracks")
    for column in ("track", "year", "genres", "valence", "arousal", "mood", "source", "id"):
        table.add_column(column, overflow="fold")
    for t in tracks:
        table.add_row(
            f"{t.title} — {t.artist}",
            str(t.year or ""),
            ", ".join(t.genres[:3]),
            f"{t.valence:+.2f}",
            f"{t.arousal:+.2f}" + ("*" if t.va_estimated else ""),
            t.mood or "",
            t.source or "",
            t.id,
        )
    out.print(table)


@catalog_app.command("list")
def list_tracks(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many tracks to show.")] = 20,
    catalog: CatalogOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """The first tracks of the catalog, in import order (* marks valence/arousal estimated from audio)."""
    opened = _open(catalog)
    _print_tracks([opened.track(i) for i in range(min(limit, len(opened)))], len(opened), as_json)


@catalog_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles, artists and genres.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many tracks to show.")] = 20,
    catalog: CatalogOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Tracks whose title, artist or genres contain every word of QUERY (case and accents ignored)."""
    from moodtune.music.catalog import search_catalog

    opened = _open(catalog)
    try:
        hits = search_catalog(opened, query)
    except MoodtuneError as exc:
        fail(exc)
    _print_tracks([opened.track(int(i)) for i in hits[:limit]], len(hits), as_json)


@catalog_app.command("stats")
def stats(
    catalog: CatalogOption = None,
    top: Annotated[int, typer.Option(min=1, help="Genres to list.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """How many tracks, from which data sets, with which moods, and how much is known about them."""
    from moodtune.music.catalog import catalog_stats

    s = catalog_stats(_open(catalog), top=top)
    if as_json:
        payload = {
            "tracks": s.tracks,
            "artists": s.artists,
            "genres": s.genres,
            "per_source": dict(s.per_source),
            "per_mood": dict(s.per_mood),
            "with_audio": s.with_audio,
            "va_from_data": s.va_from_data,
            "with_popularity": s.with_popularity,
            "top_genres": dict(s.top_genres),
            "years": list(s.years) if s.years else None,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return

    def share(count: int) -> str:
        return f"{count:,} ({count / s.tracks:.0%})" if s.tracks else "0"

    years = f"{s.years[0]}–{s.years[1]}" if s.years else "unknown"
    summary = f" · {s.artists:,} artists · {s.genres:,} genres · years {years}"
    out.print(Text.assemble((f"{s.tracks:,} tracks", "bold"), summary))
    out.print(f"audio features: {share(s.with_audio)} · popularity: {share(s.with_popularity)}")
    out.print(
        f"valence/arousal from the data: {share(s.va_from_data)} · estimated from audio features: "
        f"{share(s.tracks - s.va_from_data)}"
    )
    for title, rows in (("source", s.per_source), ("mood", s.per_mood), ("genre", s.top_genres)):
        table = Table(title=f"per {title}")
        table.add_column(title)
        table.add_column("tracks", justify="right")
        for name, count in rows:
            table.add_row(name, share(count))
        out.print(table)
