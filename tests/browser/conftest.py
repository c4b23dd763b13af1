"""Browser tests: the real app under uvicorn on a loopback port, driven by Playwright in Debian's Chromium.

Skipped where ``/usr/bin/chromium`` or the ``playwright`` package is missing. Playwright's own browser
download is not used. Screenshots of every step go to ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from moodtune.affect import EMOTIONS
from moodtune.delivery.api import Settings, create_app
from moodtune.errors import ModelError
from moodtune.perception.expression import load_expression_model
from moodtune.pipeline import analyze_image

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright import sync_api
except ImportError:  # a skip at conftest import time would be a collection error, so skip per test below
    sync_api = None


def pytest_collection_modifyitems(config, items):
    for item in items:  # the browser tier runs with the slow tests, not in the everyday loop
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)
    if sync_api is None:
        reason = "the playwright Python package is not installed (pip install playwright)"
    elif not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent: apt-get install chromium chromium-driver"
    else:
        return
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.skip(reason=reason))


# --- the server ----------------------------------------------------------------------------------


class _ServerThread:
    """uvicorn serving ``app`` on 127.0.0.1 at a free port, in a daemon thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws_max_size=11 * 1024 * 1024))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> str:
    """Base URL of a running app with its own feedback database."""
    db = tmp_path_factory.mktemp("browser-db") / "moodtune.db"
    with _ServerThread(create_app(Settings(database_url=f"sqlite:///{db}"))) as url:
        yield url


# --- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright():
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def shoot():
    """``shoot(page, "01-name")`` saves a full-page screenshot to artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


# --- faces ---------------------------------------------------------------------------------------


def face_scene(face: np.ndarray) -> np.ndarray:
    """A 48×48 face upscaled 4× (bicubic) in the middle of a 640×480 gray RGB frame."""
    frame = np.full((480, 640), 128, np.uint8)
    frame[144:336, 224:416] = cv2.resize(face, (192, 192), interpolation=cv2.INTER_CUBIC)
    return np.repeat(frame[..., None], 3, axis=2)


@pytest.fixture(scope="session")
def face_scenes(shared_data) -> dict[str, np.ndarray]:
    """One confidently-read happy and one sad FER2013 PrivateTest face, each in a 640×480 scene."""
    try:
        load_expression_model()
    except ModelError as exc:
        pytest.skip(f"the trained expression model is not available: {exc}")
    from moodtune.training.data.fer2013 import load_fer2013

    data = load_fer2013(shared_data / "fer2013" / "fer2013.csv.gz", "PrivateTest")
    scenes = {}
    for emotion in ("happy", "sad"):
        for face in data.images[data.labels == EMOTIONS.index(emotion)][:300]:
            frame = face_scene(face)
            affect = analyze_image(frame).affect
            if affect and affect.emotion == emotion and affect.confidence >= 0.8:
                scenes[emotion] = frame
                break
        else:
            pytest.skip(f"no FER2013 face read confidently as {emotion}")
    return scenes
