"""Journeys, personalization, ratings and playlist export through the REST API and the CLI."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from typer.testing import CliRunner

from moodtune.affect import VA_ANCHORS
from moodtune.delivery.cli import app
from moodtune.music import Catalog, Track

runner = CliRunner()


def _assert_error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code
    return body["error"]["message"]


def _assert_journey(tracks: list[dict], k: int, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Playing order: positions 1..k, waypoints from start to end, each axis moving one way only."""
    assert [t["position"] for t in tracks] == list(range(1, k + 1))
    waypoints = np.array([t["waypoint"] for t in tracks])
    assert waypoints[0] == pytest.approx(start) and waypoints[-1] == pytest.approx(end)
    moves = np.diff(waypoints, axis=0) * np.sign(np.subtract(end, start))
    assert np.all(moves >= -1e-9)
    assert all(t["reason"].startswith(f"Step {t['position']} of {k}") for t in tracks)
    assert len({t["id"] for t in tracks}) == k


# --- REST ----------------------------------------------------------------------------------------------


def test_recommend_a_journey_in_playing_order(client):
    response = client.post("/api/v1/recommend", json={"mood": "sad", "strategy": "journey", "k": 8})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["strategy"] == "journey" and body["target"] == "happy"  # the default for a negative mood
    _assert_journey(body["tracks"], 8, VA_ANCHORS["sad"], VA_ANCHORS["happy"])
    assert set(body["tracks"][0]["factors"]) >= {"distance", "mood_fit", "genre_affinity", "personal_affinity"}

    calm = client.post("/api/v1/recommend", json={"mood": "angry", "strategy": "journey", "target": "calm", "k": 7})
    assert calm.json()["target"] == "calm"
    assert calm.json()["tracks"][-1]["waypoint"] == pytest.approx([0.15, -0.6])
    match = client.post("/api/v1/recommend", json={"mood": "sad"}).json()
    assert match["target"] is None and all(t["waypoint"] is None for t in match["tracks"])
    assert [t["position"] for t in match["tracks"]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "body",
    [
        {"mood": "sad", "strategy": "journey", "target": "ecstatic"},
        {"mood": "sad", "strategy": "match", "target": "happy"},
        {"mood": "sad", "strategy": "journey", "k": 1},
        {"mood": "sad", "user_id": "has space"},
    ],
)
def test_bad_journey_requests_are_422(client, body):
    _assert_error(client.post("/api/v1/recommend", json=body), 422, "invalid_input")


def test_openapi_documents_journeys_ratings_and_export(client):
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    assert {"target", "user_id"} <= set(components["RecommendRequest"]["properties"])
    assert {"position", "waypoint", "factors", "spotify_uri"} <= set(components["RecommendationOut"]["properties"])
    assert "rating" in components["FeedbackIn"]["properties"]
    export = schema["paths"]["/api/v1/recommend/export"]["post"]
    assert set(export["responses"]["200"]["content"]) == {"audio/x-mpegurl", "application/json"}


def test_export_gives_an_m3u_or_json_playlist_file(client):
    body = {"mood": "sad", "strategy": "journey", "target": "neutral", "k": 6}
    m3u = client.post("/api/v1/recommend/export", json=body)
    assert m3u.status_code == 200, m3u.text
    assert m3u.headers["content-type"].startswith("audio/x-mpegurl")
    assert m3u.headers["content-disposition"] == 'attachment; filename="moodtune-journey.m3u"'
    lines = m3u.text.splitlines()
    assert lines[0] == "#EXTM3U" and lines[1] == "#PLAYLIST:moodtune: a journey from your calm-sad mood to neutral"
    assert sum(line.startswith("#EXTINF:") for line in lines) == 6
    assert all(line.startswith("https://open.spotify.com/") for line in lines[3::2])

    doc = client.post("/api/v1/recommend/export", params={"format": "json"}, json=body).json()
    listed = client.post("/api/v1/recommend", json=body).json()["tracks"]
    assert [t["id"] for t in doc["tracks"]] == [t["id"] for t in listed]  # same list, same order
    assert [t["waypoint"] for t in doc["tracks"]] == [t["waypoint"] for t in listed]
    _assert_error(client.post("/api/v1/recommend/export", params={"format": "pls"}, json=body), 422, "invalid_input")


