"""``moodtune catalog import|list|stats|search`` and the ``--catalog`` option of the other commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moodtune.config import get_settings
from moodtune.delivery.api import Settings
from moodtune.delivery.cli import app
from moodtune.delivery.cli.catalog import CatalogFormat, parse_map
from moodtune.errors import InputError
from moodtune.music.catalog import starter_catalog
from moodtune.music.importers import list_formats
from moodtune.music.store import CATALOG_ENV_VAR, open_catalog

runner = CliRunner()

DEEZER_HEADER = ["dzr_sng_id", "MSD_sng_id", "MSD_track_id", "valence", "arousal", "artist_name", "track_name"]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Every command here uses a temporary data folder and no MOODTUNE_CATALOG."""
    path = tmp_path / "data"
    monkeypatch.setenv("MOODTUNE_DATA_DIR", str(path))
    monkeypatch.delenv(CATALOG_ENV_VAR, raising=False)
    return path


def _deezer(tmp_path: Path, n: int = 6, bad: int = 0) -> Path:
    path = tmp_path / "test.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DEEZER_HEADER)
        for i in range(n):
            writer.writerow(
                [1000 + i, f"SO{i}", f"TR{i}", -1.5 + 0.5 * i, 1.2 - 0.4 * i, f"Artist {i}", f"Sadness {i}"]
            )
        for i in range(bad):
            writer.writerow([2000 + i, "SO", "TR", "n/a", 0.0, "Broken", f"Bad {i}"])
        writer.writerow([5000, "SO", "TR", 0.3, 0.3, "Beyoncé", "Halo"])
    return path


def _run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_format_choices_are_the_importers():
    assert [f.value for f in CatalogFormat] == list_formats()


def test_import_reports_problems_and_counts(tmp_path):
    db = tmp_path / "mine.db"
    result = _run("catalog", "import", _deezer(tmp_path, bad=3), "--format", "deezer", "--catalog", db, "--show", 2)
    assert result.exit_code == 0, result.output
    assert "imported 7 of 10 rows" in result.stdout and "3 rows skipped" in result.stdout
    assert "line 8: valence 'n/a' is not a number" in result.stderr
    assert "line 9" in result.stderr and "line 10" not in result.stderr and "… and 1 more" in result.stderr
    assert len(open_catalog(db)) == 7
    again = _run("catalog", "import", _deezer(tmp_path), "--format", "deezer", "--catalog", db)
    assert again.exit_code == 0 and "0 new, 7 replaced" in again.stdout


