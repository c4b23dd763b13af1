"""Acknowledged feedback survives the server being killed (SIGKILL) mid-stream: real server, real database."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx

from moodtune.music.catalog import starter_catalog

from .test_serve import free_port, start_server

#: Posts per server life, so all rounds together stay within one page (500) of the listener's history.
PER_ROUND = 150


def _post_until_stopped(port: int, tracks: list[str], stop: threading.Event, acknowledged: list[int]) -> None:
    """Like tracks one after another; the id of every event the server acknowledged goes to ``acknowledged``."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        for i in range(PER_ROUND):
            if stop.is_set():
                return
            body = {"user_id": "durable", "track_id": tracks[i % len(tracks)], "action": "like"}
            try:
                response = client.post("/api/v1/feedback", json=body)
            except httpx.TransportError:
                return  # the server died under this request: it was never acknowledged
            if response.status_code in (200, 201):
                acknowledged.append(response.json()["id"])


def test_every_acknowledged_event_survives_a_kill_9(data_dir):
    tracks = [t.id for t in starter_catalog().tracks[:50]]
    port = free_port()
    acknowledged: list[int] = []
    for _round in range(3):
        proc = start_server(port)
        stop = threading.Event()

        writer = threading.Thread(target=_post_until_stopped, args=(port, tracks, stop, acknowledged))
        writer.start()
        before = len(acknowledged)
        deadline = time.monotonic() + 60
        while len(acknowledged) < before + 40:  # kill it while writes are flowing
            assert time.monotonic() < deadline, "feedback was not being acknowledged"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
        stop.set()
        writer.join(30)
    proc = start_server(port)
    try:
        stored = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/feedback", params={"user_id": "durable", "limit": 500}, timeout=10
        ).json()["events"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert len(acknowledged) >= 120
    assert set(acknowledged) <= {event["id"] for event in stored}
