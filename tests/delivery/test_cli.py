"""The ``moodtune`` command's contract: JSON shape, exit codes, bad inputs."""

import json

import cv2
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from moodtune.affect import EMOTIONS
from moodtune.delivery.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_mood_json_has_the_documented_shape():
    result = _run("recommend", "--mood", "sad", "--json", "-k", "5")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["faces"] == []
    assert set(payload["affect"]) >= {"emotion", "confidence", "probabilities", "valence", "arousal"}
    assert list(payload["affect"]["probabilities"]) == list(EMOTIONS)
    assert len(payload["tracks"]) == 5
    for track in payload["tracks"]:
        assert {"title", "artist", "genres", "valence", "arousal", "score", "reason", "links"} <= set(track)
        assert track["reason"] and set(track["links"]) >= {"spotify", "youtube"}


def test_human_output_lists_tracks():
    result = _run("recommend", "--mood", "happy", "--strategy", "calm", "-k", "3")
    assert result.exit_code == 0
    assert "mood: happy" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("recommend",),  # neither --image nor --mood
        ("recommend", "--mood", "happy", "--image", "x.jpg"),
        ("recommend", "--mood", "melancholy"),
        ("recommend", "--mood", "sad", "--strategy", "sideways"),
        ("recommend", "--mood", "sad", "-k", "0"),
        ("recommend", "--mood", "sad", "--annotate", "out.png"),
        ("frobnicate",),
    ],
)
def test_wrong_usage_exits_2(args):
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def _bad_files(tmp_path):
    text = tmp_path / "notes.jpg"
    text.write_text("this is not a photo\n")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    ok = tmp_path / "ok.jpg"
    Image.fromarray(np.full((200, 200, 3), 128, np.uint8)).save(ok, quality=95)
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(ok.read_bytes()[:300])
    tiny = tmp_path / "tiny.png"
    Image.fromarray(np.zeros((1, 1, 3), np.uint8)).save(tiny)
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((480, 640, 3), 200, np.uint8))
    return {
        "text": text,
        "empty": empty,
        "truncated": truncated,
        "tiny": tiny,
        "no face": blank,
        "missing": tmp_path / "missing.jpg",
    }


@pytest.mark.parametrize("case", ["text", "empty", "truncated", "tiny", "no face", "missing"])
def test_bad_input_file_exits_3_with_a_message(tmp_path, case):
    path = _bad_files(tmp_path)[case]
    result = _run("recommend", "--image", str(path), "--json")
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    bomb = tmp_path / "bomb.png"
    Image.new("1", (30000, 30000)).save(bomb, optimize=True)  # ~100 KB on disk, 900 MP decoded
    result = _run("recommend", "--image", str(bomb))
    assert result.exit_code == 3
    assert "pixels" in result.stderr


# --- text ------------------------------------------------------------------------------------------


def test_text_alone_recommends_with_a_text_source():
    result = _run("recommend", "--text", "I am so happy today, everything is wonderful!", "--json", "-k", "3")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["faces"] == [] and payload["affect"]["emotion"] == "happy" and len(payload["tracks"]) == 3
    assert [s["source"] for s in payload["affect"]["sources"]] == ["text"]
    assert payload["affect"]["sources"][0]["weight"] == 1.0
    assert set(payload["affect"]["sources"][0]["probabilities"]) == set(EMOTIONS)
    assert payload["text"]["status"] == "ok" and payload["text"]["truncated"] is False


def test_text_with_a_photo_fuses_face_and_text(tmp_path, photos, monkeypatch):
    import moodtune.pipeline

    monkeypatch.setattr(moodtune.pipeline, "analyze_image", photos.fake_analyze_image)
    photo = tmp_path / "angry.png"
    photo.write_bytes(photos.color_photo("angry"))
    result = _run("recommend", "--image", str(photo), "--text", "i feel so sad and lonely", "--json")
    assert result.exit_code == 0, result.output
    sources = {s["source"]: s for s in json.loads(result.stdout)["affect"]["sources"]}
    assert set(sources) == {"face", "text"}
    assert sources["face"]["weight"] + sources["text"]["weight"] == pytest.approx(1.0, abs=1e-3)
    assert max(sources["face"]["probabilities"], key=sources["face"]["probabilities"].get) == "angry"
    human = _run("recommend", "--image", str(photo), "--text", "i feel so sad and lonely")
    assert human.exit_code == 0 and "sources: face" in human.stdout and "text" in human.stdout


def test_a_picked_mood_overrides_the_text():
    result = _run("recommend", "--text", "I am so happy today", "--mood", "sad", "--json")
    assert result.exit_code == 0, result.output
    affect = json.loads(result.stdout)["affect"]
    assert affect["emotion"] == "sad"
    assert [(s["source"], s["weight"]) for s in affect["sources"]] == [("pick", 1.0), ("text", 0.0)]


@pytest.mark.parametrize(
    ("text", "word"), [("   ", "no words"), ("?!?!", "no words"), ("Estoy muy triste hoy", "English")]
)
def test_text_without_a_readable_mood_exits_3(text, word):
    result = _run("recommend", "--text", text, "--json")
    assert result.exit_code == 3, result.output
    assert result.stdout == "" and word in result.stderr and "Traceback" not in result.stderr


def test_evaluate_text_json_reports_both_test_sets(shared_data):
    root = shared_data / "text"
    if not (root / "goemotions" / "test.tsv.gz").is_file():
        pytest.skip("text data not found")
    result = _run("evaluate-text", "--data", str(root), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    for name in ("dair", "goemotions"):
        assert {"accuracy", "macro_f1", "confusion_matrix", "per_class", "n"} <= set(payload[name])


def test_evaluate_text_with_a_missing_folder_exits_3(tmp_path):
    result = _run("evaluate-text", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 3 and "not found" in result.stderr
