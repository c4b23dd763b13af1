"""``serve(host, port)`` runs the app under uvicorn: a real server process on a loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log_level: str = "warning") -> subprocess.Popen[str]:
    """``serve`` in a child process on a loopback port, returned once ``/health`` answers.

    Its output (stdout and stderr together) is captured as text; ``communicate()`` reads it after stopping.
    """
    code = f"from moodtune.delivery.api import serve; serve('127.0.0.1', {port}, log_level={log_level!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise AssertionError(f"the server exited: {proc.communicate()[0]}") from None
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.2)


def test_serve_answers_on_the_port_and_stops_cleanly(data_dir):
    port = free_port()
    proc = start_server(port)
    try:
        health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health")
        assert health.status_code == 200 and health.json()["catalog_size"] > 0
        page = httpx.get(f"http://127.0.0.1:{port}/")
        assert page.status_code == 200 and "moodtune" in page.text
        assert "server" not in page.headers  # no software banner
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) is not None
    assert (data_dir / "moodtune.db").is_file()
