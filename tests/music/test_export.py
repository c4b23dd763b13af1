"""Playlist export: extended M3U and JSON, Spotify URIs where an id is known."""

from __future__ import annotations

import json

import pytest

from moodtune.errors import InputError
from moodtune.music import Recommendation, Track, track_links
from moodtune.music.export import export_format, playlist_json, playlist_m3u, spotify_uri, write_playlist

SPOTIFY_ID = "4uLU6hMCjMI75M1A2tKUQC"


def _rec(title: str, artist: str, *, spotify_id=None, duration_s=None, waypoint=None) -> Recommendation:
    track = Track(
        id=f"{artist}--{title}".lower().replace(" ", "-"),
        title=title,
        artist=artist,
        year=2001,
        genres=("pop",),
        valence=0.5,
        arousal=0.2,
        spotify_id=spotify_id,
        duration_s=duration_s,
    )
    return Recommendation(track, 0.87654, f"because of {title}", track_links(track), {}, waypoint)


RECS = [
    _rec("Never Gonna Give You Up", "Rick Astley", spotify_id=SPOTIFY_ID, duration_s=213.4, waypoint=(-0.6, -0.3)),
    _rec("Song, with a comma\nand a break", "A, B", waypoint=(0.1, 0.0)),
    _rec("Bad Id", "C", spotify_id="not-an-id"),
]


def test_spotify_uri_only_for_a_well_formed_id() -> None:
    assert spotify_uri(RECS[0].track) == f"spotify:track:{SPOTIFY_ID}"
    assert spotify_uri(RECS[1].track) is None
    assert spotify_uri(RECS[2].track) is None


def test_m3u_is_extended_m3u_with_durations_and_urls() -> None:
    text = playlist_m3u(RECS, name="sad → happy")
    lines = text.splitlines()
    assert text.endswith("\n")
    assert lines[:2] == ["#EXTM3U", "#PLAYLIST:sad → happy"]
    assert lines[2] == "#EXTINF:213,Rick Astley - Never Gonna Give You Up"
    assert lines[3] == f"https://open.spotify.com/track/{SPOTIFY_ID}"
    assert lines[4] == "#EXTINF:-1,A, B - Song, with a comma and a break"  # unknown duration; one line
    assert lines[5].startswith("https://open.spotify.com/search/")
    assert lines[7] == track_links(RECS[2].track)["spotify"]  # a malformed id gives a search link
    assert len(lines) == 2 + 2 * len(RECS)


def test_json_lists_tracks_in_order_with_uris_and_waypoints() -> None:
    doc = json.loads(playlist_json(RECS, name="journey"))
    assert doc["name"] == "journey"
    assert [t["position"] for t in doc["tracks"]] == [1, 2, 3]
    first = doc["tracks"][0]
    assert first["spotify_uri"] == f"spotify:track:{SPOTIFY_ID}"
    assert first["url"] == f"https://open.spotify.com/track/{SPOTIFY_ID}"
    assert first["waypoint"] == [-0.6, -0.3] and first["duration_s"] == 213.4
    assert first["score"] == 0.8765 and first["reason"] == "because of Never Gonna Give You Up"
    assert doc["tracks"][2]["waypoint"] is None and doc["tracks"][2]["spotify_uri"] is None
    assert doc["spotify_uris"] == [f"spotify:track:{SPOTIFY_ID}"]


@pytest.mark.parametrize(("name", "kind"), [("list.m3u", "m3u"), ("list.M3U8", "m3u"), ("list.json", "json")])
def test_write_playlist_picks_the_format_from_the_suffix(tmp_path, name, kind) -> None:
    path = write_playlist(RECS, tmp_path / name)
    text = path.read_text(encoding="utf-8")
    assert export_format(path) == kind
    assert text.startswith("#EXTM3U") if kind == "m3u" else json.loads(text)["tracks"]


def test_unknown_suffix_or_unwritable_path_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match=r"\.m3u, \.m3u8 or \.json"):
        write_playlist(RECS, tmp_path / "list.txt")
    with pytest.raises(InputError, match="cannot write"):
        write_playlist(RECS, tmp_path / "missing" / "list.m3u")
