"""``moodtune audio-mood``: fit writes a loadable model, evaluate prints the figures, errors map to exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from moodtune.delivery.cli import app
from moodtune.music.audio_mood import AudioMoodModel
from moodtune.music.track import MOODS

runner = CliRunner()

HEADER = ("name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
          "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood").split(",")  # fmt: skip


def _moods_file(path: Path, per_class: int = 12) -> Path:
    """A small data_moods-style file: energy and acousticness separate the moods, with noise."""
    rng = np.random.default_rng(0)
    centres = {
        "Happy": (0.75, 0.15, 0.6),
        "Sad": (0.4, 0.6, 0.3),
        "Energetic": (0.9, 0.03, 0.45),
        "Calm": (0.15, 0.9, 0.15),
    }
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for mood, (energy, acoustic, valence) in centres.items():
            for i in range(per_class):
                e, a, v = np.clip(rng.normal((energy, acoustic, valence), 0.07), 0, 1)
                writer.writerow([f"{mood} {i}", "A", f"Artist {i}", f"{mood}{i:018d}", "2001", 50, 200000,
                                 round(rng.uniform(0.3, 0.8), 3), a, e, round(rng.uniform(0, 0.3), 3), 0.1, v,
                                 -20 + 15 * e, 0.05, round(rng.uniform(80, 160), 1), int(rng.integers(0, 12)), 4,
                                 mood])  # fmt: skip
    return path


def test_fit_writes_a_model_with_its_figures(tmp_path):
    pytest.importorskip("sklearn")
    data = _moods_file(tmp_path / "data_moods.csv")
    result = runner.invoke(app, ["audio-mood", "fit", "--data", str(data), "--out", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    model = AudioMoodModel.load(tmp_path / "m.json")
    assert model.classes_ == MOODS and model.provenance_["data"]["file"] == "data_moods.csv"
    assert set(model.provenance_["cross_validation"]["methods"]) == {"audio_mood", "knn_k5", "knn_tuned"}
    assert "accuracy" in result.stdout


def test_evaluate_prints_one_json_object(tmp_path):
    pytest.importorskip("sklearn")
    data = _moods_file(tmp_path / "data_moods.csv")
    result = runner.invoke(app, ["audio-mood", "evaluate", "--data", str(data), "--folds", "4", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["folds"] == 4 and payload["data"]["rows"] == 48
    assert {"audio_mood", "knn_k5", "knn_tuned"} <= set(payload["methods"]) and "knn_k5" in payload["paired"]
    table = runner.invoke(app, ["audio-mood", "evaluate", "--data", str(data), "--folds", "4"])
    assert table.exit_code == 0 and "audio_mood" in table.stdout and "kNN sweep" in table.stdout


def test_bad_data_is_exit_code_3(tmp_path):
    (tmp_path / "data_moods.csv").write_text("name,artist\nA,B\n", encoding="utf-8")
    for command in (["evaluate", "--data", str(tmp_path / "data_moods.csv")],
                    ["fit", "--data", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "m.json")],
                    ["check-va", "--data", str(tmp_path)]):  # fmt: skip
        result = runner.invoke(app, ["audio-mood", *command])
        assert result.exit_code == 3, result.output
        assert "error" in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_check_va_prints_the_agreement_and_where_each_mood_lands(shared_data):
    music = shared_data / "music"
    result = runner.invoke(app, ["audio-mood", "check-va", "--data", str(music)])
    assert result.exit_code == 0, result.output
    assert "(ceiling)" in result.stdout and "Calm" in result.stdout and "Spotify scale:" in result.stdout
    payload = json.loads(runner.invoke(app, ["audio-mood", "check-va", "--data", str(music), "--json"]).stdout)
    assert set(payload["variants"]) == set(payload["starter"]) == set(payload["moods"]["variants"])
    assert set(payload["moods"]["variants"]["shipped"]) == set(MOODS)
