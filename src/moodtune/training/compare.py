"""Compare architectures trained on the same splits: one table (markdown) and one bar chart (PNG).

Each architecture has a run folder (``<runs>/<name>/``, as ``fit`` writes it);
missing or unfinished runs are trained (or resumed) first, finished ones are
loaded. Every model is scored on the same test split, single view and with
horizontal-flip TTA, with the torch checkpoint that the ONNX export would copy.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.perception.expression import face_region, softmax

from .data.fer2013 import FaceDataset
from .metrics import classification_metrics
from .reports import pyplot
from .train import EpochStats, TrainConfig, fit, load_checkpoint, predict_logits

__all__ = ["ComparisonRow", "compare_architectures", "score_run", "write_comparison"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComparisonRow:
    run: str  # the run folder's name
    architecture: str
    setup: str  # the training choices that differ from TrainConfig's defaults, e.g. "class_balance=loss"
    parameters: int
    epochs: int
    best_epoch: int
    train_minutes: float
    val_accuracy: float
    accuracy: float
    macro_f1: float
    accuracy_tta: float
    macro_f1_tta: float
    worst_class: str  # the class with the lowest recall, and that recall (single view)
    worst_recall: float


# Settings that every run has its own value of, that only locate files, or that the distillation
# phrase states: not "choices".
_NOT_A_CHOICE = {
    "architecture",
    "epochs",
    "mean",
    "std",
    "init_checkpoint",
    "teacher_checkpoints",
    "distill_weight",
    "distill_temperature",
}


def _setup(cfg: dict) -> str:
    defaults = asdict(TrainConfig())
    choices = [f"{k}={v}" for k, v in cfg.items() if k not in _NOT_A_CHOICE and k in defaults and v != defaults[k]]
    if cfg.get("init_checkpoint"):
        choices.append("warm start")
    # Runs from before ensembles name their single teacher under "teacher_checkpoint".
    teachers = cfg.get("teacher_checkpoints") or ([cfg["teacher_checkpoint"]] if cfg.get("teacher_checkpoint") else [])
    if teachers:
        source = "" if len(teachers) == 1 else f" from {len(teachers)} teachers"
        choices.append(f"distilled{source} (weight {cfg['distill_weight']}, T {cfg['distill_temperature']})")
    return ", ".join(choices) or "defaults"


def score_run(run: Path, test: FaceDataset) -> ComparisonRow:
    """Score a finished run folder's ``best.pt`` on ``test``, single view and with flip TTA."""
    model, ckpt = load_checkpoint(run / "best.pt")
    cfg = ckpt["config"]
    history = json.loads((run / "history.json").read_text())
    faces = face_region(test.images, cfg.get("face_region", "full"))
    logits = predict_logits(model, faces, cfg["mean"], cfg["std"])
    mirrored = predict_logits(model, np.ascontiguousarray(faces[:, :, ::-1]), cfg["mean"], cfg["std"])
    single = classification_metrics(test.labels, softmax(logits), EMOTIONS)
    tta = classification_metrics(test.labels, softmax((logits + mirrored) / 2), EMOTIONS)
    recalls = {name: single["per_class"][name]["recall"] for name in EMOTIONS}
    worst = min(recalls, key=recalls.__getitem__)
    return ComparisonRow(
        run=run.name,
        architecture=cfg["architecture"],
        setup=_setup(cfg),
        parameters=sum(p.numel() for p in model.parameters()),
        epochs=len(history),
        best_epoch=int(ckpt["epoch"]),
        train_minutes=sum(h["seconds"] for h in history) / 60,
        val_accuracy=float(ckpt["val_accuracy"]),
        accuracy=single["accuracy"],
        macro_f1=single["macro_f1"],
        accuracy_tta=tta["accuracy"],
        macro_f1_tta=tta["macro_f1"],
        worst_class=worst,
        worst_recall=recalls[worst],
    )


def _epochs_after(
    before: int, total: int, progress: Callable[[int, int], None] | None
) -> Callable[[EpochStats], None] | None:
    """``fit``'s per-epoch callback reporting to ``progress`` the ``before`` epochs of earlier runs plus this one's."""
    if progress is None:
        return None
    return lambda stats: progress(before + stats.epoch, total)


def compare_architectures(
    architectures: list[str],
    train: FaceDataset,
    val: FaceDataset,
    test: FaceDataset,
    runs_dir: str | Path,
    base_config: TrainConfig,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[ComparisonRow]:
    """Train (or resume, or load) each architecture with ``base_config`` and score it on ``test``.

    ``progress`` is called with (epochs done, epochs of every run) after each epoch and each scored run;
    a run found finished counts all its epochs at once.
    """
    total = len(architectures) * base_config.epochs
    rows = []
    for index, name in enumerate(architectures):
        before = index * base_config.epochs
        run = Path(runs_dir) / name
        history_file = run / "history.json"
        done = history_file.is_file() and len(json.loads(history_file.read_text())) >= base_config.epochs
        if not done:
            log.info("training %s in %s", name, run)
            cfg = TrainConfig(**{**base_config.__dict__, "architecture": name})
            fit(train, val, cfg, run, resume=True, on_epoch=_epochs_after(before, total, progress))
        rows.append(score_run(run, test))
        if progress is not None:
            progress(before + base_config.epochs, total)
    return rows


def write_comparison(rows: list[ComparisonRow], out_dir: str | Path, *, command: str, split: str) -> Path:
    """Write ``comparison.md`` (with the command that made it) and ``comparison.png``; returns the .md path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Model comparison",
        "",
        f"Trained on FER2013 Training, best epoch selected on PublicTest, scored on {split} "
        "(single view, and with horizontal-flip TTA). Training minutes are wall-clock on the machine that trained.",
        "",
        "```bash",
        command,
        "```",
        "",
        "| run | architecture | setup | parameters | epochs (best) | training minutes | PublicTest acc. | accuracy "
        "| macro-F1 | accuracy, flip TTA | macro-F1, flip TTA | lowest recall |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in sorted(rows, key=lambda r: -r.accuracy):
        lines.append(
            f"| {r.run} | {r.architecture} | {r.setup} | {r.parameters / 1e6:.2f} M | {r.epochs} ({r.best_epoch}) "
            f"| {r.train_minutes:.1f} | {r.val_accuracy:.4f} | {r.accuracy:.4f} | {r.macro_f1:.4f} "
            f"| {r.accuracy_tta:.4f} | {r.macro_f1_tta:.4f} | {r.worst_class} {r.worst_recall:.3f} |"
        )
    lines += ["", "![accuracy and macro-F1 per architecture](comparison.png)", ""]
    (out / "comparison.md").write_text("\n".join(lines))

    plt = pyplot()
    names = [r.run for r in rows]
    x = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(1.8 * len(rows) + 3, 4), dpi=120)
    for offset, (label, values) in zip(
        (-0.3, -0.1, 0.1, 0.3),
        (
            ("accuracy", [r.accuracy for r in rows]),
            ("macro-F1", [r.macro_f1 for r in rows]),
            ("accuracy, flip TTA", [r.accuracy_tta for r in rows]),
            ("macro-F1, flip TTA", [r.macro_f1_tta for r in rows]),
        ),
        strict=True,
    ):
        bars = ax.bar(x + offset, values, width=0.2, label=label)
        ax.bar_label(bars, fmt="%.3f", fontsize=7, rotation=90, padding=2)
    ax.set_xticks(x, names)
    ax.set_ylim(0, 1)
    ax.set_ylabel(split)
    ax.legend(loc="upper center", ncols=4, fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "comparison.png")
    plt.close(fig)
    return out / "comparison.md"
