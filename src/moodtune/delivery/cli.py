"""The ``moodtune`` command: a thin layer over the library, with one place mapping errors to exit codes.

Exit codes: 0 success · 1 internal/model problem · 2 wrong usage · 3 unusable input file
(unreadable image, no face, bad data file) or text without a readable mood (no signal, not English).
"""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from moodtune.errors import DataError, ImageError, InputError, MoodtuneError

if TYPE_CHECKING:
    import numpy as np

    from moodtune.pipeline import ImageAnalysis

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


def _exit_code(exc: MoodtuneError) -> int:
    if isinstance(exc, (ImageError, DataError, NoFaceError, UnreadableTextError)):
        return EXIT_BAD_INPUT
    if isinstance(exc, InputError):
        return EXIT_USAGE
    return EXIT_INTERNAL  # ModelError and anything unforeseen


def _fail(exc: MoodtuneError) -> NoReturn:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(_exit_code(exc))


class Strategy(StrEnum):
    match = "match"
    uplift = "uplift"
    calm = "calm"


class FerPlusTargets(StrEnum):
    majority = "majority"
    soft = "soft"


class Schedule(StrEnum):
    onecycle = "onecycle"
    plateau = "plateau"


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


@app.command()
def recommend(
    image: Annotated[Path | None, typer.Option("--image", "-i", help="Photo to read the mood from.")] = None,
    mood: Annotated[
        str | None,
        typer.Option("--mood", "-m", help="Say the mood instead: angry, disgust, fear, happy, sad, surprise, neutral."),
    ] = None,
    strategy: Annotated[
        Strategy, typer.Option("--strategy", "-s", help="match the mood, uplift it, or calm it.")
    ] = Strategy.match,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of tracks.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", help="Write the photo with a box and label per face to this PNG/JPEG."),
    ] = None,
    model: Annotated[str, typer.Option(help="Expression model name or .onnx path.")] = "compact_cnn",
    text: Annotated[
        str | None, typer.Option("--text", "-t", help="Read the mood from this text (English), alone or with --image.")
    ] = None,
) -> None:
    """Recommend songs for the mood in a photo, in a text, or for a mood you name.

    Give exactly one of --image or --mood, or --text alone or with --image (face and text are
    fused, weighted by their confidence). --mood with --text always wins: a picked mood overrides.
    """
    from moodtune.affect.fusion import fuse
    from moodtune.music import track_links
    from moodtune.perception.text import read_text_mood
    from moodtune.pipeline import analyze_image
    from moodtune.pipeline import recommend as recommend_tracks

    if text is None and (image is None) == (mood is None):
        err.print("error: give exactly one of --image or --mood, or --text (alone or with --image)")
        raise typer.Exit(EXIT_USAGE)
    if annotate is not None and image is None:
        err.print("error: --annotate needs --image")
        raise typer.Exit(EXIT_USAGE)
    try:
        faces: list[dict] = []
        face_affect = None
        text_mood = read_text_mood(text) if text is not None else None
        if image is not None:
            from moodtune.perception.images import decode_image

            rgb = decode_image(image)
            analysis = analyze_image(rgb, model=model)
            if analysis.affect is None and mood is None and (text_mood is None or text_mood.affect is None):
                raise NoFaceError(f"no face found in {image}; try a clearer, frontal photo, or name a --mood")
            faces = [f.as_dict() for f in analysis.faces]
            face_affect = analysis.affect
            if annotate is not None:
                _write_annotated(rgb, analysis, annotate)
        if text_mood is not None and text_mood.affect is None:
            if face_affect is None and mood is None:
                raise UnreadableTextError(f"no mood could be read from the text: {text_mood.note}")
            err.print(f"note: the text was not used: {text_mood.note}")
        elif text_mood is not None and text_mood.note:
            err.print(f"note: {text_mood.note}")
        fused = fuse(faces=face_affect, text=text_mood.affect if text_mood else None, picked=mood)
        tracks = recommend_tracks(fused.affect, strategy=strategy.value, k=k)
    except MoodtuneError as exc:
        _fail(exc)

    payload = {
        "faces": faces,
        "affect": fused.as_dict(),
        "strategy": strategy.value,
        "tracks": [
            {
                "title": r.track.title,
                "artist": r.track.artist,
                "year": r.track.year,
                "genres": list(r.track.genres),
                "valence": r.track.valence,
                "arousal": r.track.arousal,
                "score": round(r.score, 4),
                "reason": r.reason,
                "links": track_links(r.track),
            }
            for r in tracks
        ],
    }
    if text_mood is not None:
        payload["text"] = text_mood.as_dict()
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    _print_recommendation(payload)


