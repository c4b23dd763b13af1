"""Track ids and search in every script: readable, distinct, stable, and unchanged for Latin text."""

from __future__ import annotations

import csv
import re
import unicodedata
from importlib import resources

import pytest

from moodtune.music.catalog import parse_catalog_rows, search_catalog, starter_catalog, track_key
from moodtune.music.importers import read_rows
from moodtune.music.store import open_catalog, write_tracks

SONGS = {
    "cyrillic": ("Группа крови", "Кино"),
    "japanese": ("夜に駆ける", "YOASOBI"),
    "arabic": ("حبيبي", "عمرو دياب"),
    "devanagari": ("तुम ही हो", "अरिजीत सिंह"),
}


def _legacy_key(title: str, artist: str) -> str:
    """How ids were made before transliteration: non-ASCII dropped after NFKD."""

    def fold(s: str) -> str:
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")

    return f"{fold(artist)}--{fold(title)}"


def test_every_script_gets_a_readable_distinct_id():
    ids = {script: track_key(title, artist) for script, (title, artist) in SONGS.items()}
    assert ids["cyrillic"] == "kino--gruppa-krovi"
    assert ids["japanese"] == "yoasobi--yeniqukeru"
    assert ids["devanagari"] == "arijit-simh--tum-hi-ho"
    for key in ids.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*--[a-z0-9]+(-[a-z0-9]+)*", key), key
    assert len(set(ids.values())) == len(ids)


def test_two_cyrillic_songs_by_one_artist_both_import(tmp_path):
    rows = [
        {"title": "Группа крови", "artist": "Кино", "valence": "-0.2", "arousal": "0.6"},
        {"title": "Звезда по имени Солнце", "artist": "Кино", "valence": "0.1", "arousal": "0.4"},
        {"title": "Группа крови", "artist": "Кино", "valence": "-0.2", "arousal": "0.6"},  # a real duplicate
    ]
    result = read_rows(rows, "csv")
    assert [t.id for t in result.tracks] == ["kino--gruppa-krovi", "kino--zvezda-po-imeni-solntse"]
    assert [p.line for p in result.problems] == [4] and "duplicate" in result.problems[0].message
    db = tmp_path / "catalog.db"
    assert write_tracks(result.tracks, db).added == 2
    assert sorted(open_catalog(db).titles.tolist()) == ["Группа крови", "Звезда по имени Солнце"]


def test_a_title_without_letters_gets_a_stable_hash():
    key = track_key("🔥🔥🔥", "Artist")
    assert key == track_key("🔥🔥🔥", "Artist") == "artist--6c998ae788"  # the same in every process and release
    assert track_key("🌊", "Artist") != key and track_key("🔥", "Artist") != key
    assert re.fullmatch(r"[0-9a-f]{10}--[0-9a-f]{10}", track_key("🔥", "🌊"))


@pytest.mark.parametrize(
    ("title", "artist", "expected"),
    [
        ("Halo", "Beyoncé", "beyonce--halo"),
        ("Don’t Stop Me Now", "Queen", "queen--dont-stop-me-now"),
        ("Ace of Spades", "Motörhead", "motorhead--ace-of-spades"),
        ("Lean On", "Major Lazer, DJ Snake, MØ", "major-lazer-dj-snake-m--lean-on"),  # Ø never decomposed
        ("ﬁne", "Ｗｉｄｅ", "wide--fine"),
        ("Straße", "Die Ärzte", "die-arzte--strae"),  # nor did ß
        ("Hi", "µ-Ziq", "ziq--hi"),
    ],
)
def test_latin_ids_are_unchanged(title, artist, expected):
    assert track_key(title, artist) == _legacy_key(title, artist) == expected


def test_starter_catalog_ids_are_unchanged():
    # Every row is in Latin script, so its id must still be the one made before transliteration.
    source = resources.files("moodtune.music") / "data" / "starter_catalog.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert starter_catalog().ids.tolist() == [_legacy_key(r["title"], r["artist"]) for r in rows]


def _catalog():
    songs = [*SONGS.values(), ("Hello", "Adele")]
    return parse_catalog_rows(
        {"title": t, "artist": a, "year": "2000", "genres": "pop", "valence": "0", "arousal": "0"} for t, a in songs
    )


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("кино", "Группа крови"),
        ("КИНО группа", "Группа крови"),
        ("kino", "Группа крови"),
        ("gruppa krovi", "Группа крови"),
        ("夜に駆ける", "夜に駆ける"),
        ("yoasobi", "夜に駆ける"),
        ("तुम", "तुम ही हो"),
        ("tum hi ho", "तुम ही हो"),
        ("حبيبي", "حبيبي"),
    ],
)
def test_search_finds_a_track_by_its_script_and_by_its_transliteration(query, title):
    catalog = _catalog()
    assert [catalog.titles[i] for i in search_catalog(catalog, query)] == [title]
