"""WebSocket /api/v1/stream: per-frame answers, smoothing, playlist pushes, the frame-rate cap."""

from __future__ import annotations

import time

import pytest
from starlette.websockets import WebSocketDisconnect

from moodtune.delivery.api import Settings


def send_frame(ws, data: bytes) -> list[dict]:
    """Send one frame; return its answer plus any playlist that follows it."""
    ws.send_bytes(data)
    replies = [ws.receive_json()]
    if replies[0]["type"] == "frame" and replies[0]["changed"]:
        replies.append(ws.receive_json())
    return replies


@pytest.fixture
def stream_client(make_client, fake_model):
    # A high cap so that tests sending frames back to back are not throttled.
    return make_client(Settings(stream_max_fps=1e6))


def test_frames_get_answers_and_a_playlist_when_the_mood_changes(stream_client, photos):
    with stream_client.websocket_connect("/api/v1/stream?strategy=match&k=3") as ws:
        first = send_frame(ws, photos.color_photo("happy"))
        frame, playlist = first
        assert frame["type"] == "frame" and frame["seq"] == 1
        assert frame["faces"][0]["affect"]["emotion"] == "happy"
        assert frame["mood_label"] == "happy" and frame["changed"]
        assert playlist["type"] == "playlist" and playlist["mood"] == "happy" and playlist["previous"] is None
        assert len(playlist["tracks"]) == 3 and all(t["reason"] for t in playlist["tracks"])

        moods, pushes = [], []
        for _ in range(3):
            moods += [r["mood_label"] for r in send_frame(ws, photos.color_photo("happy")) if r["type"] == "frame"]
        for _ in range(8):
            replies = send_frame(ws, photos.color_photo("sad"))
            moods.append(replies[0]["mood_label"])
            pushes += [r for r in replies if r["type"] == "playlist"]
        # Hysteresis: the first sad frames do not switch the mood; then it switches once.
        assert moods[:4] == ["happy"] * 4 and moods[-1] == "sad"
        assert [(p["previous"], p["mood"]) for p in pushes] == [("happy", "sad")]
        assert pushes[0]["affect"]["emotion"] == "sad"


def test_frames_without_a_face_keep_the_mood(stream_client, photos):
    with stream_client.websocket_connect("/api/v1/stream") as ws:
        (frame,) = send_frame(ws, photos.color_photo(None))
        assert frame["faces"] == [] and frame["affect"] is None and frame["mood"] is None
        assert frame["mood_label"] is None and not frame["changed"]
        send_frame(ws, photos.color_photo("fear"))
        (frame,) = send_frame(ws, photos.color_photo(None))
        assert frame["mood_label"] == "fear" and frame["mood"]["emotion"] == "fear"


def test_bad_frames_get_an_error_and_the_stream_goes_on(make_client, fake_model, photos):
    client = make_client(Settings(stream_max_fps=1e6, max_upload_bytes=5000))
    with client.websocket_connect("/api/v1/stream") as ws:
        ws.send_bytes(b"definitely not a jpeg")
        error = ws.receive_json()
        assert error["type"] == "error" and error["seq"] == 1 and error["error"]["code"] == "bad_image"
        ws.send_bytes(b"\xff" * 6000)
        assert ws.receive_json()["error"]["code"] == "too_large"
        assert send_frame(ws, photos.color_photo("happy"))[0]["type"] == "frame"


def test_config_message_changes_the_strategy_and_answers_with_a_playlist(stream_client, photos):
    with stream_client.websocket_connect("/api/v1/stream") as ws:
        ws.send_text('{"type": "config", "strategy": "calm"}')  # no mood yet: nothing to answer
        send_frame(ws, photos.color_photo("angry"))
        ws.send_text('{"type": "config", "strategy": "uplift", "k": 2}')
        playlist = ws.receive_json()
        assert playlist["type"] == "playlist" and playlist["strategy"] == "uplift" and len(playlist["tracks"]) == 2
        ws.send_text('{"type": "config", "strategy": "sideways"}')
        assert ws.receive_json()["error"]["code"] == "invalid_input"
        ws.send_text("not json")
        assert ws.receive_json()["type"] == "error"


def test_unknown_strategy_at_connect_closes_with_1008(stream_client):
    with stream_client.websocket_connect("/api/v1/stream?strategy=sideways") as ws:
        assert ws.receive_json()["error"]["code"] == "invalid_input"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1008


def test_frames_over_the_rate_cap_are_dropped_with_a_message(make_client, fake_model, photos):
    client = make_client(Settings(stream_max_fps=2))
    frame = photos.color_photo("happy")
    with client.websocket_connect("/api/v1/stream") as ws:
        answers = []
        for _ in range(6):  # back to back: far over 2 frames/s
            ws.send_bytes(frame)
            answers.append(ws.receive_json())
            if answers[-1]["type"] == "frame" and answers[-1]["changed"]:
                ws.receive_json()  # the first playlist
        kinds = [a["type"] for a in answers]
        assert kinds[0] == "frame" and kinds.count("dropped") >= 4
        dropped = next(a for a in answers if a["type"] == "dropped")
        assert dropped["max_fps"] == 2 and "rate" in dropped["reason"]
        time.sleep(0.55)
        ws.send_bytes(frame)
        assert ws.receive_json()["type"] == "frame"  # under the cap again


def test_missing_model_sends_an_error_and_closes_with_1011(make_client, photos, monkeypatch):
    monkeypatch.setenv("MOODTUNE_EXPRESSION_MODEL", "no_such_model")
    client = make_client(Settings(expression_model="no_such_model"))
    with client.websocket_connect("/api/v1/stream") as ws:
        ws.send_bytes(photos.color_photo("happy"))
        assert ws.receive_json()["error"]["code"] == "model_unavailable"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1011