def test_import_with_map(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,by,v,a\nSong,Band,0.5,-0.5\n", encoding="utf-8")
    db = tmp_path / "mine.db"
    args = ("catalog", "import", path, "--format", "csv", "--catalog", db)
    result = _run(*args, "--map", "name=title", "--map", "by=artist", "--map", "v=valence", "--map", "a=arousal")
    assert result.exit_code == 0, result.output
    track = open_catalog(db).track(0)
    assert (track.title, track.artist, track.valence, track.arousal, track.source) == (
        "Song",
        "Band",
        0.5,
        -0.5,
        "mine",
    )
    assert _run(*args, "--map", "name").exit_code == 2  # not col=field
    assert _run(*args, "--map", "name=song").exit_code == 2  # no such field
    assert _run("catalog", "import", path, "--format", "deezer", "--catalog", db, "--map", "a=b").exit_code == 2


def test_parse_map():
    assert parse_map(["a=title", " b = artist "]) == {"a": "title", "b": "artist"}
    for bad in (["a"], ["=title"], ["a=title", "a=artist"]):
        with pytest.raises(InputError):
            parse_map(bad)


def test_unusable_files_exit_3_and_write_nothing(tmp_path):
    db = tmp_path / "mine.db"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    result = _run("catalog", "import", wrong, "--format", "deezer", "--catalog", db)
    assert result.exit_code == 3 and "missing columns" in result.stderr and "Traceback" not in result.output
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text(",".join(DEEZER_HEADER) + "\n1,SO,TR,x,0,A,B\n", encoding="utf-8")
    result = _run("catalog", "import", only_bad, "--format", "deezer", "--catalog", db)
    assert result.exit_code == 3 and "line 2" in result.stderr
    assert not db.exists()
    assert _run("catalog", "import", tmp_path / "nope.csv", "--format", "csv").exit_code == 2


def test_default_database_is_seeded_on_first_import(tmp_path, data_dir):
    stats = json.loads(_run("catalog", "stats", "--json").stdout)
    assert stats["tracks"] == len(starter_catalog()) and stats["per_source"] == {"starter": stats["tracks"]}
    assert not data_dir.exists()  # reading the default writes nothing
    result = _run("catalog", "import", _deezer(tmp_path), "--format", "deezer")
    assert result.exit_code == 0 and "created with the starter catalog" in result.stdout
    assert (data_dir / "catalog.db").is_file()
    stats = json.loads(_run("catalog", "stats", "--json").stdout)
    assert stats["per_source"] == {"starter": len(starter_catalog()), "deezer": 7}
    assert stats["va_from_data"] == stats["tracks"] and stats["with_audio"] == 0
    starter_ids = [str(i) for i in starter_catalog().ids[:2]]
    clash = tmp_path / "clash.csv"  # a csv whose ids are the starter's own
    clash.write_text(f"id,title,artist,valence,arousal\n{starter_ids[0]},X,Y,0.9,0.9\n", encoding="utf-8")
    result = _run("catalog", "import", clash, "--format", "csv")
    assert (
        result.exit_code == 0 and "0 new, 0 replaced" in result.stdout and "left 1 tracks as they were" in result.stdout
    )
    assert open_catalog().track(0) == starter_catalog().track(0)  # the curated track stays


def test_list_search_and_stats(tmp_path):
    db = tmp_path / "mine.db"
    assert _run("catalog", "import", _deezer(tmp_path), "--format", "deezer", "--catalog", db).exit_code == 0
    listed = json.loads(_run("catalog", "list", "--limit", 3, "--catalog", db, "--json").stdout)
    assert listed["total"] == 7 and [t["title"] for t in listed["tracks"]] == ["Sadness 0", "Sadness 1", "Sadness 2"]
    found = json.loads(_run("catalog", "search", "BEYONCE halo", "--catalog", db, "--json").stdout)
    assert [t["artist"] for t in found["tracks"]] == ["Beyoncé"]
    human = _run("catalog", "search", "sadness", "--catalog", db, "-n", 2)
    assert human.exit_code == 0 and "2 of 6 tracks" in human.stdout
    stats = _run("catalog", "stats", "--catalog", db)
    assert stats.exit_code == 0 and "7 tracks" in stats.stdout and "deezer" in stats.stdout
    missing = _run("catalog", "list", "--catalog", tmp_path / "missing.db")
    assert missing.exit_code == 3 and "no catalog database" in missing.stderr


def test_recommend_uses_the_named_catalog(tmp_path, monkeypatch):
    db = tmp_path / "mine.db"
    assert _run("catalog", "import", _deezer(tmp_path), "--format", "deezer", "--catalog", db).exit_code == 0
    ids = {f"Sadness {i}" for i in range(6)} | {"Halo"}
    result = _run("recommend", "--mood", "sad", "-k", 3, "--json", "--catalog", db)
    assert result.exit_code == 0, result.output
    titles = [t["title"] for t in json.loads(result.stdout)["tracks"]]
    assert len(titles) == 3 and set(titles) <= ids
    monkeypatch.setenv(CATALOG_ENV_VAR, str(db))  # the variable works the same
    get_settings.cache_clear()  # settings are read once per process; this is a new one
    titles = [t["title"] for t in json.loads(_run("recommend", "--mood", "happy", "-k", 2, "--json").stdout)["tracks"]]
    assert set(titles) <= ids
    assert _run("recommend", "--mood", "sad", "--catalog", tmp_path / "missing.db").exit_code == 3


@pytest.mark.parametrize("command", [("serve", "--port", "1"), ("live", "--source", "missing.mp4")])
def test_serve_and_live_refuse_a_missing_catalog_before_starting(tmp_path, command):
    result = _run(*command, "--catalog", tmp_path / "missing.db")
    assert result.exit_code == 3 and "no catalog database" in result.stderr


def test_api_opens_the_catalog_from_the_settings(tmp_path, make_client, fake_model, monkeypatch):
    db = tmp_path / "mine.db"
    assert _run("catalog", "import", _deezer(tmp_path), "--format", "deezer", "--catalog", db).exit_code == 0
    monkeypatch.setenv(CATALOG_ENV_VAR, str(db))
    settings = Settings()
    assert settings.catalog == str(db)
    client = make_client(settings)
    assert client.get("/api/v1/health").json()["catalog_size"] == 7
    hits = client.get("/api/v1/catalog/search", params={"q": "beyonce"}).json()
    assert hits["total"] == 1 and hits["tracks"][0]["id"] == "deezer:5000"
    recs = client.post("/api/v1/recommend", json={"mood": "sad", "k": 2}).json()["tracks"]
    assert all(t["id"].startswith("deezer:") for t in recs)
    feedback = client.post(
        "/api/v1/feedback", json={"user_id": "u1", "track_id": "deezer:5000", "action": "like", "emotion": "sad"}
    )
    assert feedback.status_code == 201