def test_ratings_round_trip_and_are_checked(client):
    track_id = client.post("/api/v1/recommend", json={"mood": "happy", "k": 1}).json()["tracks"][0]["id"]
    posted = client.post(
        "/api/v1/feedback",
        json={"user_id": "rater", "track_id": track_id, "action": "rate", "rating": 4, "emotion": "happy"},
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["rating"] == 4
    events = client.get("/api/v1/feedback", params={"user_id": "rater"}).json()["events"]
    assert [(e["action"], e["rating"]) for e in events] == [("rate", 4)]
    for bad in ({"action": "rate"}, {"action": "rate", "rating": 6}, {"action": "like", "rating": 5}):
        body = {"user_id": "rater", "track_id": track_id, **bad}
        _assert_error(client.post("/api/v1/feedback", json=body), 422, "invalid_input")


def _genre_catalog() -> Catalog:
    """60 tracks around the sad anchor, genres cycling through "polka" (no emotion lists it) and the sad ones."""
    rng = np.random.default_rng(11)
    v, a = VA_ANCHORS["sad"]
    tracks = [
        Track(
            id=f"t{i:02d}",
            title=f"Song {i}",
            artist=f"Band {i}",
            year=1999,
            genres=(("polka", "soft", "blues", "classical")[i % 4],),
            valence=float(np.clip(v + rng.uniform(-0.3, 0.3), -1, 1)),
            arousal=float(np.clip(a + rng.uniform(-0.3, 0.3), -1, 1)),
        )
        for i in range(60)
    ]
    return Catalog.from_tracks(tracks)


def test_user_id_personalises_for_that_listener_and_mood(make_client, fake_model):
    client = make_client(catalog=_genre_catalog())
    for i in range(0, 24, 4):  # six polka tracks liked while sad
        like = {"user_id": "polka-fan", "track_id": f"t{i:02d}", "action": "like", "emotion": "sad"}
        assert client.post("/api/v1/feedback", json=like).status_code == 201

    def polka(user: str | None, mood: str = "sad") -> int:
        body = {"mood": mood, "k": 8, **({"user_id": user} if user else {})}
        response = client.post("/api/v1/recommend", json=body).json()
        return sum(t["genres"] == ["polka"] for t in response["tracks"])

    assert polka("polka-fan") > polka(None)
    assert polka("someone-else") == polka(None)
    assert polka("polka-fan", "neutral") == polka(None, "neutral")
    fan = client.post("/api/v1/recommend", json={"mood": "sad", "user_id": "polka-fan", "k": 8}).json()
    assert fan["user_id"] == "polka-fan"
    assert any("you liked polka when sad" in t["reason"] or "you liked Band" in t["reason"] for t in fan["tracks"])


def test_the_stream_can_play_a_journey(client, photos):
    with client.websocket_connect("/api/v1/stream?strategy=journey&k=5") as ws:
        ws.send_bytes(photos.color_photo("sad"))
        assert ws.receive_json()["type"] == "frame"
        playlist = ws.receive_json()
    assert playlist["type"] == "playlist" and playlist["strategy"] == "journey"
    assert [t["position"] for t in playlist["tracks"]] == [1, 2, 3, 4, 5]
    assert all(t["waypoint"] is not None for t in playlist["tracks"])


# --- CLI -----------------------------------------------------------------------------------------------


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_cli_journey_json_lists_tracks_in_playing_order(data_dir):
    result = _run("recommend", "--mood", "sad", "--strategy", "journey", "-k", "8", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["strategy"] == "journey" and payload["target"] == "happy"
    _assert_journey(payload["tracks"], 8, VA_ANCHORS["sad"], VA_ANCHORS["happy"])
    target = _run("recommend", "--mood", "happy", "--strategy", "journey", "--target", "calm", "-k", "6", "--json")
    assert json.loads(target.stdout)["tracks"][-1]["waypoint"] == pytest.approx([0.15, -0.6])
    human = _run("recommend", "--mood", "sad", "--strategy", "journey", "-k", "4")
    assert "strategy journey to happy" in human.stdout and "waypoint" in human.stdout


def test_cli_exports_m3u_and_json(data_dir, tmp_path):
    m3u, doc = tmp_path / "trip.m3u", tmp_path / "trip.json"
    for path in (m3u, doc):
        result = _run("recommend", "--mood", "sad", "--strategy", "journey", "-k", "5", "--export", str(path))
        assert result.exit_code == 0, result.output
    assert m3u.read_text(encoding="utf-8").startswith("#EXTM3U\n#PLAYLIST:moodtune: a journey from your calm-sad")
    assert [t["position"] for t in json.loads(doc.read_text(encoding="utf-8"))["tracks"]] == [1, 2, 3, 4, 5]
    bad = _run("recommend", "--mood", "sad", "--export", str(tmp_path / "trip.txt"))
    assert bad.exit_code == 2 and "name it .m3u" in " ".join(bad.output.split())


@pytest.mark.parametrize(
    "args",
    [
        ("recommend", "--mood", "sad", "--strategy", "journey", "--target", "ecstatic"),
        ("recommend", "--mood", "sad", "--target", "happy"),
        ("recommend", "--mood", "sad", "--strategy", "journey", "-k", "1"),
        ("recommend", "--mood", "sad", "--user", "two words"),
        ("feedback", "no-such-track", "--user", "me", "--like"),
        ("feedback", "adele--someone-like-you", "--user", "me"),
        ("feedback", "adele--someone-like-you", "--user", "me", "--like", "--skip"),
        ("feedback", "adele--someone-like-you", "--user", "me", "--rate", "9"),
        ("feedback", "adele--someone-like-you", "--user", "me", "--like", "--mood", "glee"),
    ],
)
def test_cli_wrong_usage_exits_2(data_dir, args):
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_cli_feedback_then_recommend_for_that_user(data_dir):
    anonymous = json.loads(_run("recommend", "--mood", "sad", "-k", "10", "--json").stdout)["tracks"]
    # Like five tracks beyond the first ten, of a genre none of the first ten has, while sad.
    ranked = json.loads(_run("recommend", "--mood", "sad", "-k", "100", "--json").stdout)["tracks"]
    shown = {g for t in anonymous for g in t["genres"]}
    genre, _ = Counter(t["genres"][0] for t in ranked[10:] if t["genres"][0] not in shown).most_common(1)[0]
    liked = [t["id"] for t in ranked[10:] if t["genres"][0] == genre][:5]
    assert len(liked) >= 3
    for track_id in liked:
        result = _run("feedback", track_id, "--user", "cli-fan", "--like", "--mood", "sad")
        assert result.exit_code == 0 and "cli-fan liked" in result.stdout
    rated = _run("feedback", liked[0], "--user", "cli-fan", "--rate", "5", "--mood", "sad")
    assert "rated 5" in rated.stdout
    mine = json.loads(_run("recommend", "--mood", "sad", "-k", "10", "--user", "cli-fan", "--json").stdout)
    assert mine["user"] == "cli-fan"
    assert not any(genre in t["genres"] for t in anonymous)
    assert any(genre in t["genres"] for t in mine["tracks"])
    assert any("you liked" in t["reason"] for t in mine["tracks"])
