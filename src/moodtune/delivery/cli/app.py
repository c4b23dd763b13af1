"""The ``moodtune`` Typer app, its consoles, and the one place that maps errors to exit codes.

Exit codes: 0 success · 1 internal/model problem · 2 wrong usage · 3 unusable input file
(unreadable image, no face, bad data file) or text without a readable mood (no signal, not English).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from moodtune.errors import DataError, ImageError, InputError, MoodtuneError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="moodtune: music recommendations from how you feel.",
)
# Neither console reads markup: most of what they print is user or data text (file names, titles,
# error messages) where "[/b]" or "[feat. X]" must come out as written; style with ``Text`` instead.
# Soft wrap: a long line (a deep path, a link) is left whole for the terminal to wrap, never cut by Rich.
out = Console(markup=False, soft_wrap=True)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)

#: What the library's long functions call as they go, with (done, total).
ProgressCallback = Callable[[int, int], None]

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
    """Print ``error: <message>`` as one stderr line and exit with the code ``exc`` calls for."""
    err.print(Text.assemble(("error:", "bold red"), f" {exc}"))
    raise typer.Exit(exit_code(exc))


@contextmanager
def progress_bars() -> Iterator[Callable[[str], ProgressCallback]]:
    """Transient progress bars on stderr: yields ``bar(description)``, which adds one and returns its callback.

    Nothing is drawn unless stderr is a terminal, so logs and pipes get no bar fragments; stdout
    (where ``--json`` writes) never sees one.
    """
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:

        def bar(description: str) -> ProgressCallback:
            task = progress.add_task(description, total=None)
            return lambda done, total: progress.update(task, completed=done, total=total)

        yield bar


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
