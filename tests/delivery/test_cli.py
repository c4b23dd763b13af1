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
