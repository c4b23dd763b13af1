"""``load_catalog`` reports malformed rows by line number and rejects unusable files."""

from __future__ import annotations

import pytest

from moodtune.errors import CatalogError
from moodtune.music.catalog import load_catalog, track_key

HEADER = "title,artist,year,genres,valence,arousal,popularity,language,spotify_id\n"


def _write(tmp_path, text: str, name: str = "catalog.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_become_problems_with_line_numbers(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "Good Song,Some Artist,1999,pop;rock,0.5,0.2,0.7,en,\n"  # line 2
        + "Too Happy,Some Artist,2001,pop,1.5,0.2,,en,\n"  # line 3: valence out of range
        + ",Nameless,2001,pop,0.1,0.2,,en,\n"  # line 4: empty title
        + "good song,SOME ARTIST,1999,pop,0.1,0.1,,en,\n"  # line 5: duplicate of line 2 (same key)
        + "Not a Number,Some Artist,2001,pop,abc,0.2,,en,\n"  # line 6: unparsable valence
        + "Future,Some Artist,3001,pop,0.1,0.2,,en,\n"  # line 7: implausible year
        + '"Comma, Title","Artist A, Artist B",2010,jazz;soft,-0.25,-0.5,,zxx,\n',  # line 8: fine
    )
    catalog = load_catalog(path)
    assert [t.title for t in catalog.tracks] == ["Good Song", "Comma, Title"]
    assert catalog.tracks[1].artist == "Artist A, Artist B"
    assert catalog.tracks[1].genres == ("jazz", "soft")
    assert catalog.tracks[0].id == track_key("Good Song", "Some Artist")
    problems = {p.line: p.message for p in catalog.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7]
    assert "valence" in problems[3]
    assert "empty" in problems[4]
    assert "duplicate" in problems[5]
    assert "year" in problems[7]
    assert str(catalog.problems[0]).startswith("line 3:")


def test_missing_required_column_raises(tmp_path):
    path = _write(tmp_path, "title,artist,year,genres,valence\nA Song,An Artist,2000,pop,0.5\n")
    with pytest.raises(CatalogError, match="arousal"):
        load_catalog(path)


def test_missing_file_and_empty_catalog_raise(tmp_path):
    with pytest.raises(CatalogError):
        load_catalog(tmp_path / "nope.csv")
    with pytest.raises(CatalogError, match="no valid tracks"):
        load_catalog(_write(tmp_path, HEADER + ",,,,,,,,\n", "empty.csv"))
