"""Overload is refused at once (503 busy with Retry-After), never queued without bound; /health stays free."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from moodtune.delivery.api import Settings
from moodtune.delivery.api.admission import AnalysisGate, ServerBusy


def test_the_gate_admits_running_plus_waiting_and_refuses_the_rest_at_once():
    async def scenario() -> list[str]:
        gate = AnalysisGate(running=1, waiting=1)
        release = asyncio.Event()
        events: list[str] = []

        async def analysis(name: str) -> None:
            try:
                async with gate.admit():
                    events.append(f"{name} runs")
                    await release.wait()
            except ServerBusy:
                events.append(f"{name} refused")

        first, second = asyncio.create_task(analysis("a")), asyncio.create_task(analysis("b"))
        await asyncio.sleep(0)
        await analysis("c")  # the slot and the one waiting place are taken: refused without waiting
        assert gate.admitted == 2
        release.set()
        await asyncio.gather(first, second)
        assert gate.admitted == 0
        return events

    # In a thread of its own: a browser test's session may keep an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, scenario()).result() == ["a runs", "c refused", "b runs"]


@pytest.fixture
def blocking_analysis(monkeypatch, photos):
    """Photo analysis that holds its slot until the test releases it."""
    import moodtune.delivery.api.services as services

    started, release = threading.Event(), threading.Event()

    def analyze(image, **options):
        started.set()
        assert release.wait(30)
        return photos.fake_analyze_image(image, **options)

    monkeypatch.setattr(services, "analyze_image", analyze)
    return started, release


def test_an_overloaded_server_answers_503_busy_at_once_and_health_stays_up(
    make_client, fake_model, photos, blocking_analysis
):
    started, release = blocking_analysis
    client = make_client(Settings(max_analyses=1, max_waiting=0))
    upload = {"file": ("a.png", photos.color_photo("happy"), "image/png")}
    first: dict[str, int] = {}
    def post_first() -> None:
        first["status"] = client.post("/api/v1/analyze", files=upload).status_code

    worker = threading.Thread(target=post_first)
    worker.start()
    try:
        assert started.wait(30)
        # The first analysis is still held, so this answer cannot have waited for it.
        refused = client.post("/api/v1/analyze", files=upload)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "busy"
        assert refused.headers["Retry-After"] == "1"
        assert client.get("/api/v1/health").status_code == 200
        with client.websocket_connect("/api/v1/stream") as ws:
            ws.send_bytes(photos.color_photo("sad"))
            reply = ws.receive_json()
            assert reply["type"] == "error" and reply["error"]["code"] == "busy"
    finally:
        release.set()
        worker.join(30)
    assert first["status"] == 200
    assert client.app.state.moodtune.gate.admitted == 0


