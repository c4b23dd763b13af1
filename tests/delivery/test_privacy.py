"""Photos and frames are analysed in memory: nothing lands on disk or in the logs."""

from __future__ import annotations

import base64
import io
import logging
import tempfile

import numpy as np
import pytest
from PIL import Image

from moodtune.delivery.api import Settings


def files_under(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


def noisy_png(level: int, size=(1100, 800)) -> bytes:
    """A PNG over Starlette's 1 MB spooling threshold, whose mean gray the stand-in model reads."""
    rng = np.random.default_rng(0)
    pixels = np.clip(rng.normal(level, 6, (size[1], size[0], 3)), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def assert_no_image_bytes(text: str, data: bytes) -> None:
    for start in (0, len(data) // 3, len(data) // 2):
        chunk = data[start : start + 24]
        assert chunk.hex() not in text
        assert repr(chunk)[2:-1] not in text
        assert base64.b64encode(chunk).decode()[:24] not in text


@pytest.fixture
def spool_dir(tmp_path, monkeypatch):
    """A fresh temporary folder; every temporary file created (even unnamed ones) is listed in it."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        original = getattr(tempfile, name)

        def recording(*args, _original=original, _name=name, **kwargs):
            (path / f"created-by-{_name}").touch()
            return _original(*args, **kwargs)

        monkeypatch.setattr(tempfile, name, recording)
    return path


def test_analysis_writes_nothing_but_the_database_and_logs_no_image_bytes(
    make_client, fake_model, data_dir, spool_dir, caplog
):
    caplog.set_level(logging.DEBUG)
    photo = noisy_png(20 + 30 * 3)  # "happy" for the stand-in model
    assert len(photo) > 1024 * 1024
    client = make_client(Settings(stream_max_fps=1e6))
    response = client.post("/api/v1/analyze", files={"file": ("me.png", photo, "image/png")})
    assert response.status_code == 200 and response.json()["affect"]["emotion"] == "happy"
    client.post("/api/v1/analyze", files={"file": ("bad.jpg", photo[:5000], "image/jpeg")})  # an error path too
    with client.websocket_connect("/api/v1/stream") as ws:
        ws.send_bytes(photo)
        assert ws.receive_json()["type"] == "frame"

    assert files_under(data_dir) == ["moodtune.db"]
    assert files_under(spool_dir) == [], "uploads must not be spooled to temporary files"
    assert_no_image_bytes(caplog.text, photo)


def test_real_analysis_writes_nothing_but_the_database(make_client, data_dir, spool_dir, caplog, fer_faces, photos):
    caplog.set_level(logging.DEBUG)
    photo = photos.encode(fer_faces["happy"][0], ".png")
    client = make_client()
    body = client.post("/api/v1/analyze", files={"file": ("me.png", photo, "image/png")}).json()
    assert body["affect"]["emotion"] == "happy"
    assert files_under(data_dir) == ["moodtune.db"]
    assert files_under(spool_dir) == []
    assert_no_image_bytes(caplog.text, photo)


def test_the_model_runtime_writes_nothing_in_the_home_folder(tmp_path):
    """onnxruntime used to leave a device id and a telemetry database under ~/.cache/Microsoft."""
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    code = (
        "import numpy as np\n"
        "from moodtune.perception.expression import load_expression_model\n"
        "print(load_expression_model().predict_proba(np.zeros((1, 48, 48), np.uint8)).shape)\n"
    )
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert files_under(home) == []