def _write_annotated(rgb: np.ndarray, analysis: ImageAnalysis, path: Path) -> None:
    import cv2

    from moodtune.delivery.annotate import annotate_image

    bgr = cv2.cvtColor(annotate_image(rgb, analysis), cv2.COLOR_RGB2BGR)
    if not cv2.imwrite(str(path), bgr):
        raise InputError(f"cannot write {path}: use a .png or .jpg name in an existing folder")


def _print_recommendation(payload: dict) -> None:
    affect = payload["affect"]
    for i, face in enumerate(payload["faces"], start=1):
        out.print(f"face {i} at {face['box']}: [bold]{face['emotion']}[/] ({face['confidence']:.0%})")
    out.print(
        f"mood: [bold]{affect['emotion']}[/] ({affect['confidence']:.0%}) · "
        f"valence {affect['valence']:+.2f} · arousal {affect['arousal']:+.2f} · "
        f"strategy {payload['strategy']}"
    )
    if len(affect["sources"]) > 1:
        out.print("sources: " + " · ".join(f"{s['source']} {s['weight']:.0%}" for s in affect["sources"]))
    table = Table(show_lines=False)
    for col in ("#", "track", "genres", "why", "listen"):
        table.add_column(col)
    for i, t in enumerate(payload["tracks"], start=1):
        table.add_row(
            str(i),
            f"{t['title']} — {t['artist']}" + (f" ({t['year']})" if t["year"] else ""),
            ", ".join(t["genres"][:3]),
            t["reason"],
            t["links"]["youtube"],
        )
    out.print(table)


@app.command()
def explain(
    image: Annotated[Path, typer.Option("--image", "-i", help="Photo with one or more faces.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the photo with heat maps (.png/.jpg).")
    ],
    model: Annotated[str, typer.Option(help="Expression model name or .onnx path.")] = "compact_cnn",
) -> None:
    """Show where the model saw each face's emotion: a Grad-CAM heat map over every face."""
    import cv2

    from moodtune.delivery.annotate import overlay_heatmaps
    from moodtune.perception.images import decode_image
    from moodtune.pipeline import explain_image

    try:
        rgb = decode_image(image)
        explanation = explain_image(rgb, model=model)
        if not explanation.heatmaps:
            raise NoFaceError(f"no face found in {image}; try a clearer, frontal photo")
        drawn = cv2.cvtColor(overlay_heatmaps(rgb, explanation), cv2.COLOR_RGB2BGR)
        if not cv2.imwrite(str(output), drawn):
            raise InputError(f"cannot write {output}: use a .png or .jpg name in an existing folder")
    except MoodtuneError as exc:
        _fail(exc)
    for reading in explanation.analysis.faces:
        out.print(f"face at {list(reading.face.box)}: {reading.affect.emotion} ({reading.affect.confidence:.0%})")
    out.print(f"wrote {output}")


