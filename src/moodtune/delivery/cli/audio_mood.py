"""``moodtune audio-mood``: fit the audio-feature mood model, cross-validate it against kNN, check its VA."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from moodtune.errors import MoodtuneError

from .app import app, fail, out

audio_mood_app = typer.Typer(
    no_args_is_help=True,
    help="The audio-feature mood model: fit it, cross-validate it against the seeds' kNN, check its valence/arousal.",
)
app.add_typer(audio_mood_app, name="audio-mood")

DataOption = Annotated[Path, typer.Option("--data", help="The Spotify moods data set (data_moods.csv).")]
FoldsOption = Annotated[int, typer.Option("--folds", min=2, help="Stratified cross-validation folds.")]
SeedOption = Annotated[int, typer.Option(help="Seed of the fold draw.")]


def _figure(m: dict[str, Any], key: str) -> str:
    return f"{m[key]['mean']:.3f} ± {m[key]['sd']:.3f}"


@audio_mood_app.command("fit")
def fit(
    data: DataOption,
    out_path: Annotated[Path, typer.Option("--out", help="Model file to write (JSON).")],
    folds: FoldsOption = 5,
    seed: SeedOption = 0,
) -> None:
    """Fit the model on every labelled track and write it, with its cross-validated figures, as JSON."""
    from moodtune.training.audio_mood import fit_audio_mood, load_moods_data

    try:
        model, provenance = fit_audio_mood(load_moods_data(data), n_splits=folds, seed=seed)
        model.save(out_path, provenance)
    except MoodtuneError as exc:
        fail(exc)
    except OSError as exc:
        fail(MoodtuneError(f"cannot write {out_path}: {exc}"))
    cv = provenance["cross_validation"]["methods"]
    out.print(
        f"wrote {out_path}: {provenance['data']['rows']} tracks; {folds}-fold CV accuracy "
        f"{_figure(cv['audio_mood'], 'accuracy')} (kNN k=5: {_figure(cv['knn_k5'], 'accuracy')})"
    )


@audio_mood_app.command("evaluate")
def evaluate(
    data: DataOption,
    folds: FoldsOption = 5,
    seed: SeedOption = 0,
    repeats: Annotated[int, typer.Option(min=1, help="Fold draws (seeds SEED, SEED+1, …).")] = 1,
    references: Annotated[
        bool, typer.Option(help="Also score scikit-learn's MLP and gradient boosting (slower).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Cross-validated accuracy and macro-F1 of the model and of the seeds' kNN, on the same folds."""
    from moodtune.training.audio_mood import cross_validate, load_moods_data

    try:
        result = cross_validate(
            load_moods_data(data), n_splits=folds, seed=seed, repeats=repeats, references=references
        )
    except MoodtuneError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    out.print(
        f"{result['data']['file']} ({result['data']['rows']} tracks), {folds}-fold stratified CV, seed {seed}"
        + (f", {repeats} draws" if repeats > 1 else "")
    )
    table = Table("method", "accuracy", "macro-F1", "ours − it, accuracy")
    for name, m in result["methods"].items():
        paired = result["paired"].get(name)
        table.add_row(
            name,
            _figure(m, "accuracy"),
            _figure(m, "macro_f1"),
            "" if paired is None else f"{paired['accuracy_difference']['mean']:+.3f} ({paired['folds_won']} folds won)",
        )
    out.print(table)
    per_class = result["methods"]["audio_mood"]["per_class_f1"]
    out.print("per-class F1 of audio_mood: " + ", ".join(f"{mood} {f1:.3f}" for mood, f1 in per_class.items()))
    sweep = ", ".join(f"k={k}: {v['accuracy']:.3f}" for k, v in result["knn_sweep"].items())
    out.print(f"kNN sweep, accuracy on the test folds (optimistic: k seen by the test folds): {sweep}")


@audio_mood_app.command("check-va")
def check_va_command(
    data: Annotated[
        Path, typer.Option("--data", help="The music data folder (data_moods.csv, deezer_mood_detection/, …).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Valence/arousal estimates against the Deezer labels and the starter catalog, and where each mood lands."""
    from moodtune.training.audio_mood import check_va, load_moods_data

    try:
        result = check_va(data, load_moods_data(data / "data_moods.csv"))
    except MoodtuneError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    table = Table("reference", "version", "songs", "r valence", "r arousal", "same quadrant")
    rows = [(ref, name, m) for ref in ("deezer", "starter") for name, m in result[ref].items()]
    rows.append(("deezer", "starter catalog (ceiling)", result["ceiling_starter_vs_deezer"]))
    for ref, name, m in rows:
        table.add_row(
            ref, name, str(m["n"]), f"{m['r_valence']:.3f}", f"{m['r_arousal']:.3f}", f"{m['quadrant_agreement']:.3f}"
        )
    out.print(table)
    moods = result["moods"]
    landing = Table("version", "mood", "tracks", "mean valence, arousal", "sd", "in its anchor's quadrant")
    for name, per_mood in moods["variants"].items():
        for mood, m in per_mood.items():
            (v, a), (sv, sa) = m["mean"], m["sd"]
            landing.add_row(
                name, mood, str(m["n"]), f"{v:+.2f}, {a:+.2f}", f"{sv:.2f}, {sa:.2f}", f"{m['in_anchor_quadrant']:.2f}"
            )
    out.print(f"{moods['file']}, per human label, each track placed by a model fitted without its fold:")
    out.print(landing)
    for name, description in result["variants"].items():
        out.print(f"{name}: {description}")
