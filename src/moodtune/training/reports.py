"""Evaluation report folders: metrics.json, confusion_matrix.png, curves.png, report.md.

Needs matplotlib (the ``[train]`` extra); drawing uses the non-interactive Agg backend.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from moodtune.errors import InputError

__all__ = ["plot_class_distribution", "plot_sample_grid", "pyplot", "write_report"]


def pyplot():  # type: ignore[no-untyped-def]
    """matplotlib's pyplot on the Agg backend, or a clear error without the [train] extra."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError("evaluation reports need matplotlib: pip install -e '.[train]'") from None
    return plt


def _plot_confusion(cm: np.ndarray, labels: list[str], path: Path, title: str) -> None:
    plt = pyplot()
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6.4, 5.6), dpi=120)
    image = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, f"{norm[i, j]:.2f}", ha="center", va="center", color="white" if norm[i, j] > 0.5 else "black")
    fig.colorbar(image, ax=ax, fraction=0.046, label="share of the true class")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _plot_curves(history: list[dict], path: Path, title: str) -> None:
    plt = pyplot()
    epochs = [h["epoch"] for h in history]
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    for key, label in (("train_loss", "train"), ("val_loss", "validation")):
        loss_ax.plot(epochs, [h[key] for h in history], label=label)
    for key, label in (("train_accuracy", "train"), ("val_accuracy", "validation")):
        acc_ax.plot(epochs, [h[key] for h in history], label=label)
    loss_ax.set(xlabel="epoch", ylabel="loss", title="loss")
    acc_ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    for ax in (loss_ax, acc_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _fmt(x: float) -> str:
    return "n/a" if isinstance(x, float) and math.isnan(x) else f"{x:.4f}"


def write_report(result: dict, out_dir: str | Path, *, history: list[dict] | None = None) -> Path:
    """Write the report folder for an ``evaluate_model`` result; returns the path of ``report.md``.

    ``history`` is the per-epoch training record (``EpochStats`` dicts); without
    it, ``curves.png`` is left out and the report says so.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    labels = list(result["per_class"])
    name = f"{result['model']} on {result['split']}"
    metrics = {"single_view": {k: v for k, v in result.items() if k != "flip_tta"}, "flip_tta": result["flip_tta"]}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    _plot_confusion(np.array(result["confusion_matrix"]), labels, out / "confusion_matrix.png", name)
    if history:
        _plot_curves(history, out / "curves.png", f"{result['model']}: training curves")

    tta = result["flip_tta"]
    lines = [
        f"# {name}",
        "",
        f"{result['n']} faces. Single view, and with horizontal-flip test-time augmentation (TTA).",
        "",
        "| | accuracy | macro-F1 | macro AUC (one-vs-rest) | log-loss |",
        "| --- | --- | --- | --- | --- |",
        f"| single view | {_fmt(result['accuracy'])} | {_fmt(result['macro_f1'])} | {_fmt(result['macro_auc'])} "
        f"| {_fmt(result['log_loss'])} |",
        f"| flip TTA | {_fmt(tta['accuracy'])} | {_fmt(tta['macro_f1'])} | {_fmt(tta['macro_auc'])} "
        f"| {_fmt(tta['log_loss'])} |",
        "",
        "Per class, single view:",
        "",
        "| class | precision | recall | F1 | specificity | AUC | n |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, m in result["per_class"].items():
        lines.append(
            f"| {label} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | {_fmt(m['f1'])} | "
            f"{_fmt(m['specificity'])} | {_fmt(m['auc'])} | {m['support']} |"
        )
    lines += ["", "![normalised confusion matrix](confusion_matrix.png)", ""]
    if history:
        lines += ["![loss and accuracy per epoch](curves.png)", ""]
    else:
        lines += ["No training history travels with this model, so there are no curves.", ""]
    lines += ["All figures: [metrics.json](metrics.json).", ""]
    report = out / "report.md"
    report.write_text("\n".join(lines))
    return report


def plot_class_distribution(splits: dict[str, np.ndarray], labels: tuple[str, ...], path: str | Path) -> None:
    """Bar chart of class counts per split; ``splits`` maps a split name to its label array."""
    plt = pyplot()
    x = np.arange(len(labels))
    width = 0.8 / max(len(splits), 1)
    fig, ax = plt.subplots(figsize=(9, 4), dpi=120)
    for i, (name, y) in enumerate(splits.items()):
        counts = np.bincount(y, minlength=len(labels))
        bars = ax.bar(x + (i - (len(splits) - 1) / 2) * width, counts, width=width, label=f"{name} ({len(y):,})")
        ax.bar_label(bars, fontsize=6, rotation=90, padding=2)
    ax.set_xticks(x, labels)
    ax.set_ylabel("faces")
    ax.set_title("class distribution")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_sample_grid(
    images: np.ndarray, y: np.ndarray, labels: tuple[str, ...], path: str | Path, *, per_class: int = 8, seed: int = 0
) -> None:
    """A grid with ``per_class`` random faces of each class, one row per class, labelled."""
    plt = pyplot()
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(len(labels), per_class, figsize=(per_class * 0.9, len(labels) * 1.0), dpi=120)
    for row, label in enumerate(labels):
        members = np.flatnonzero(y == row)
        picks = rng.choice(members, min(per_class, len(members)), replace=False)
        for col in range(per_class):
            ax = axes[row, col]
            ax.axis("off")
            if col < len(picks):
                ax.imshow(images[picks[col]], cmap="gray", vmin=0, vmax=255)
        axes[row, 0].set_title(label, fontsize=8, loc="left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
