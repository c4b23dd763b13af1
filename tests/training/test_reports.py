"""Evaluation report folders, from the library and through ``moodtune evaluate --report``."""

import json

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from moodtune.delivery.cli import app
from moodtune.training.metrics import classification_metrics
from moodtune.training.reports import write_report

pytest.importorskip("matplotlib")

LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")


def _result() -> dict:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 7, 300)
    proba = rng.dirichlet(np.ones(7), 300) + np.eye(7)[y]
    proba /= proba.sum(axis=1, keepdims=True)
    result = classification_metrics(y, proba, LABELS)
    return {**result, "flip_tta": classification_metrics(y, proba, LABELS), "model": "m", "split": "PrivateTest"}


def test_report_folder_holds_every_file(tmp_path):
    history = [
        {"epoch": e, "train_loss": 2 / e, "val_loss": 2.2 / e, "train_accuracy": 0.1 * e, "val_accuracy": 0.09 * e}
        for e in range(1, 6)
    ]
    report = write_report(_result(), tmp_path, history=history)
    assert {p.name for p in tmp_path.iterdir()} == {"metrics.json", "confusion_matrix.png", "curves.png", "report.md"}
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert set(metrics) == {"single_view", "flip_tta"}
    assert {"precision", "recall", "f1", "specificity", "auc"} <= set(metrics["single_view"]["per_class"]["happy"])
    for png in ("confusion_matrix.png", "curves.png"):
        assert Image.open(tmp_path / png).size[0] > 300
    text = report.read_text()
    assert "confusion_matrix.png" in text and "curves.png" in text and "flip TTA" in text


def test_without_history_the_report_says_so(tmp_path):
    write_report(_result(), tmp_path)
    assert not (tmp_path / "curves.png").exists()
    assert "no curves" in (tmp_path / "report.md").read_text()


def test_cli_writes_the_report_of_the_shipped_model(tmp_path, monkeypatch):
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(1)
    rows = "".join(f"{i % 7},{' '.join(map(str, rng.integers(0, 256, 2304)))},PrivateTest\n" for i in range(21))
    data = tmp_path / "fer.csv"
    data.write_text("emotion,pixels,Usage\n" + rows)
    result = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--report", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report" / "curves.png").is_file(), "the shipped model carries its training history"


def test_data_plots(tmp_path):
    from moodtune.training.reports import plot_class_distribution, plot_sample_grid

    rng = np.random.default_rng(0)
    y = rng.integers(0, 7, 100)
    plot_class_distribution({"Training": y, "PublicTest": y[:30]}, LABELS, tmp_path / "dist.png")
    plot_sample_grid(rng.integers(0, 256, (100, 48, 48)).astype(np.uint8), y, LABELS, tmp_path / "grid.png")
    assert Image.open(tmp_path / "dist.png").size[0] > 300 and Image.open(tmp_path / "grid.png").size[0] > 300