@app.command()
def evaluate(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    split: Annotated[Split, typer.Option(help="Usage split to score.")] = Split.PrivateTest,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: Annotated[str, typer.Option(help="Expression model name or .onnx path.")] = "compact_cnn",
    report: Annotated[
        Path | None,
        typer.Option(help="Also write a report folder: metrics.json, confusion_matrix.png, curves.png, report.md."),
    ] = None,
) -> None:
    """Accuracy, macro-F1 and per-class figures of an expression model on a FER2013 split."""
    from moodtune.perception.expression import load_expression_model
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.evaluate import evaluate_model

    try:
        expression = load_expression_model(model)
        result = evaluate_model(expression, load_fer2013(data, split.value))
        if report is not None:
            from moodtune.training.reports import write_report

            write_report(result, report, history=expression.config.provenance.get("history"))
    except MoodtuneError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    out.print(
        f"{result['model']} on {result['split']} (n={result['n']}): accuracy [bold]{result['accuracy']:.4f}[/], "
        f"macro-F1 {result['macro_f1']:.4f}; with flip TTA {result['flip_tta']['accuracy']:.4f} / "
        f"{result['flip_tta']['macro_f1']:.4f}"
    )
    table = Table("class", "precision", "recall", "F1", "specificity", "AUC", "n")
    for name, m in result["per_class"].items():
        table.add_row(
            name, *(f"{m[k]:.3f}" for k in ("precision", "recall", "f1", "specificity", "auc")), str(m["support"])
        )
    out.print(table)
    if report is not None:
        out.print(f"report: {report / 'report.md'}")


@app.command("evaluate-text")
def evaluate_text(
    data: Annotated[Path, typer.Option(help="Folder holding dair_emotion/ and goemotions/.")],
    split: Annotated[str, typer.Option(help="Split of both datasets: test, validation or train.")] = "test",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: Annotated[str, typer.Option(help="Text model name or .npz path.")] = "text_mood",
) -> None:
    """Accuracy, macro-F1 and confusion matrices of the text-mood model on dair-ai emotion and GoEmotions."""
    from moodtune.perception.text import load_text_model
    from moodtune.training.text.evaluate import evaluate_text_model

    if split not in ("test", "validation", "train"):
        err.print("error: --split must be test, validation or train")
        raise typer.Exit(EXIT_USAGE)
    try:
        result = evaluate_text_model(load_text_model(model), data, split)
    except MoodtuneError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    for name in ("dair", "goemotions"):
        r = result[name]
        out.print(
            f"{name} {split} (n={r['n']}, classes {', '.join(r['labels'])}): accuracy [bold]{r['accuracy']:.4f}[/], "
            f"macro-F1 [bold]{r['macro_f1']:.4f}[/]"
        )
        table = Table("true \\ predicted", *r["labels"])
        for label, row in zip(r["labels"], r["confusion_matrix"], strict=True):
            table.add_row(label, *(str(v) for v in row))
        out.print(table)


