"""The columnar ``Catalog`` and the SQLite catalog store: round trips, seeding, locations, errors."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pytest

from moodtune.errors import CatalogError, InputError
from moodtune.music.catalog import Catalog, catalog_stats, search_catalog, starter_catalog
from moodtune.music.store import CATALOG_ENV_VAR, catalog_location, default_catalog_path, open_catalog, write_tracks
from moodtune.music.track import AUDIO_FEATURES, Track

AUDIO = (0.5, 0.75, 0.125, 0.0, 0.04, 0.1, -5.5, 120.5, 1.0, math.nan)


def _tracks() -> list[Track]:
    return [
        Track(
            id="spotify:4uLU6hMCjMI75M1A2tKUQC",
            title="Déjà Vu",
            artist="Beyoncé, Jay-Z",
            year=2006,
            genres=("r&b", "pop"),
            valence=0.6,
            arousal=0.7,
            popularity=0.66,
            language="en",
            album="B'Day",
            duration_s=240.5,
            mood="Energetic",
            mood_probability=0.82,
            audio=AUDIO,
            external_ids=(("spotify", "4uLU6hMCjMI75M1A2tKUQC"), ("musicbrainz", "abc")),
            source="moods",
            va_estimated=True,
        ),
        Track(
            "deezer:1", "Quiet Song", "Someone", None, (), -0.4, -0.6, external_ids=(("deezer", "1"),), source="deezer"
        ),
        Track("plain", "Plain", "Band", 1999, ("rock",), 0.0, 0.1, mood="Sad"),
    ]


@pytest.fixture
def no_default(tmp_path, monkeypatch):
    """An empty data folder and no MOODTUNE_CATALOG: the default database lives in tmp_path."""
    monkeypatch.setenv("MOODTUNE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(CATALOG_ENV_VAR, raising=False)
    return tmp_path / "data" / "catalog.db"


# --- Track and Catalog ---------------------------------------------------------------------------


def test_track_keeps_spotify_id_and_external_ids_in_step():
    assert Track("a", "T", "A", None, (), 0, 0, spotify_id="x").external_ids == (("spotify", "x"),)
    assert Track("a", "T", "A", None, (), 0, 0, external_ids=(("spotify", "y"),)).spotify_id == "y"
    with pytest.raises(InputError, match="differs"):
        Track("a", "T", "A", None, (), 0, 0, spotify_id="x", external_ids=(("spotify", "y"),))
    with pytest.raises(InputError, match="mood"):
        Track("a", "T", "A", None, (), 0, 0, mood="Angry")
    with pytest.raises(InputError, match="audio"):
        Track("a", "T", "A", None, (), 0, 0, audio=(0.1, 0.2))


def test_from_tracks_round_trips_every_field():
    tracks = _tracks()
    catalog = Catalog.from_tracks(tracks)
    assert len(catalog) == 3 and catalog.va.dtype == np.float32 and catalog.va.shape == (3, 2)
    assert catalog.audio.shape == (3, len(AUDIO_FEATURES)) and np.isnan(catalog.audio[1]).all()
    assert np.isnan(catalog.popularity[1]) and catalog.genre_codes.shape == (3, 2)
    assert catalog.genre_codes[1].tolist() == [-1, -1]
    assert [catalog.track(i) for i in range(3)] == tracks  # numbers come back as written (float32 keeps them)
    assert catalog.tracks == tuple(catalog.track(i) for i in range(3))  # the compatibility view
    assert list(catalog.artists) == ["Beyoncé, Jay-Z", "Someone", "Band"]
    with pytest.raises(IndexError):
        catalog.track(3)
    with pytest.raises(InputError, match="more than once"):
        Catalog.from_tracks(tracks + tracks[:1])


def test_from_arrays_builds_a_synthetic_catalog_and_checks_shapes():
    n = 1000
    rng = np.random.default_rng(0)
    catalog = Catalog.from_arrays(
        ids=[f"t{i}" for i in range(n)],
        titles=[f"Song {i}" for i in range(n)],
        artist_codes=rng.integers(0, 50, n),
        artist_names=[f"Artist {a}" for a in range(50)],
        va=rng.uniform(-1, 1, (n, 2)),
    )
    assert catalog.popularity.shape == (n,) and np.isnan(catalog.popularity).all()
    assert catalog.genre_codes.shape == (n, 1) and (catalog.genre_codes == -1).all()
    track = catalog.track(7)
    assert track.genres == () and track.year is None and track.source is None and track.audio is None
    with pytest.raises(InputError, match="va"):
        Catalog.from_arrays(ids=["a"], titles=["A"], artist_codes=[0], artist_names=["X"], va=[[0.1, 0.2, 0.3]])
    with pytest.raises(InputError, match=r"\[-1, 1\]"):
        Catalog.from_arrays(ids=["a"], titles=["A"], artist_codes=[0], artist_names=["X"], va=[[1.5, 0.0]])
    with pytest.raises(InputError, match="vocabulary"):
        Catalog.from_arrays(ids=["a"], titles=["A"], artist_codes=[3], artist_names=["X"], va=[[0.1, 0.0]])


def test_search_ignores_case_and_accents_and_ranks_prefix_first():
    catalog = Catalog.from_tracks(_tracks())
    assert [catalog.ids[i] for i in search_catalog(catalog, "beyonce")] == ["spotify:4uLU6hMCjMI75M1A2tKUQC"]
    assert len(search_catalog(catalog, "DEJA vu")) == 1
    assert len(search_catalog(catalog, "rock")) == 1  # genres count too
    assert len(search_catalog(catalog, "song")) == 1 and len(search_catalog(catalog, "zzz")) == 0
    with pytest.raises(InputError):
        search_catalog(catalog, "   ")
    starter = starter_catalog()
    hits = search_catalog(starter, "satie")
    assert hits.size and all("Satie" in starter.track(int(i)).artist for i in hits)


def test_stats_count_what_is_known():
    stats = catalog_stats(Catalog.from_tracks(_tracks()))
    assert stats.tracks == 3 and stats.artists == 3 and stats.genres == 3
    assert dict(stats.per_source) == {"moods": 1, "deezer": 1, "unknown": 1}
    assert dict(stats.per_mood) == {"Happy": 0, "Sad": 1, "Energetic": 1, "Calm": 0, "none": 1}
    assert (stats.with_audio, stats.va_from_data, stats.with_popularity) == (1, 2, 1)
    assert stats.years == (1999, 2006)
    assert dict(stats.top_genres) == {"pop": 1, "r&b": 1, "rock": 1}


# --- the store -----------------------------------------------------------------------------------


def test_store_round_trip(tmp_path):
    path = tmp_path / "cat.db"
    result = write_tracks(_tracks(), path)
    assert (result.added, result.replaced, result.kept, result.total, result.seeded) == (3, 0, 0, 3, False)
    catalog = open_catalog(path)
    assert [catalog.track(i) for i in range(3)] == _tracks()
    assert catalog.source_names == ("moods", "deezer")


def test_reimporting_replaces_in_place_and_other_sources_keep_their_tracks(tmp_path):
    path = tmp_path / "cat.db"
    write_tracks(_tracks(), path)
    changed = Track("deezer:1", "Quiet Song (Remaster)", "Someone", 2001, ("ambient",), -0.5, -0.7, source="deezer")
    elsewhere = Track("plain", "Plain (other data set)", "Band", 1999, ("rock",), 0.9, 0.9, source="top-hits")
    new = Track("new", "New", "Band", None, (), 0.2, 0.2)
    result = write_tracks([changed, elsewhere, new], path)
    assert (result.added, result.replaced, result.kept, result.total) == (1, 1, 1, 4)
    catalog = open_catalog(path)
    assert list(catalog.ids) == ["spotify:4uLU6hMCjMI75M1A2tKUQC", "deezer:1", "plain", "new"]
    assert catalog.track(1) == changed  # same source: the new values, in the old place
    assert catalog.track(2) == _tracks()[2]  # another source: the earlier track stays


def test_a_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "cat.db"
    write_tracks(_tracks()[:1], path)
    bad = Track("bad", "Bad", "Band", 3000, (), 0.0, 0.0)  # the schema refuses year 3000
    with pytest.raises(CatalogError, match="cannot write"):
        write_tracks([Track("ok", "Ok", "Band", None, (), 0.0, 0.0), bad], path)
    assert list(open_catalog(path).ids) == ["spotify:4uLU6hMCjMI75M1A2tKUQC"]


def test_default_database_is_the_starter_until_the_first_import(no_default):
    assert catalog_location() == (no_default, True) and default_catalog_path() == no_default
    before = open_catalog()
    assert len(before) == len(starter_catalog()) and not no_default.exists()  # reading writes nothing
    result = write_tracks(_tracks())
    assert result.seeded and result.path == no_default and result.total == len(before) + 3
    after = open_catalog()
    assert len(after) == len(before) + 3
    assert set(after.source_names) == {"starter", "moods", "deezer"}
    assert write_tracks(_tracks()[:1]).seeded is False  # seeded once


def test_environment_variable_and_explicit_paths(no_default, tmp_path, monkeypatch):
    named = tmp_path / "named.db"
    monkeypatch.setenv(CATALOG_ENV_VAR, str(named))
    assert catalog_location() == (named, False)
    with pytest.raises(CatalogError, match="no catalog database"):
        open_catalog()  # a named database must exist
    result = write_tracks(_tracks())
    assert result.path == named and not result.seeded and result.total == 3  # created empty, not seeded
    assert len(open_catalog()) == 3
    other = tmp_path / "other.db"
    assert catalog_location(other) == (other, False)  # the argument wins over the variable
    assert not no_default.exists()


def test_files_that_are_not_catalogs(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database, just text that is long enough " * 20)
    with pytest.raises(CatalogError, match="not a catalog database"):
        open_catalog(text)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(CatalogError, match="holds no catalog"):
        open_catalog(empty)
    future = tmp_path / "future.db"
    write_tracks(_tracks(), future)
    with sqlite3.connect(future) as conn:
        conn.execute("UPDATE catalog_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(CatalogError, match="version 99"):
        open_catalog(future)


def test_empty_database_gives_an_empty_catalog(tmp_path):
    path = tmp_path / "cat.db"
    write_tracks([], path)
    catalog = open_catalog(path)
    assert len(catalog) == 0 and catalog.va.shape == (0, 2)


def test_many_tracks_load_into_columns(tmp_path):
    n = 20_000
    tracks = [
        Track(f"t{i}", f"Song {i}", f"Artist {i % 700}", 1950 + i % 70, (("pop", "rock", "jazz")[i % 3],),
              (i % 200) / 100 - 1, ((i * 7) % 200) / 100 - 1, popularity=(i % 101) / 100,
              audio=AUDIO if i % 2 else None)
        for i in range(n)
    ]  # fmt: skip
    path = tmp_path / "big.db"
    write_tracks(tracks, path)
    catalog = open_catalog(path)
    assert (
        len(catalog) == n and len(catalog.artist_names) == 700 and set(catalog.genre_names) == {"pop", "rock", "jazz"}
    )
    assert np.allclose(catalog.va, [(t.valence, t.arousal) for t in tracks])
    assert int((~np.isnan(catalog.audio[:, 0])).sum()) == n // 2
    assert catalog.track(12_345) == Catalog.from_tracks(tracks).track(12_345)
