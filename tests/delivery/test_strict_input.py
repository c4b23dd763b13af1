"""Request bodies are taken as sent: no type coercion, no non-finite scores, no nesting that crashes a parser."""

from __future__ import annotations

import pytest

from moodtune.affect import AffectState


def error_code(response) -> str:
    assert "Traceback" not in response.text
    return response.json()["error"]["code"]


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.mark.parametrize("path", ["/api/v1/recommend", "/api/v1/recommend/export"])
def test_huge_finite_scores_are_weights_not_an_overflow(client, path):
    """1e308 + 1e308 overflowed to inf, zeroed every share and divided by zero in the fusion."""
    huge = {"happy": 1e308, "sad": 1e308}
    for body in ({"probabilities": huge}, {"analysis": {"affect": {"probabilities": huge}}}):
        response = client.post(path, json=body)
        assert response.status_code == 200, response.text
    affect = client.post("/api/v1/recommend", json={"probabilities": huge}).json()["affect"]
    assert affect["probabilities"]["happy"] == pytest.approx(0.5) == affect["probabilities"]["sad"]


def test_scores_scaled_by_any_factor_read_the_same():
    small = AffectState.from_probabilities([1, 0, 0, 3, 0, 0, 0])
    huge = AffectState.from_probabilities([1e307, 0, 0, 3e307, 0, 0, 0])
    assert huge.probabilities == pytest.approx(small.probabilities)


@pytest.mark.parametrize(
    "probabilities",
    [{"happy": -1.0}, {"happy": 0.0, "sad": 0.0}, {"happy": "0.5"}, {"happy": True}, {"hapy": 1.0}],
    ids=["negative", "all-zero", "string", "bool", "unknown-emotion"],
)
def test_unusable_scores_are_422(client, probabilities):
    assert error_code(client.post("/api/v1/recommend", json={"probabilities": probabilities})) == "invalid_input"
    analysis = {"analysis": {"affect": {"probabilities": probabilities}}}
    assert error_code(client.post("/api/v1/recommend", json=analysis)) == "invalid_input"


def test_non_finite_json_numbers_are_422(client):
    for literal in ("NaN", "Infinity", "-Infinity"):
        body = '{"probabilities": {"happy": ' + literal + "}}"
        response = client.post("/api/v1/recommend", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422 and error_code(response) == "invalid_input", literal


@pytest.mark.parametrize(
    "body",
    [
        {"user_id": "ana", "track_id": "x", "action": "rate", "rating": True},
        {"user_id": "ana", "track_id": "x", "action": "rate", "rating": "4"},
        {"user_id": "ana", "track_id": "x", "action": "rate", "rating": 4.0},
    ],
    ids=["bool-rating", "string-rating", "float-rating"],
)
def test_feedback_ratings_must_be_integers(client, body):
    assert error_code(client.post("/api/v1/feedback", json=body)) == "invalid_input"


@pytest.mark.parametrize("k", ["5", True, 5.5])
def test_k_must_be_an_integer(client, k):
    assert error_code(client.post("/api/v1/recommend", json={"mood": "sad", "k": k})) == "invalid_input"


def test_a_deeply_nested_stream_message_gets_an_error_and_the_stream_goes_on(client):
    with client.websocket_connect("/api/v1/stream") as ws:
        ws.send_text("[" * 100_000)
        reply = ws.receive_json()
        assert reply["type"] == "error" and reply["error"]["code"] == "invalid_input"
        ws.send_text('{"type": "config", "k": "5"}')
        assert ws.receive_json()["type"] == "error"
        ws.send_text('{"type": "config", "strategy": "calm", "k": 5}')
        ws.send_text("{}" + " " * 2_000)
        reply = ws.receive_json()  # no playlist yet (no face), so the next answer is the long message's error
        assert reply["type"] == "error" and "at most" in reply["error"]["message"]
