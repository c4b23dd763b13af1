"""The REST API: every endpoint, every error status, the error body's shape."""

from __future__ import annotations

import re

import pytest

from moodtune.affect import EMOTIONS
from moodtune.delivery.api import Settings
from moodtune.music import starter_catalog
from moodtune.music.catalog import parse_catalog_rows


def assert_error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]["message"]


# --- health ----------------------------------------------------------------------------------------


def test_health_reports_model_and_catalog(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["model"] == {"name": "vgg_style", "loaded": True, "error": None}
    assert body["catalog_size"] == len(starter_catalog()) > 100
    assert body["emotions"] == list(EMOTIONS)
    assert body["strategies"] == ["match", "uplift", "calm", "journey"]
    assert body["max_upload_bytes"] == 10 * 1024 * 1024


def test_missing_model_degrades_health_and_refuses_analysis_with_503(make_client, photos, monkeypatch):
    monkeypatch.setenv("MOODTUNE_EXPRESSION_MODEL", "no_such_model")
    client = make_client(Settings(expression_model="no_such_model"))
    health = client.get("/api/v1/health").json()
    assert health["status"] == "degraded" and not health["model"]["loaded"]
    assert "no_such_model" in health["model"]["error"]
    response = client.post("/api/v1/analyze", files={"file": ("a.png", photos.color_photo("happy"), "image/png")})
    assert_error(response, 503, "model_unavailable")
    # Recommending for a picked mood does not need the model.
    assert client.post("/api/v1/recommend", json={"mood": "happy"}).status_code == 200


# --- analyze ---------------------------------------------------------------------------------------


def test_analyze_returns_faces_boxes_probabilities_and_affect(client, photos):
    response = client.post("/api/v1/analyze", files={"file": ("me.png", photos.color_photo("sad"), "image/png")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["image_size"] == {"width": 64, "height": 48}
    (face,) = body["faces"]
    x, y, w, h = photos.fake_box
    assert face["box"] == {"x": x, "y": y, "w": w, "h": h}
    assert face["affect"]["emotion"] == "sad"
    assert list(face["affect"]["probabilities"]) == list(EMOTIONS)
    assert sum(face["affect"]["probabilities"].values()) == pytest.approx(1, abs=1e-3)
    assert body["affect"]["emotion"] == "sad"
    assert -1 <= body["affect"]["valence"] < 0


def test_analyze_without_a_face_returns_an_empty_list(client, photos):
    body = client.post("/api/v1/analyze", files={"file": ("x.png", photos.color_photo(None), "image/png")}).json()
    assert body["faces"] == [] and body["affect"] is None


def test_analyze_accepts_octet_stream_when_the_bytes_are_an_image(client, photos):
    files = {"file": ("blob", photos.color_photo("happy", fmt="JPEG"), "application/octet-stream")}
    assert client.post("/api/v1/analyze", files=files).json()["affect"]["emotion"] == "happy"


def test_corrupt_image_is_400(client):
    response = client.post("/api/v1/analyze", files={"file": ("a.jpg", b"\xff\xd8\xff\xe0 not really", "image/jpeg")})
    message = assert_error(response, 400, "bad_image")
    assert "image bytes" in message


def test_empty_file_is_400(client):
    assert_error(client.post("/api/v1/analyze", files={"file": ("a.jpg", b"", "image/jpeg")}), 400, "bad_image")


def test_truncated_image_is_400(client, photos):
    data = photos.color_photo("happy", size=(400, 300), fmt="JPEG")
    response = client.post("/api/v1/analyze", files={"file": ("a.jpg", data[: len(data) // 2], "image/jpeg")})
    assert_error(response, 400, "bad_image")


def test_upload_over_the_byte_limit_is_413(make_client, fake_model, photos):
    client = make_client(Settings(max_upload_bytes=2000))
    small = photos.color_photo("happy")
    assert len(small) < 2000
    padded = small + b"\0" * 3000  # a valid PNG with trailing bytes: over the limit, under the envelope
    response = client.post("/api/v1/analyze", files={"file": ("a.png", padded, "image/png")})
    assert "2,000 bytes" in assert_error(response, 413, "too_large")


def test_body_far_over_the_limit_is_413_before_reading_it(make_client, fake_model):
    client = make_client(Settings(max_upload_bytes=1000))
    response = client.post("/api/v1/analyze", files={"file": ("a.jpg", b"\xff" * 200_000, "image/jpeg")})
    assert_error(response, 413, "too_large")


def test_huge_json_body_is_refused(make_client, fake_model):
    client = make_client(Settings(max_upload_bytes=1000))
    response = client.post("/api/v1/recommend", json={"mood": "sad", "pad": "x" * 200_000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_pixel_limit_is_400(make_client, fake_model, photos):
    client = make_client(Settings(max_pixels=1000))
    response = client.post("/api/v1/analyze", files={"file": ("a.png", photos.color_photo("happy"), "image/png")})
    assert "megapixels" in assert_error(response, 400, "bad_image")


def test_wrong_content_type_is_415(client):
    response = client.post("/api/v1/analyze", files={"file": ("notes.txt", b"hello, I am happy", "text/plain")})
    assert "text/plain" in assert_error(response, 415, "unsupported_type")


def test_non_multipart_body_is_415(client, photos):
    response = client.post(
        "/api/v1/analyze", content=photos.color_photo("happy"), headers={"content-type": "image/png"}
    )
    assert_error(response, 415, "unsupported_type")


def test_missing_file_field_is_422(client, photos):
    response = client.post("/api/v1/analyze", files={"photo": ("a.png", photos.color_photo("happy"), "image/png")})
    assert "'file'" in assert_error(response, 422, "invalid_input")


def test_malformed_multipart_is_400(client):
    headers = {"content-type": "multipart/form-data; boundary=XYZ"}
    response = client.post("/api/v1/analyze", content=b"--XYZ\r\nno headers end", headers=headers)
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] in ("bad_image", "invalid_input")


# --- explain ---------------------------------------------------------------------------------------


def test_explain_adds_a_heat_map_png_per_face(make_client, fer_faces, photos):
    import base64

    import cv2
    import numpy as np

    client = make_client()
    analyzed = client.post(
        "/api/v1/analyze", files={"file": ("a.jpg", photos.encode(fer_faces["happy"][0]), "image/jpeg")}
    )
    response = client.post(
        "/api/v1/explain", files={"file": ("a.jpg", photos.encode(fer_faces["happy"][0]), "image/jpeg")}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["image_size"] == {"width": 640, "height": 480}
    assert body["affect"]["emotion"] == analyzed.json()["affect"]["emotion"] == "happy"
    assert len(body["faces"]) == len(analyzed.json()["faces"]) == 1
    face = body["faces"][0]
    assert face["box"] == analyzed.json()["faces"][0]["box"]
    square = face["heatmap"]["square"]
    assert set(square) == {"x", "y", "side"} and square["side"] > 0
    prefix = "data:image/png;base64,"
    assert face["heatmap"]["png"].startswith(prefix)
    png = base64.b64decode(face["heatmap"]["png"][len(prefix) :])
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    side = min(square["side"], 256)
    assert image.shape == (side, side, 4) and image.dtype == np.uint8
    assert image[..., 3].max() > 0 and image[..., 3].min() < image[..., 3].max()  # opacity follows the heat


def test_explain_without_a_face_returns_an_empty_list(make_client, real_model, photos):
    body = make_client().post("/api/v1/explain", files={"file": ("x.png", photos.color_photo(None), "image/png")})
    assert body.status_code == 200, body.text
    assert body.json()["faces"] == [] and body.json()["affect"] is None


def test_explain_refuses_corrupt_wrong_type_and_missing_uploads(client, photos):
    response = client.post("/api/v1/explain", files={"file": ("a.jpg", b"\xff\xd8\xff\xe0 not really", "image/jpeg")})
    assert_error(response, 400, "bad_image")
    response = client.post("/api/v1/explain", files={"file": ("notes.txt", b"hello, I am happy", "text/plain")})
    assert_error(response, 415, "unsupported_type")
    response = client.post("/api/v1/explain", files={"photo": ("a.png", photos.color_photo("happy"), "image/png")})
    assert_error(response, 422, "invalid_input")


def test_explain_without_the_model_is_503(make_client, photos):
    client = make_client(Settings(expression_model="no_such_model"))
    response = client.post("/api/v1/explain", files={"file": ("a.png", photos.color_photo("happy"), "image/png")})
    assert_error(response, 503, "model_unavailable")


# --- recommend -------------------------------------------------------------------------------------


def test_recommend_for_a_named_mood(client):
    response = client.post("/api/v1/recommend", json={"mood": "sad", "strategy": "uplift", "k": 4})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["strategy"] == "uplift" and body["affect"]["emotion"] == "sad"
    assert len(body["tracks"]) == 4
    ids = {t.id for t in starter_catalog().tracks}
    for track in body["tracks"]:
        assert track["id"] in ids
        assert track["reason"] and isinstance(track["score"], float)
        assert track["links"]["spotify"].startswith("https://open.spotify.com/")
        assert track["links"]["youtube"].startswith("https://www.youtube.com/results?")
        assert "spotify_id" in track


def test_recommend_for_probabilities_and_for_an_analysis(client, photos):
    by_probs = client.post("/api/v1/recommend", json={"probabilities": {"happy": 3, "surprise": 1}}).json()
    assert by_probs["affect"]["emotion"] == "happy"
    assert by_probs["affect"]["probabilities"]["happy"] == pytest.approx(0.75)
    analysis = client.post(
        "/api/v1/analyze", files={"file": ("a.png", photos.color_photo("angry"), "image/png")}
    ).json()
    by_analysis = client.post("/api/v1/recommend", json={"analysis": analysis, "strategy": "calm", "k": 3}).json()
    assert by_analysis["affect"]["emotion"] == "angry" and len(by_analysis["tracks"]) == 3


def test_recommend_for_an_analysis_without_a_face_is_422(client):
    empty = {"faces": [], "affect": None, "image_size": {"width": 10, "height": 10}}
    response = client.post("/api/v1/recommend", json={"analysis": empty})
    assert "no face" in assert_error(response, 422, "no_face")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"mood": "sad", "probabilities": {"sad": 1}},
        {"mood": "melancholy"},
        {"mood": "sad", "strategy": "journey-to-the-moon"},
        {"mood": "sad", "k": 0},
        {"mood": "sad", "k": 1000},
        {"mood": "sad", "k": "many"},
        {"probabilities": {"glee": 1}},
        {"probabilities": {"sad": -1}},
        {"probabilities": {"sad": 0}},
        {"mood": "sad", "colour": "blue"},
    ],
)
def test_bad_recommend_requests_are_422(client, body):
    assert_error(client.post("/api/v1/recommend", json=body), 422, "invalid_input")


def test_recommend_for_text_alone_and_with_an_analysis(client, photos):
    by_text = client.post("/api/v1/recommend", json={"text": "i feel so sad and lonely", "k": 3})
    assert by_text.status_code == 200, by_text.text
    body = by_text.json()
    assert body["affect"]["emotion"] == "sad" and len(body["tracks"]) == 3
    assert [(s["source"], s["weight"]) for s in body["affect"]["sources"]] == [("text", 1.0)]
    assert body["text"]["status"] == "ok" and body["text"]["affect"]["emotion"] == "sad"

    analysis = client.post(
        "/api/v1/analyze", files={"file": ("a.png", photos.color_photo("happy"), "image/png")}
    ).json()
    fused = client.post("/api/v1/recommend", json={"text": "i feel so sad and lonely", "analysis": analysis}).json()
    weights = {s["source"]: s["weight"] for s in fused["affect"]["sources"]}
    assert set(weights) == {"face", "text"} and sum(weights.values()) == pytest.approx(1.0, abs=1e-3)
    picked = client.post("/api/v1/recommend", json={"text": "i feel so sad", "mood": "happy"}).json()
    assert picked["affect"]["emotion"] == "happy" and picked["affect"]["sources"][0]["source"] == "pick"
    assert client.post("/api/v1/recommend", json={"mood": "sad"}).json()["affect"]["sources"][0]["source"] == "pick"


def test_recommend_for_text_without_a_mood_is_422_unless_a_face_helps(client, photos):
    for text in ("   ", "Estoy muy triste hoy porque perdí mi trabajo"):
        message = assert_error(client.post("/api/v1/recommend", json={"text": text}), 422, "invalid_input")
        assert "text" in message
    analysis = client.post(
        "/api/v1/analyze", files={"file": ("a.png", photos.color_photo("angry"), "image/png")}
    ).json()
    body = client.post("/api/v1/recommend", json={"text": "...", "analysis": analysis}).json()
    assert body["affect"]["emotion"] == "angry" and body["text"]["status"] == "no_signal"
    assert [s["source"] for s in body["affect"]["sources"]] == ["face"]
    assert_error(
        client.post("/api/v1/recommend", json={"text": "hi", "probabilities": {"sad": 1}}), 422, "invalid_input"
    )


def test_recommend_rejects_a_non_json_body(client):
    response = client.post("/api/v1/recommend", content=b"mood=sad", headers={"content-type": "text/plain"})
    assert_error(response, 422, "invalid_input")


def test_spotify_ids_are_exposed_only_when_valid(make_client, fake_model):
    rows = [
        {
            "title": "Good Id",
            "artist": "A",
            "year": "2000",
            "genres": "pop",
            "valence": "0.8",
            "arousal": "0.5",
            "spotify_id": "4uLU6hMCjMI75M1A2tKUQC",
        },
        {
            "title": "Bad Id",
            "artist": "B",
            "year": "2000",
            "genres": "pop",
            "valence": "0.8",
            "arousal": "0.5",
            "spotify_id": "nope",
        },
    ]
    client = make_client(catalog=parse_catalog_rows(rows))
    tracks = {t["title"]: t for t in client.post("/api/v1/recommend", json={"mood": "happy", "k": 2}).json()["tracks"]}
    assert tracks["Good Id"]["spotify_id"] == "4uLU6hMCjMI75M1A2tKUQC"
    assert tracks["Good Id"]["links"]["spotify"].endswith("/track/4uLU6hMCjMI75M1A2tKUQC")
    assert tracks["Bad Id"]["spotify_id"] is None


# --- catalog ---------------------------------------------------------------------------------------


def test_catalog_search_finds_by_artist_title_and_genre(client):
    track = starter_catalog().tracks[0]
    body = client.get("/api/v1/catalog/search", params={"q": track.artist.upper()}).json()
    assert body["total"] >= 1 and any(t["id"] == track.id for t in body["tracks"])
    assert body["tracks"][0]["artist"].casefold().startswith(track.artist.casefold())
    word = track.title.split()[0]
    assert any(
        t["id"] == track.id
        for t in client.get("/api/v1/catalog/search", params={"q": word, "limit": 100}).json()["tracks"]
    )
    genre = track.genres[0]
    hits = client.get("/api/v1/catalog/search", params={"q": genre, "limit": 5}).json()
    assert hits["total"] > 5 and len(hits["tracks"]) == 5


def test_catalog_search_without_hits_is_an_empty_list(client):
    assert client.get("/api/v1/catalog/search", params={"q": "zzqxj no such song"}).json() == {
        "query": "zzqxj no such song",
        "total": 0,
        "tracks": [],
    }


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "x" * 101}, {"q": "a", "limit": 0}, {"q": "a", "limit": "ten"}]
)
def test_bad_catalog_search_is_422(client, params):
    assert_error(client.get("/api/v1/catalog/search", params=params), 422, "invalid_input")


# --- feedback --------------------------------------------------------------------------------------


def test_feedback_round_trip(client):
    track_id = starter_catalog().tracks[3].id
    response = client.post(
        "/api/v1/feedback",
        json={"user_id": "user-1", "track_id": track_id, "action": "like", "emotion": "sad"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["action"] == "like" and created["emotion"] == "sad" and created["id"] >= 1
    client.post("/api/v1/feedback", json={"user_id": "user-1", "track_id": track_id, "action": "skip"})
    client.post("/api/v1/feedback", json={"user_id": "user-2", "track_id": track_id, "action": "like"})
    body = client.get("/api/v1/feedback", params={"user_id": "user-1"}).json()
    assert body["user_id"] == "user-1"
    assert [e["action"] for e in body["events"]] == ["skip", "like"]  # newest first
    assert body["events"][0]["emotion"] is None
    assert re.match(r"\d{4}-\d\d-\d\dT", body["events"][0]["created_at"])
    assert client.get("/api/v1/feedback", params={"user_id": "nobody"}).json()["events"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"user_id": "u", "track_id": "no-such-track", "action": "like"},
        {"user_id": "u", "track_id": "{track}", "action": "love"},
        {"user_id": "u", "track_id": "{track}", "action": "like", "emotion": "glee"},
        {"user_id": "", "track_id": "{track}", "action": "like"},
        {"user_id": "a b", "track_id": "{track}", "action": "like"},
        {"user_id": "u" * 65, "track_id": "{track}", "action": "like"},
        {"track_id": "{track}", "action": "like"},
        {"user_id": "u", "track_id": "{track}", "action": "like", "photo": "…"},
    ],
)
def test_bad_feedback_is_422(client, body):
    track_id = starter_catalog().tracks[0].id
    body = {k: (v.replace("{track}", track_id) if isinstance(v, str) else v) for k, v in body.items()}
    assert_error(client.post("/api/v1/feedback", json=body), 422, "invalid_input")


@pytest.mark.parametrize("params", [{}, {"user_id": ""}, {"user_id": "a/b"}, {"user_id": "u", "limit": 0}])
def test_bad_feedback_query_is_422(client, params):
    assert_error(client.get("/api/v1/feedback", params=params), 422, "invalid_input")


def test_feedback_persists_across_app_instances(make_client, fake_model, data_dir):
    track_id = starter_catalog().tracks[7].id
    first = make_client()
    first.post("/api/v1/feedback", json={"user_id": "keeper", "track_id": track_id, "action": "like"})
    second = make_client()  # a new app (new engine) on the same default database
    events = second.get("/api/v1/feedback", params={"user_id": "keeper"}).json()["events"]
    assert [(e["track_id"], e["action"]) for e in events] == [(track_id, "like")]
    assert (data_dir / "moodtune.db").is_file()


def test_database_url_setting_is_used(make_client, fake_model, tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    track_id = starter_catalog().tracks[0].id
    make_client(Settings(database_url=url)).post(
        "/api/v1/feedback", json={"user_id": "u", "track_id": track_id, "action": "skip"}
    )
    assert (tmp_path / "elsewhere.db").is_file()


# --- unknown routes, methods, the page -------------------------------------------------------------


def test_unknown_api_route_is_json_404(client):
    message = assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert "/api/v1/no-such-thing" in message
    assert_error(client.get("/static/no-such-file.js"), 404, "not_found")


def test_wrong_method_is_json_405(client):
    assert_error(client.get("/api/v1/analyze"), 405, "method_not_allowed")


def test_the_page_is_served_from_the_package_with_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    html = page.text
    assert "never stored" in html and 'id="mood-text-use"' in html and "coming soon" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/app.js" in assets and "/static/style.css" in assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    for asset in ("/static/app.js", "/static/style.css"):
        response = client.get(asset)
        assert response.status_code == 200
        text = response.text
        assert not re.search(r"@import|url\(\s*['\"]?https?:|import .* from ['\"]https?:", text)
    # The only remote address the script uses is Spotify's player, loaded when a listener asks for it.
    remote = set(re.findall(r"https://[^/`'\"]+", client.get("/static/app.js").text))
    assert remote <= {"https://open.spotify.com"}


def test_openapi_schema_lists_every_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/analyze",
        "/api/v1/explain",
        "/api/v1/recommend",
        "/api/v1/feedback",
        "/api/v1/catalog/search",
        "/api/v1/health",
    ):
        assert path in paths
    assert "multipart/form-data" in paths["/api/v1/analyze"]["post"]["requestBody"]["content"]


def test_docs_page_serves_swagger_ui_from_the_package(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/openapi.json" in page.text
    assets = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", page.text)
    assert assets and all(a.startswith("/docs-assets/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200


def test_server_side_failures_are_500_without_details(client, monkeypatch):
    import moodtune.delivery.api.routes.feedback as feedback_route
    from moodtune.errors import DataError

    def broken(*args, **kwargs):
        raise DataError("cannot store feedback: disk full at /secret/path/moodtune.db")

    monkeypatch.setattr(feedback_route, "record_feedback", broken)
    track_id = starter_catalog().tracks[0].id
    response = client.post("/api/v1/feedback", json={"user_id": "u", "track_id": track_id, "action": "like"})
    message = assert_error(response, 500, "data_error")
    assert "/secret" not in message

    def crash(*args, **kwargs):
        raise RuntimeError("boom at /secret/place")

    monkeypatch.setattr(feedback_route, "record_feedback", crash)
    response = client.post("/api/v1/feedback", json={"user_id": "u", "track_id": track_id, "action": "like"})
    assert "/secret" not in assert_error(response, 500, "internal")
