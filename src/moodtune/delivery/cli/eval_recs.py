"""``moodtune eval-recs``: moodtune's recommendations against the seeds' two baselines, on real catalogs."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from moodtune.errors import DataError, MoodtuneError

from .app import app, err, fail, out, progress_bars


def _command(data: Path, output: Path | None, k: int | None, as_json: bool) -> str:
    """The command line as given, for the report's header (paths as the user wrote them)."""
    parts = ["moodtune eval-recs", f"--data {data.as_posix()}"]
    if output is not None:
        parts.append(f"--out {output.as_posix()}")
    if k is not None:
        parts.append(f"-k {k}")
    if as_json:
        parts.append("--json")
    return " ".join(parts)


@app.command("eval-recs")
def eval_recs(
    data: Annotated[
        Path, typer.Option(help="Music data folder holding deezer_mood_detection/test.csv and data_moods.csv.")
    ],
    output: Annotated[
        Path | None, typer.Option("--out", help="Write the Markdown report (tables, setup, command, date) here.")
    ] = None,
    k: Annotated[int | None, typer.Option("-k", min=1, max=100, help="Tracks per query (default 10).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the tables.")] = False,
) -> None:
    """Seed baselines A (popularity in label) and B (kNN in label) against moodtune, on the same queries."""
    from moodtune.music.evaluation import DEFAULT_K, MOODTUNE, render_markdown, run_evaluation

    command = _command(data, output, k, as_json)
    date = datetime.date.today().isoformat()
    k = DEFAULT_K if k is None else k
    try:
        with progress_bars() as bar:
            report = run_evaluation(data, k=k, progress=bar("scoring the recommenders"))
        if output is not None:
            try:
                output.parent.mkdir(parents=True, exist_ok=True)
                output.write_text(render_markdown(report, command=command, date=date), encoding="utf-8")
            except OSError as exc:
                raise DataError(f"{output}: cannot write the report ({exc})") from exc
    except MoodtuneError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(json.dumps({"command": command, "date": date, **report.as_dict()}) + "\n")
    else:
        for result in report.sets:
            table = Table(title=f"{result.name} ({result.tracks} tracks)")
            table.add_column("method", no_wrap=True)
            for header in ("distance ↓", "quadrant ↑", f"P@{k} ↑", "audio div ↑", "artists ↑", "coverage ↑"):
                table.add_column(header, justify="right")
            for m in result.methods:
                cells = [
                    m.mean(x) for x in ("distance", "quadrant_share", "precision", "audio_diversity", "artist_share")
                ]
                table.add_row(
                    Text(m.method, style="bold" if m.method == MOODTUNE else ""),
                    *("n/a" if v is None else f"{v:.3f}" for v in cells),
                    f"{m.coverage:.4f}",
                )
            out.print(table)
        failed = [f"{r.name}: {c.measure} vs {c.baseline}" for r in report.sets for c in r.checks() if not c.passed]
        out.print(
            Text.assemble(("failed checks:", "bold red"), f" {'; '.join(failed)}")
            if failed
            else "moodtune passes every check"
        )
    if output is not None:
        err.print(f"report: {output}")
