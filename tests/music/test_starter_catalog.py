"""The starter catalog that ships inside the package: size, validity and coverage."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from moodtune.music.catalog import starter_catalog

# Genres the emotion → genre mapping relies on; each needs enough tracks to recommend from.
MAPPED_GENRES = (
    "pop", "dance", "soft", "classical", "blues", "rock", "metal", "ambient",
    "instrumental", "chill", "electronic", "experimental", "jazz", "acoustic", "lo-fi", "indie",
)  # fmt: skip
HEADER = ["title", "artist", "year", "genres", "valence", "arousal", "popularity", "language", "spotify_id"]


@pytest.fixture(scope="module")
def catalog():
    return starter_catalog()


def test_file_has_the_documented_header():
    path = resources.files("moodtune.music") / "data" / "starter_catalog.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == HEADER


def test_loads_without_problems(catalog):
    assert catalog.problems == ()
    assert len(catalog) >= 400


def test_ids_and_title_artist_pairs_are_unique(catalog):
    ids = [t.id for t in catalog.tracks]
    assert len(set(ids)) == len(ids)
    pairs = [(t.title.casefold(), t.artist.casefold()) for t in catalog.tracks]
    assert len(set(pairs)) == len(pairs)


def test_values_are_in_range(catalog):
    assert catalog.va.shape == (len(catalog), 2)
    assert (catalog.va >= -1).all() and (catalog.va <= 1).all()
    for track in catalog.tracks:
        assert track.genres, track
        assert track.year is not None and 1600 <= track.year <= 2100, track
        assert track.popularity is None or 0 <= track.popularity <= 1, track
        assert track.language and (len(track.language) == 2 or track.language == "zxx"), track
        assert track.spotify_id is None, f"{track.id}: spotify ids must not be invented"


def test_every_mapped_genre_has_enough_tracks(catalog):
    counts = Counter(g for t in catalog.tracks for g in t.genres)
    thin = {g: counts[g] for g in MAPPED_GENRES if counts[g] < 20}
    assert not thin, f"genres with fewer than 20 tracks: {thin}"


def test_every_quadrant_is_well_covered(catalog):
    quadrants = Counter(
        ("positive" if t.valence >= 0 else "negative", "energetic" if t.arousal >= 0 else "calm")
        for t in catalog.tracks
    )
    print("quadrants:", dict(quadrants))  # noqa: T201
    for key in [(v, a) for v in ("positive", "negative") for a in ("energetic", "calm")]:
        assert quadrants[key] >= 50, f"quadrant {key} has only {quadrants[key]} tracks: {dict(quadrants)}"


def test_spans_decades_and_languages(catalog):
    decades = {t.year // 10 * 10 for t in catalog.tracks if t.year and t.year >= 1950}
    assert {1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020} <= decades
    languages = Counter(t.language for t in catalog.tracks)
    assert languages["en"] > len(catalog) / 2
    assert {"es", "pt", "fr", "ko", "ja", "de", "it", "hi", "ar"} <= set(languages), languages
    instrumental = [t for t in catalog.tracks if "classical" in t.genres and t.language == "zxx"]
    assert len(instrumental) >= 20
