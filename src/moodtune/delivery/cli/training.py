"""Research commands: train, compare architectures, describe the data, export to ONNX. Need [train]."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from moodtune.errors import InputError, MoodtuneError

from .app import (
    ClassBalance,
    FaceRegion,
    FerPlusTargets,
    Schedule,
    Split,
    app,
    err,
    fail,
    out,
    progress_bars,
)


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
    stop_after: Annotated[
        int | None, typer.Option(min=1, help="End after this epoch, keeping the --epochs schedule (--resume goes on).")
    ] = None,
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
    class_balance: Annotated[
        ClassBalance, typer.Option(help="Class imbalance: none, inverse-frequency loss weights, or a balanced sampler.")
    ] = ClassBalance.none,
    patience: Annotated[int | None, typer.Option(help="Stop after this many epochs without a better val accuracy.")] = (
        None
    ),
    init: Annotated[Path | None, typer.Option(help="Start from this checkpoint's weights (same architecture).")] = None,
    teacher: Annotated[
        list[Path] | None,
        typer.Option(help="Distil from this checkpoint (repeat for an ensemble): mix its soft predictions in."),
    ] = None,
    distill_weight: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of the teacher in the targets.")] = 0.5,
    temperature: Annotated[float, typer.Option(min=0.1, help="Softmax temperature of the teacher.")] = 2.0,
    region: Annotated[
        FaceRegion, typer.Option(help="Face region the model sees: full, or upper (brows and eyes only).")
    ] = FaceRegion.full,
) -> None:
    """Train an expression model on Training, selecting the best epoch on PublicTest. Needs torch (the train extra)."""
    try:
        import torch
    except ImportError:
        fail(InputError("training needs torch: pip install -e '.[train]'"))
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from moodtune.training.architectures import list_models
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.data.ferplus import load_ferplus
    from moodtune.training.train import TrainConfig, fit

    if arch not in list_models():
        fail(InputError(f"unknown architecture {arch!r}; choose from {', '.join(list_models())}"))
    if threads:
        torch.set_num_threads(threads)
    try:
        if ferplus is None:
            train_set, val_set = load_fer2013(data, "Training"), load_fer2013(data, "PublicTest")
        else:
            train_set = load_ferplus(data, ferplus, "Training", mode=targets.value)
            val_set = load_ferplus(data, ferplus, "PublicTest")
    except MoodtuneError as exc:
        fail(exc)
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
        class_balance=class_balance.value,
        patience=patience,
        init_checkpoint=None if init is None else str(init),
        teacher_checkpoints=tuple(str(t) for t in teacher or ()),
        distill_weight=distill_weight,
        distill_temperature=temperature,
        face_region=region.value,
    )
    for checkpoint in [init, *(teacher or ())]:
        if checkpoint is not None and not checkpoint.is_file():
            fail(InputError(f"no checkpoint at {checkpoint}"))
    with Progress(
        TextColumn("{task.description}", style="bold", markup=False),
        BarColumn(),
        TextColumn("{task.fields[status]}", markup=False),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,  # the epoch lines below still print
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

        history = fit(
            train_set, val_set, cfg, out_dir, resume=resume, stop_after=stop_after, on_epoch=on_epoch, on_batch=on_batch
        )
    best = max(history, key=lambda s: s.val_accuracy)
    out.print(f"best epoch {best.epoch}: val accuracy {best.val_accuracy:.4f}; checkpoint {out_dir / 'best.pt'}")


@app.command()
def compare(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for comparison.md and comparison.png.")],
    arch: Annotated[
        list[str] | None, typer.Option("--arch", help="Architecture to train (or load) in RUNS/<arch>; repeatable.")
    ] = None,
    runs: Annotated[Path, typer.Option(help="Where the --arch runs live; missing ones are trained.")] = Path("runs"),
    run: Annotated[
        list[Path] | None, typer.Option("--run", help="A finished run folder to score as it is; repeatable.")
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, help="Epochs for runs that still need training.")] = 60,
    split: Annotated[Split, typer.Option(help="Split to score every model on.")] = Split.PrivateTest,
    limit: Annotated[int | None, typer.Option(help="Train the --arch runs on the first N training faces only.")] = None,
    threads: Annotated[int | None, typer.Option(help="Torch CPU threads (default: all cores).")] = None,
) -> None:
    """Compare models on the same splits in one table: architectures trained alike, or finished runs (needs torch)."""
    try:
        import torch
    except ImportError:
        fail(InputError("comparing needs torch: pip install -e '.[train]'"))
    from moodtune.training.architectures import list_models
    from moodtune.training.compare import compare_architectures, score_run, write_comparison
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.train import TrainConfig

    arch, run = arch or [], run or []
    if not arch and not run:
        fail(InputError("name at least one --arch or --run"))
    missing = [str(r) for r in run if not (r / "best.pt").is_file() or not (r / "history.json").is_file()]
    if missing:
        fail(InputError(f"not a finished run folder (best.pt and history.json): {', '.join(missing)}"))
    unknown = sorted(set(arch) - set(list_models()))
    if unknown:
        fail(InputError(f"unknown architecture(s) {unknown}; choose from {', '.join(list_models())}"))
    if threads:
        torch.set_num_threads(threads)
    try:
        test_set = load_fer2013(data, split.value)
        rows = []
        if arch:
            train_set, val_set = load_fer2013(data, "Training"), load_fer2013(data, "PublicTest")
            if limit:
                train_set = train_set.subset(slice(0, limit))
            with progress_bars() as bar:
                rows = compare_architectures(
                    arch, train_set, val_set, test_set, runs, TrainConfig(epochs=epochs), progress=bar("epochs")
                )
        rows += [score_run(r, test_set) for r in run]
        trained = [*(f"--arch {a}" for a in arch), f"--runs {runs}", f"--epochs {epochs}"] if arch else []
        trained += [f"--limit {limit}"] if arch and limit else []
        command = "moodtune compare " + " ".join(
            [f"--data {data}", *trained, *(f"--run {r}" for r in run), f"--split {split.value}", f"--out {out_dir}"]
        )
        report = write_comparison(rows, out_dir, command=command, split=split.value)
    except MoodtuneError as exc:
        fail(exc)
    for row in rows:
        out.print(f"{row.run} ({row.architecture}): accuracy {row.accuracy:.4f}, macro-F1 {row.macro_f1:.4f}")
    out.print(f"wrote {report}")


@app.command("data-report")
def data_report(
    data: Annotated[Path, typer.Option(help="FER2013 CSV (.csv or .csv.gz).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for class_distribution.png and samples.png.")],
) -> None:
    """Class distribution per split and a labelled grid of sample faces. Needs torch (the train extra).

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
        fail(exc)
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
    """Export a checkpoint to ONNX, verify it against torch, calibrate its face crop and confidences (needs torch)."""
    from dataclasses import replace

    from moodtune.perception.expression import ExpressionModel
    from moodtune.training.crop_calibration import calibrate_crop
    from moodtune.training.data.fer2013 import load_fer2013
    from moodtune.training.export import export_onnx
    from moodtune.training.temperature import fit_temperature, log_loss_at

    try:
        faces = load_fer2013(data, "PrivateTest").images[:512]
        config = export_onnx(checkpoint, out_path, check_images=faces)
        public = load_fer2013(data, "PublicTest")
        exported = ExpressionModel(out_path)
        calibration = calibrate_crop(exported, public, n=calibration_faces)
        logits = exported.predict_logits(public.images)
    except MoodtuneError as exc:
        fail(exc)
    temperature = fit_temperature(logits, public.labels)
    config = replace(
        config,
        crop_scale=calibration["crop_scale"],
        crop_shift=calibration["crop_shift"],
        temperature=temperature,
        provenance={
            **config.provenance,
            "crop_calibration": {k: v for k, v in calibration.items() if k != "grid"},
            "temperature_calibration": {
                "split": "PublicTest",
                "log_loss_at_1": log_loss_at(logits, public.labels, 1.0),
                "log_loss": log_loss_at(logits, public.labels, temperature),
            },
        },
    )
    config.to_json(out_path.with_suffix(".json"))
    out.print(
        f"wrote {out_path} and {out_path.with_suffix('.json').name} ({config.architecture}); integrity check passed; "
        f"crop scale {config.crop_scale} shift {config.crop_shift} (PublicTest scenes: {calibration['accuracy']:.4f}); "
        f"temperature {temperature:.3f}"
    )
