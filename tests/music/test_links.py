"""Listening links: direct Spotify links when the id is known, correctly encoded searches otherwise."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from moodtune.music import Track, track_links

TRICKY = Track(
    id="t1",
    title="Rock/Roll? #1 & Co",
    artist="Beyoncé + Friends",
    year=2020,
    genres=("pop",),
    valence=0.5,
    arousal=0.5,
)


def test_spotify_id_gives_a_track_link() -> None:
    track = Track("t2", "Song", "Artist", 1999, ("pop",), 0.1, 0.1, spotify_id="4uLU6hMCjMI75M1A2tKUQC")
    links = track_links(track)
    assert links["spotify"] == "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"


def test_spotify_search_encodes_the_query_as_one_path_segment() -> None:
    url = track_links(TRICKY)["spotify"]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "open.spotify.com")
    assert parts.path.startswith("/search/")
    segment = parts.path.removeprefix("/search/")
    assert "/" not in segment and " " not in segment and "?" not in url and "#" not in url
    assert unquote(segment) == "Rock/Roll? #1 & Co Beyoncé + Friends"


def test_youtube_search_round_trips_the_query() -> None:
    url = track_links(TRICKY)["youtube"]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.youtube.com", "/results")
    assert " " not in url
    assert parse_qs(parts.query) == {"search_query": ["Rock/Roll? #1 & Co Beyoncé + Friends"]}


def test_malformed_spotify_id_falls_back_to_search() -> None:
    track = Track("t3", "Song", "Artist", 1999, ("pop",), 0.1, 0.1, spotify_id="../../evil")
    assert track_links(track)["spotify"] == "https://open.spotify.com/search/Song%20Artist"
