"""Host names, origins, access logs and the connection cap of the real server."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.websockets import WebSocketDisconnect

from moodtune.delivery.api import Settings, settings_for_host

from .test_serve import free_port, start_server


@pytest.fixture
def client(make_client):
    return make_client()


def test_other_host_names_are_refused(client):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends ``Host: evil.example``."""
    assert client.get("/api/v1/health", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/health", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/api/v1/health").status_code == 200  # the test client's own name, allowed by the fixture


def test_a_trailing_slash_is_not_redirected_anywhere(client):
    response = client.get("/api/v1/health/", headers={"Host": "localhost"}, follow_redirects=False)
    assert response.status_code == 404 and "location" not in response.headers


def test_by_default_only_loopback_names_are_served(monkeypatch):
    monkeypatch.delenv("MOODTUNE_ALLOWED_HOSTS", raising=False)
    assert Settings().allowed_hosts == ("localhost", "127.0.0.1", "::1")
    assert Settings(allowed_hosts="Music.Example, *.lan").allowed_hosts == ("music.example", "*.lan")


def test_serving_on_a_named_interface_answers_to_that_name():
    settings = Settings(allowed_hosts=("localhost",))
    assert settings_for_host(settings, "192.168.1.20").allowed_hosts == ("localhost", "192.168.1.20")
    assert settings_for_host(settings, "0.0.0.0") is settings  # every interface: names are the operator's call
    assert settings_for_host(settings, "localhost") is settings


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "file://", "http://testserver.evil.example"])
def test_the_stream_refuses_pages_from_elsewhere(client, origin):
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/api/v1/stream", headers={"Origin": origin}):
            pass
    assert refused.value.code == 1008


@pytest.mark.parametrize("headers", [{"Origin": "http://testserver"}, {}], ids=["own-page", "no-browser"])
def test_the_stream_serves_its_own_page_and_non_browser_clients(client, headers):
    with client.websocket_connect("/api/v1/stream", headers=headers) as ws:
        ws.send_text("not json")
        assert ws.receive_json()["type"] == "error"  # the connection is open and answering


def test_the_access_log_carries_no_query_string(data_dir):
    port = free_port()
    proc = start_server(port, log_level="info")
    try:
        httpx.get(f"http://127.0.0.1:{port}/api/v1/feedback?user_id=ana-secret", timeout=10)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert "GET /api/v1/feedback HTTP/1.1" in output, output
    assert "ana-secret" not in output


def test_connections_past_the_cap_get_503_at_once(data_dir, monkeypatch):
    """Idle or slow connections cannot take every descriptor: past the cap a request is refused, not queued."""
    import socket

    monkeypatch.setenv("MOODTUNE_MAX_CONNECTIONS", "3")
    port = free_port()
    proc = start_server(port)
    held: list[socket.socket] = []
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10).status_code == 200
        for _ in range(3):  # slow clients: connected, half a request line sent, never finished
            held.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            held[-1].sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: local")
        # The server counts a connection once it has accepted it; ask until it has taken all three.
        deadline = time.monotonic() + 30
        while httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10).status_code != 503:
            assert time.monotonic() < deadline, "a fourth connection was still served past the cap of three"
            time.sleep(0.1)
        for connection in held:
            connection.close()
        held.clear()
        deadline = time.monotonic() + 30
        while httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover after the slow clients left"
            time.sleep(0.2)
    finally:
        for connection in held:
            connection.close()
        proc.terminate()
        proc.wait(timeout=20)


def test_a_flood_of_server_warnings_is_cut_to_a_rate_and_counted():
    import logging

    from moodtune.delivery.api.server_logs import RateLimit

    now = [100.0]
    limit = RateLimit(3, clock=lambda: now[0])

    def record() -> logging.LogRecord:
        return logging.LogRecord("uvicorn.error", logging.WARNING, "h11", 1, "Invalid HTTP request received.", (), None)

    assert [limit.filter(record()) for _ in range(1000)].count(True) == 3
    now[0] += 1
    first = record()
    assert limit.filter(first) and first.getMessage().startswith("(997 similar messages suppressed)")
