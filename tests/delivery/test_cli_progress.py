"""Progress of the long commands: the library reports (done, total), the command draws it on stderr only."""

from __future__ import annotations

import gzip
import importlib
import io
import json
from types import SimpleNamespace

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

import moodtune.training.text.evaluate as text_evaluate
from moodtune.affect import EMOTIONS
from moodtune.delivery.cli import app
from moodtune.music.catalog import Catalog
from moodtune.music.evaluation import EvalSet, evaluate_methods
from moodtune.music.ranking import mood_quadrant
from moodtune.training.data.fer2013 import FaceDataset
from moodtune.training.evaluate import evaluate_model
from moodtune.training.text.data import TextDataset
from moodtune.training.text.evaluate import score_dataset

# The module, not the Typer app that ``moodtune.delivery.cli`` re-exports under the same name.
cli_app = importlib.import_module("moodtune.delivery.cli.app")


class _Calls(list):
    """A progress callback that remembers what it was told."""

    def __call__(self, done: int, total: int) -> None:
        self.append((done, total))


def _assert_climbs_to_the_end(calls: list[tuple[int, int]], total: int) -> None:
    assert calls and all(t == total for _, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and done[-1] == total


class _UniformFaces:
    """Stands in for an ``ExpressionModel``: every face is every emotion alike."""

    labels = EMOTIONS
    config = SimpleNamespace(name="uniform")

    def predict_proba(self, faces: np.ndarray, flip_tta: bool = False) -> np.ndarray:
        return np.full((len(faces), len(EMOTIONS)), 1 / len(EMOTIONS))


class _UniformText:
    """Stands in for a ``TextMoodModel``."""

    def predict_proba(self, text: str) -> np.ndarray:
        return np.full(len(EMOTIONS), 1 / len(EMOTIONS))


def test_evaluate_model_reports_faces_scored_batch_by_batch():
    faces = FaceDataset(np.zeros((10, 48, 48), np.uint8), np.arange(10) % 7, "PrivateTest")
    calls = _Calls()
    evaluate_model(_UniformFaces(), faces, batch_size=4, progress=calls)  # type: ignore[arg-type]
    assert calls == [(4, 10), (8, 10), (10, 10)]


def test_score_dataset_reports_texts_scored(monkeypatch):
    monkeypatch.setattr(text_evaluate, "_PROGRESS_EVERY", 3)
    data = TextDataset("tiny", tuple(f"text {i}" for i in range(8)), np.arange(8) % 7)
    calls = _Calls()
    score_dataset(_UniformText(), data, progress=calls)  # type: ignore[arg-type]
    assert calls == [(3, 8), (6, 8), (8, 8)]


def test_evaluate_methods_reports_each_method_on_each_set():
    va = np.array([[0.8, 0.5], [-0.6, -0.3], [0.1, -0.1], [-0.5, 0.6], [0.4, -0.5], [-0.2, 0.2]])
    catalog = Catalog.from_arrays(
        ids=[f"t{i}" for i in range(len(va))],
        titles=[f"Song {i}" for i in range(len(va))],
        artist_codes=np.arange(len(va)),
        artist_names=[f"Artist {i}" for i in range(len(va))],
        va=va.astype(np.float32),
    )
    tiny = EvalSet("tiny", catalog, mood_quadrant(va), human_labels=False)
    calls = _Calls()
    report = evaluate_methods([tiny, tiny], k=2, progress=calls)
    methods = len(report.sets[0].methods)
    _assert_climbs_to_the_end(calls, 2 * methods)
    assert len(calls) == 2 * methods


@pytest.fixture
def text_data(tmp_path):
    """A tiny dair-ai emotion and GoEmotions test split, as ``evaluate-text --data`` reads them."""
    dair = tmp_path / "dair_emotion"
    dair.mkdir()
    (dair / "test.csv").write_text("text,label\ni am so happy,joy\ni feel sad,sadness\n", encoding="utf-8")
    go = tmp_path / "goemotions"
    go.mkdir()
    (go / "emotions.txt").write_text("joy\nsadness\nneutral\n", encoding="utf-8")
    (go / "ekman_mapping.json").write_text(json.dumps({"joy": ["joy"], "sadness": ["sadness"]}), encoding="utf-8")
    with gzip.open(go / "test.tsv.gz", "wt", encoding="utf-8") as handle:
        handle.write("what a lovely day\t0\tid1\nso lonely tonight\t1\tid2\nthe bus is late\t2\tid3\n")
    return tmp_path


def test_json_stays_clean_while_a_bar_is_drawn(text_data, monkeypatch):
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
    monkeypatch.setattr(cli_app, "err", terminal)  # as if stderr were a terminal: the bar is drawn there
    result = CliRunner().invoke(app, ["evaluate-text", "--data", str(text_data), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["dair"]["n"] == 2 and payload["goemotions"]["n"] == 3
    assert "scoring test" in terminal.file.getvalue()


def test_no_bar_when_stderr_is_not_a_terminal(text_data):
    result = CliRunner().invoke(app, ["evaluate-text", "--data", str(text_data), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    json.loads(result.stdout)
