"""The real model on real FER2013 faces, through the HTTP API and the stream."""

from __future__ import annotations

from moodtune.delivery.api import Settings


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0, min(ay + ah, by + bh) - max(ay, by))
    return iw * ih / (aw * ah + bw * bh - iw * ih)


def test_analyze_a_photo_and_recommend_for_it(make_client, fer_faces, photos):
    client = make_client()
    assert client.get("/api/v1/health").json()["model"]["loaded"]
    for emotion in ("happy", "sad"):
        photo = photos.encode(fer_faces[emotion][0])
        body = client.post("/api/v1/analyze", files={"file": ("face.jpg", photo, "image/jpeg")}).json()
        (face,) = body["faces"]
        assert face["affect"]["emotion"] == emotion
        box = face["box"]
        assert iou((box["x"], box["y"], box["w"], box["h"]), (224, 144, 192, 192)) > 0.3
        assert body["image_size"] == {"width": 640, "height": 480}
        recs = client.post("/api/v1/recommend", json={"analysis": body, "k": 3}).json()
        assert recs["affect"]["emotion"] == emotion and len(recs["tracks"]) == 3


def test_stream_of_real_faces_pushes_a_playlist_when_happy_turns_sad(make_client, fer_faces, photos):
    client = make_client(Settings(stream_max_fps=1e6))
    happy = [photos.encode(f) for f in fer_faces["happy"][:2]]
    sad = [photos.encode(f) for f in fer_faces["sad"][:2]]
    playlists, labels = [], []
    with client.websocket_connect("/api/v1/stream?k=4") as ws:
        for frame in happy * 3 + sad * 5:
            ws.send_bytes(frame)
            reply = ws.receive_json()
            assert reply["type"] == "frame" and len(reply["faces"]) == 1
            labels.append(reply["mood_label"])
            if reply["changed"]:
                playlists.append(ws.receive_json())
    assert labels[0] == "happy" and labels[-1] == "sad"
    assert [(p["previous"], p["mood"]) for p in playlists] == [(None, "happy"), ("happy", "sad")]
    assert all(len(p["tracks"]) == 4 for p in playlists)
