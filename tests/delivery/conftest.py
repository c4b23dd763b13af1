"""Fixtures for the web app, stream and live tests.

Two kinds of tests use them:

* route tests, where the expression model is not the point: ``fake_model`` replaces
  photo analysis with a stand-in that reads the emotion from a flat colour
  (``color_photo("sad")``), so they run without the trained model;
* end-to-end tests on the real model and real FER2013 faces (``fer_faces``), skipped
  where the model or the shared data is missing.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from moodtune.affect import EMOTIONS, AffectState
from moodtune.delivery.api import Settings, create_app
from moodtune.errors import ModelError
from moodtune.perception.expression import load_expression_model
from moodtune.perception.faces import Face
from moodtune.perception.images import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, decode_image
from moodtune.pipeline import FaceReading, ImageAnalysis, analyze_image

# --- photos ------------------------------------------------------------------------------------

_NO_FACE = 250
FAKE_BOX = (200, 150, 160, 160)


def _level(emotion: str) -> int:
    return 20 + 30 * EMOTIONS.index(emotion)


def color_photo(emotion: str | None, size: tuple[int, int] = (64, 48), fmt: str = "PNG") -> bytes:
    """A flat image that ``fake_model`` reads as ``emotion`` (None: no face)."""
    level = _NO_FACE if emotion is None else _level(emotion)
    buffer = io.BytesIO()
    Image.new("RGB", size, (level, level, level)).save(buffer, fmt)
    return buffer.getvalue()


def encode(rgb: np.ndarray, fmt: str = ".jpg") -> bytes:
    ok, data = cv2.imencode(fmt, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    assert ok
    return data.tobytes()


def scene(face: np.ndarray, size: tuple[int, int] = (640, 480), scale: int = 4) -> np.ndarray:
    """A 48×48 FER face upscaled ``scale``× (bicubic) in the middle of a gray RGB frame."""
    width, height = size
    side = face.shape[0] * scale
    frame = np.full((height, width), 128, np.uint8)
    big = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC)
    y, x = (height - side) // 2, (width - side) // 2
    frame[y : y + side, x : x + side] = big
    return np.repeat(frame[..., None], 3, axis=2)


# --- the stand-in model ------------------------------------------------------------------------


def fake_analyze_image(
    image, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS, **_: object
) -> ImageAnalysis:
    """Stand-in for ``analyze_image``: the mean gray level of the picture names the emotion.

    Like the real one it takes encoded bytes and enforces the limits (the API hands it the upload).
    """
    rgb = decode_image(image, max_bytes=max_bytes, max_pixels=max_pixels)
    level = float(rgb.mean())
    size = (int(rgb.shape[1]), int(rgb.shape[0]))
    if level > _NO_FACE - 10:
        return ImageAnalysis((), None, size)
    index = int(round((level - 20) / 30))
    p = np.full(len(EMOTIONS), 0.1 / (len(EMOTIONS) - 1))
    p[index] = 0.9
    affect = AffectState.from_probabilities(p)
    return ImageAnalysis((FaceReading(Face(FAKE_BOX, 0.97), affect),), affect, size)


@pytest.fixture(scope="session")
def photos() -> SimpleNamespace:
    """The helpers above, for test modules (which cannot import conftest)."""
    return SimpleNamespace(
        color_photo=color_photo,
        encode=encode,
        scene=scene,
        fake_box=FAKE_BOX,
        level=_level,
        fake_analyze_image=fake_analyze_image,
    )


@pytest.fixture
def fake_model(monkeypatch):
    """Photo analysis without the trained model (see ``fake_analyze_image``)."""
    import moodtune.delivery.api.app as app_module
    import moodtune.delivery.api.services as services

    monkeypatch.setattr(services, "analyze_image", fake_analyze_image)
    monkeypatch.setattr(app_module, "load_expression_model", lambda name: None)
    monkeypatch.setattr(app_module, "get_detector", lambda name: None)


# --- the app -----------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty ``MOODTUNE_DATA_DIR``, so the default SQLite database lands in a temporary folder."""
    path = tmp_path / "data"
    monkeypatch.setenv("MOODTUNE_DATA_DIR", str(path))
    monkeypatch.delenv("MOODTUNE_DATABASE_URL", raising=False)
    return path


@pytest.fixture
def make_client(data_dir, monkeypatch):
    """``make_client(settings=None, catalog=None)`` → a started ``TestClient``; all are closed afterwards."""
    clients: list[TestClient] = []

    # TestClient sends "Host: testserver"; the app answers only to the host names it is told.
    monkeypatch.setenv("MOODTUNE_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

    def make(settings: Settings | None = None, **kwargs) -> TestClient:
        client = TestClient(create_app(settings or Settings(), **kwargs), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client, fake_model):
    return make_client()


# --- the real model on real faces --------------------------------------------------------------


@pytest.fixture(scope="session")
def real_model():
    """Skip unless the trained expression model ships in the package."""
    try:
        load_expression_model()
    except ModelError as exc:
        pytest.skip(f"the trained expression model is not available: {exc}")


@pytest.fixture(scope="session")
def fer_faces(shared_data, real_model) -> dict[str, list[np.ndarray]]:
    """Up to 4 FER2013 PrivateTest faces per emotion (happy, sad) that the real model reads
    correctly and confidently (>= 0.7) once placed in a 640×480 scene, as scenes (RGB)."""
    from moodtune.training.data.fer2013 import load_fer2013

    data = load_fer2013(shared_data / "fer2013" / "fer2013.csv.gz", "PrivateTest")
    picked: dict[str, list[np.ndarray]] = {}
    for emotion in ("happy", "sad"):
        found: list[np.ndarray] = []
        for face in data.images[data.labels == EMOTIONS.index(emotion)][:300]:
            frame = scene(face)
            analysis = analyze_image(frame)
            if analysis.affect and analysis.affect.emotion == emotion and analysis.affect.confidence >= 0.7:
                found.append(frame)
                if len(found) == 4:
                    break
        picked[emotion] = found
    if len(picked["happy"]) < 2 or len(picked["sad"]) < 2:
        pytest.skip("the model reads too few FER faces confidently to build the end-to-end scenes")
    return picked
