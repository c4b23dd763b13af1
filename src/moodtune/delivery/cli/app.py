"""The ``moodtune`` Typer app, its consoles, and the one place that maps errors to exit codes.

Exit codes: 0 success · 1 internal/model problem · 2 wrong usage · 3 unusable input file
(unreadable image, no face, bad data file) or text without a readable mood (no signal, not English).
"""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from moodtune.errors import DataError, ImageError, InputError, MoodtuneError

if TYPE_CHECKING:
    pass

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="moodtune: music recommendations from how you feel.",
)
out = Console()
err = Console(stderr=True)

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_BAD_INPUT = 0, 1, 2, 3


class NoFaceError(InputError):
    """A photo was given but no face was found in it."""


class UnreadableTextError(InputError):
    """Text was the only source and no mood could be read from it (no signal, unsupported language)."""


def exit_code(exc: MoodtuneError) -> int:
    if isinstance(exc, (ImageError, DataError, NoFaceError, UnreadableTextError)):
        return EXIT_BAD_INPUT
    if isinstance(exc, InputError):
        return EXIT_USAGE
    return EXIT_INTERNAL  # ModelError and anything unforeseen


def fail(exc: MoodtuneError) -> NoReturn:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(exit_code(exc))


#: ``--catalog PATH``, shared by every command that reads or writes the catalog database.
CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        dir_okay=False,
        help="Catalog database (SQLite). Default: $MOODTUNE_CATALOG, else catalog.db in the data folder "
        "(the starter catalog until something is imported).",
    ),
]


class Strategy(StrEnum):
    match = "match"
    uplift = "uplift"
    calm = "calm"
    journey = "journey"


class FerPlusTargets(StrEnum):
    majority = "majority"
    soft = "soft"


class Schedule(StrEnum):
    onecycle = "onecycle"
    plateau = "plateau"


class ClassBalance(StrEnum):
    none = "none"
    loss = "loss"
    sampler = "sampler"


class FaceRegion(StrEnum):
    full = "full"
    upper_half = "upper"  # a member named ``upper`` would shadow ``str.upper``


class Split(StrEnum):
    Training = "Training"
    PublicTest = "PublicTest"
    PrivateTest = "PrivateTest"


@app.callback()
def _setup(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