@app.command()
def train(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Run folder for checkpoints and history.")],
    arch: Annotated[str, typer.Option(help="Registered architecture.")] = "compact_cnn",
    epochs: Annotated[int, typer.Option(min=1)] = 60,
    batch_size: Annotated[int, typer.Option(min=1)] = 128,
    lr: Annotated[float, typer.Option(help="Peak learning rate of the one-cycle schedule.")] = 0.1,
    seed: int = 0,
    threads: Annotated[int | None, typer.Option(help="Torch CPU threads (default: all cores).")] = None,
    resume: Annotated[bool, typer.Option(help="Continue from OUT/last.pt.")] = False,
    limit: Annotated[int | None, typer.Option(help="Use only the first N training faces (smoke runs).")] = None,
    ferplus: Annotated[
        Path | None, typer.Option(help="FER+ votes (fer2013new.csv): train on FER+ targets, select on FER+ majority.")
    ] = None,
    targets: Annotated[FerPlusTargets, typer.Option(help="With --ferplus: majority labels or soft vote shares.")] = (
        FerPlusTargets.majority
    ),
    schedule: Annotated[Schedule, typer.Option(help="One-cycle per batch, or halve the rate on plateaus.")] = (
        Schedule.onecycle
    ),
    class_weighting: Annotated[bool, typer.Option(help="Weight the loss by inverse class frequency.")] = False,
    patience: Annotated[int | None, typer.Option(help="Stop after this many epochs without a better val accuracy.")] = (
        None
    ),
) -> None:
    """Train an expression model on Training, selecting the best epoch on PublicTest. Needs the [train] extra."""
    try:
        import torch
    except ImportError:
        err.print("error: training needs torch: pip install -e '.[train]'")
        raise typer.Exit(EXIT_USAGE) from None
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from moodtune.training.architectures import list_models
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.data.ferplus import load_ferplus
    from moodtune.training.train import TrainConfig, fit

    if arch not in list_models():
        err.print(f"error: unknown architecture {arch!r}; choose from {', '.join(list_models())}")
        raise typer.Exit(EXIT_USAGE)
    if threads:
        torch.set_num_threads(threads)
    try:
        if ferplus is None:
            train_set, val_set = load_fer2013(data, "Training"), load_fer2013(data, "PublicTest")
        else:
            train_set = load_ferplus(data, ferplus, "Training", mode=targets.value)
            val_set = load_ferplus(data, ferplus, "PublicTest")
    except MoodtuneError as exc:
        _fail(exc)
    if limit:
        train_set = train_set.subset(slice(0, limit))
        val_set = val_set.subset(slice(0, max(limit // 4, 1)))
    cfg = TrainConfig(
        architecture=arch,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        seed=seed,
        schedule=schedule.value,
        class_weighting=class_weighting,
        patience=patience,
    )
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeRemainingColumn(),
        console=err,
    ) as progress:
        task = progress.add_task("epoch 1", total=None, status="")
        last = {"line": ""}

        def on_batch(step: int, total: int, loss: float) -> None:
            progress.update(task, total=total, completed=step, status=f"loss {loss:.3f} {last['line']}")

        def on_epoch(s) -> None:  # type: ignore[no-untyped-def]
            last["line"] = f"| last val acc {s.val_accuracy:.4f}"
            progress.update(task, description=f"epoch {s.epoch + 1}", completed=0)
            err.print(
                f"epoch {s.epoch}/{epochs}: train loss {s.train_loss:.4f} acc {s.train_accuracy:.4f} · "
                f"val loss {s.val_loss:.4f} acc {s.val_accuracy:.4f} · {s.seconds:.0f}s"
            )

        history = fit(train_set, val_set, cfg, out_dir, resume=resume, on_epoch=on_epoch, on_batch=on_batch)
    best = max(history, key=lambda s: s.val_accuracy)
    out.print(f"best epoch {best.epoch}: val accuracy {best.val_accuracy:.4f}; checkpoint {out_dir / 'best.pt'}")


@app.command()
def compare(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    arch: Annotated[list[str], typer.Option("--arch", help="Architecture to compare; repeat the option.")],
    runs: Annotated[Path, typer.Option(help="Run folders live in RUNS/<arch>; missing ones are trained.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for comparison.md and comparison.png.")],
    epochs: Annotated[int, typer.Option(min=1, help="Epochs for runs that still need training.")] = 60,
    split: Annotated[Split, typer.Option(help="Split to score every model on.")] = Split.PrivateTest,
    threads: Annotated[int | None, typer.Option(help="Torch CPU threads (default: all cores).")] = None,
) -> None:
    """Train or load several architectures on the same splits and write one comparison table. Needs [train]."""
    try:
        import torch
    except ImportError:
        err.print("error: comparing needs torch: pip install -e '.[train]'")
        raise typer.Exit(EXIT_USAGE) from None
    from moodtune.training.architectures import list_models
    from moodtune.training.compare import compare_architectures, write_comparison
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.train import TrainConfig

    unknown = sorted(set(arch) - set(list_models()))
    if unknown:
        err.print(f"error: unknown architecture(s) {unknown}; choose from {', '.join(list_models())}")
        raise typer.Exit(EXIT_USAGE)
    if threads:
        torch.set_num_threads(threads)
    try:
        train_set, val_set = load_fer2013(data, "Training"), load_fer2013(data, "PublicTest")
        rows = compare_architectures(
            arch, train_set, val_set, load_fer2013(data, split.value), runs, TrainConfig(epochs=epochs)
        )
        command = "moodtune compare " + " ".join(
            [f"--data {data}", *(f"--arch {a}" for a in arch), f"--runs {runs}", f"--out {out_dir}"]
            + [f"--epochs {epochs}", f"--split {split.value}"]
        )
        report = write_comparison(rows, out_dir, command=command, split=split.value)
    except MoodtuneError as exc:
        _fail(exc)
    for row in rows:
        out.print(f"{row.architecture}: accuracy {row.accuracy:.4f}, macro-F1 {row.macro_f1:.4f}")
    out.print(f"wrote {report}")


@app.command("data-report")
def data_report(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for class_distribution.png and samples.png.")],
) -> None:
    """Class distribution per split and a labelled grid of sample faces. Needs the [train] extra.

    The grid shows dataset faces: FER2013 is for research use, so keep samples.png out of public places.
    """
    from moodtune.affect import EMOTIONS
    from moodtune.training.data.fer2013 import FER_SPLITS, load_fer2013
    from moodtune.training.reports import plot_class_distribution, plot_sample_grid

    try:
        splits = {name: load_fer2013(data, name) for name in FER_SPLITS}
        out_dir.mkdir(parents=True, exist_ok=True)
        plot_class_distribution({n: d.labels for n, d in splits.items()}, EMOTIONS, out_dir / "class_distribution.png")
        train_set = splits["Training"]
        plot_sample_grid(train_set.images, train_set.labels, EMOTIONS, out_dir / "samples.png")
    except MoodtuneError as exc:
        _fail(exc)
    out.print(f"wrote {out_dir / 'class_distribution.png'} and {out_dir / 'samples.png'}")


@app.command()
def export(
    checkpoint: Annotated[Path, typer.Option(help="Training checkpoint (best.pt).")],
    out_path: Annotated[Path, typer.Option("--out", help="Target .onnx file; the .json config is written beside it.")],
    data: Annotated[
        Path,
        typer.Option(help="FER2013 CSV: 512 PrivateTest faces check the export, PublicTest faces calibrate the crop."),
    ],
    calibration_faces: Annotated[int, typer.Option(help="PublicTest faces used to calibrate the face crop.")] = 1000,
) -> None:
    """Export a checkpoint to ONNX, verify it against torch, and calibrate its face crop. Needs the [train] extra."""
    from dataclasses import replace

    from moodtune.perception.expression import ExpressionModel
    from moodtune.training.crop_calibration import calibrate_crop
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.export import export_onnx

    try:
        faces = load_fer2013(data, "PrivateTest").images[:512]
        config = export_onnx(checkpoint, out_path, check_images=faces)
        calibration = calibrate_crop(ExpressionModel(out_path), load_fer2013(data, "PublicTest"), n=calibration_faces)
    except MoodtuneError as exc:
        _fail(exc)
    config = replace(
        config,
        crop_scale=calibration["crop_scale"],
        crop_shift=calibration["crop_shift"],
        provenance={
            **config.provenance,
            "crop_calibration": {k: v for k, v in calibration.items() if k != "grid"},
        },
    )
    config.to_json(out_path.with_suffix(".json"))
    out.print(
        f"wrote {out_path} and {out_path.with_suffix('.json').name} ({config.architecture}); integrity check passed; "
        f"crop scale {config.crop_scale} shift {config.crop_shift} (PublicTest scenes: {calibration['accuracy']:.4f})"
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on; 0.0.0.0 lets other devices in.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Run the web app and REST API; open http://HOST:PORT/ in a browser."""
    from moodtune.delivery.api import serve as serve_app

    try:
        serve_app(host, port)
    except MoodtuneError as exc:
        _fail(exc)


@app.command()
def live(
    source: Annotated[str, typer.Option("--source", help="Camera index (0, 1, …) or a video file.")] = "0",
    fps: Annotated[float, typer.Option(min=0.1, max=30, help="Frames analysed per second.")] = 4.0,
    strategy: Annotated[Strategy, typer.Option("--strategy", "-s")] = Strategy.match,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Tracks per playlist.")] = 5,
    seconds: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    model: Annotated[str, typer.Option(help="Expression model name or .onnx path.")] = "compact_cnn",
) -> None:
    """Follow your mood on a webcam or in a video, with a new playlist whenever it changes."""
    from moodtune.delivery.live import run_live

    try:
        events = run_live(source, fps=fps, strategy=strategy.value, k=k, model=model, max_seconds=seconds, console=out)
    except MoodtuneError as exc:
        _fail(exc)
    if not events:
        err.print(f"error: no frames could be read from {source}")
        raise typer.Exit(EXIT_BAD_INPUT)


def main() -> None:
    app()
