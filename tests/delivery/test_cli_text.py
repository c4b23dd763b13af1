"""What the ``moodtune`` command prints of user and data text: as written, on whole lines, links intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moodtune.delivery.cli import app

runner = CliRunner()


def _run(*args: object, columns: int = 80):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})


@pytest.mark.parametrize("name", ["my[/b]photo.jpg", "photo[final].jpg", "[bold red]x[/].png"])
def test_a_missing_photo_is_named_as_written(tmp_path, name):
    photo = tmp_path / name
    result = _run("recommend", "--image", photo)
    assert result.exit_code == 3, result.output
    assert result.stderr == f"error: {photo}: no such file\n"


def test_wrong_usage_still_exits_2_with_one_error_line():
    result = _run("recommend")
    assert result.exit_code == 2
    assert result.stderr == "error: give exactly one of --image or --mood, or --text (alone or with --image)\n"


def _long_path(tmp_path: Path) -> Path:
    path = tmp_path / ("d" * 100) / ("e" * 100) / ("f" * 100)
    assert len(str(path)) > 300
    return path


@pytest.mark.parametrize(
    ("args", "ending"),
    [
        (("recommend", "--image", "{path}.jpg"), ": no such file"),
        (("eval-recs", "--data", "{path}"), ": not a folder"),
        (("recommend", "--mood", "sad", "--catalog", "{path}.db"), ""),
    ],
)
def test_an_error_naming_a_long_path_is_one_unbroken_line(tmp_path, args, ending):
    path = str(_long_path(tmp_path))
    result = _run(*(a.format(path=path) for a in args))
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith(ending)
    assert path in lines[0]


def _bracket_catalog(tmp_path: Path) -> Path:
    source = tmp_path / "songs.csv"
    source.write_text(
        "title,artist,genres,valence,arousal\n"
        "Hold On [feat. X],The [Band],[soul],-0.6,-0.3\n"
        "Plain Song,Somebody,pop,-0.5,-0.2\n",
        encoding="utf-8",
    )
    db = tmp_path / "brackets.db"
    imported = _run("catalog", "import", source, "--format", "csv", "--catalog", db)
    assert imported.exit_code == 0, imported.output
    return db


def test_titles_in_brackets_are_shown_as_written(tmp_path):
    db = _bracket_catalog(tmp_path)
    shown = _run("recommend", "--mood", "sad", "-k", 2, "--catalog", db, columns=200)
    assert shown.exit_code == 0, shown.output
    assert "Hold On [feat. X] — The [Band]" in shown.stdout and "[soul]" in shown.stdout
    found = _run("catalog", "search", "hold", "--catalog", db, columns=200)
    assert found.exit_code == 0 and "Hold On [feat. X] — The [Band]" in found.stdout


def test_every_link_is_whole_at_80_columns(tmp_path):
    args = ("recommend", "--mood", "sad", "--strategy", "journey", "-k", 6)
    links = [url for t in json.loads(_run(*args, "--json").stdout)["tracks"] for url in t["links"].values()]
    assert len(links) == 12
    shown = _run(*args)
    assert shown.exit_code == 0, shown.output
    table = [line for line in shown.stdout.splitlines() if line[:1] in "┏┃┡│└"]
    assert table and max(len(line) for line in table) <= 80  # the terminal width was applied
    lines = shown.stdout.splitlines()
    for url in links:
        assert any(line.split()[-1] == url for line in lines), url
