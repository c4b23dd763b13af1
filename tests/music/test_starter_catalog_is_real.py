"""The starter catalog lists real songs, and its valence agrees with independent labels.

Every (title, artist) of the starter catalog is looked up in the public music tables of the
shared data folder (``<shared_data>/music/``, see its README):

- ``data_moods.csv`` (``name``, ``artist``),
- ``songs_normalize.csv`` (``song``, ``artist``),
- ``spotify_music_dataset/{high,low}_popularity_spotify_data.csv`` (``track_name``,
  ``track_artist``; several artists comma-joined),
- ``deezer_mood_detection/{train,validation,test}.csv`` (``track_name``, ``artist_name``,
  ``valence``; joint credits joined with `` / ``).

These tables only check the catalog; the catalog was not built from them. Titles are compared
after folding case, accents and punctuation and after dropping decorations such as
" - Remastered 2011", "(feat. …)" or "(Live)"; artists match when either credit contains the
other (whole words), so "Queen, David Bowie" matches "Queen" and "Dr. Dre" matches
"Dr. Dre / Snoop Dogg".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from moodtune.music.catalog import starter_catalog

MIN_FOUND_SHARE = 0.50
MIN_DEEZER_OVERLAP = 30
MIN_DEEZER_SPEARMAN = 0.40

# (file under music/, title column, artist column, valence column or None)
SOURCES = (
    ("data_moods.csv", "name", "artist", None),
    ("songs_normalize.csv", "song", "artist", None),
    ("spotify_music_dataset/high_popularity_spotify_data.csv", "track_name", "track_artist", None),
    ("spotify_music_dataset/low_popularity_spotify_data.csv", "track_name", "track_artist", None),
    ("deezer_mood_detection/train.csv", "track_name", "artist_name", "valence"),
    ("deezer_mood_detection/validation.csv", "track_name", "artist_name", "valence"),
    ("deezer_mood_detection/test.csv", "track_name", "artist_name", "valence"),
)

_BRACKETS = re.compile(r"[(\[][^)\]]*[)\]]")
_FEATURING = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s+.*$", re.IGNORECASE)
_DASH_SUFFIX = re.compile(r"\s+[-–—]\s+.*$")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("Beyoncé & Jay-Z" → "beyonce and jay z")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def title_keys(title: str) -> set[str]:
    """The folded title, plus the folded title without suffixes and bracketed parts."""
    bare = _DASH_SUFFIX.sub("", title)
    bare = _FEATURING.sub("", _BRACKETS.sub(" ", bare))
    return {k for k in (fold(title), fold(bare)) if k}


def artist_names(credit: str) -> list[str]:
    """The whole credit and each credited artist, folded, without a leading "the"."""
    parts = [credit, *re.split(r",\s*|\s+/\s+|;\s*", credit)]
    names = []
    for part in parts:
        name = fold(part)
        name = name[4:] if name.startswith("the ") else name
        if len(name) >= 2 and name not in names:
            names.append(name)
    return names


def artists_match(ours: list[str], theirs: list[str]) -> bool:
    for a in ours:
        for b in theirs:
            if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
                return True
    return False


@dataclass(frozen=True)
class Entry:
    source: str
    artists: list[str]
    valence: float | None


def read_rows(path: Path, title_col: str, artist_col: str, valence_col: str | None) -> Iterator[tuple[str, Entry]]:
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            title, artist = (row.get(title_col) or "").strip(), (row.get(artist_col) or "").strip()
            if not title or not artist:
                continue
            valence = float(row[valence_col]) if valence_col and row.get(valence_col) else None
            yield title, Entry(path.name, artist_names(artist), valence)


@dataclass(frozen=True)
class Lookup:
    total: int
    found: int
    per_source: dict[str, int]
    deezer_pairs: list[tuple[float, float]] = field(repr=False)  # (our valence, Deezer valence)
    missing: list[str] = field(repr=False)

    @property
    def share(self) -> float:
        return self.found / self.total


@pytest.fixture(scope="module")
def lookup(shared_data: Path) -> Lookup:
    music = shared_data / "music"
    index: dict[str, list[Entry]] = defaultdict(list)
    for name, title_col, artist_col, valence_col in SOURCES:
        path = music / name
        if not path.is_file():
            pytest.skip(f"music table not found: {path}")
        for title, entry in read_rows(path, title_col, artist_col, valence_col):
            for key in title_keys(title):
                index[key].append(entry)

    catalog = starter_catalog()
    found, per_source, pairs, missing = 0, defaultdict(int), [], []
    for track in catalog.tracks:
        ours = artist_names(track.artist)
        matches: dict[int, Entry] = {}
        for key in title_keys(track.title):
            for entry in index.get(key, ()):
                if artists_match(ours, entry.artists):
                    matches[id(entry)] = entry
        if not matches:
            missing.append(f"{track.artist} - {track.title}")
            continue
        found += 1
        for source in {e.source for e in matches.values()}:
            per_source[source] += 1
        deezer = [e.valence for e in matches.values() if e.valence is not None]
        if deezer:
            pairs.append((track.valence, sum(deezer) / len(deezer)))
    result = Lookup(len(catalog), found, dict(per_source), pairs, missing)
    print(  # noqa: T201 - the measured numbers belong in the test log
        f"\nstarter catalog: {result.found}/{result.total} found ({result.share:.1%}); by file: {result.per_source}"
    )
    return result


def test_fold_and_title_keys():
    assert fold("Beyoncé & Jay-Z") == "beyonce and jay z"
    assert fold("Don't Stop Me Now") == "dont stop me now"
    assert "here comes the sun" in title_keys("Here Comes The Sun - Remastered 2009")
    assert "lean on" in title_keys("Lean On (feat. MØ & DJ Snake)")
    assert "satisfaction" in title_keys("(I Can't Get No) Satisfaction - Mono Version")
    assert artists_match(artist_names("Queen, David Bowie"), artist_names("Queen"))
    assert artists_match(artist_names("The Beatles"), artist_names("Beatles"))
    assert artists_match(artist_names("Dr. Dre, Snoop Dogg"), artist_names("Dr. Dre / Snoop Dogg"))
    assert not artists_match(artist_names("Sia"), artist_names("Asia"))


def test_most_starter_songs_are_found_in_public_catalogs(lookup: Lookup):
    message = (
        f"found {lookup.found}/{lookup.total} = {lookup.share:.1%} of the starter catalog in the shared "
        f"music tables (need ≥ {MIN_FOUND_SHARE:.0%}); by file: {lookup.per_source}"
    )
    print(message)  # noqa: T201
    assert lookup.share >= MIN_FOUND_SHARE, message


def test_valence_agrees_with_deezer_labels(lookup: Lookup):
    stats = pytest.importorskip("scipy.stats")
    ours = [p[0] for p in lookup.deezer_pairs]
    theirs = [p[1] for p in lookup.deezer_pairs]
    n = len(lookup.deezer_pairs)
    assert n >= MIN_DEEZER_OVERLAP, f"only {n} starter songs are in the Deezer mood dataset"
    rho = float(stats.spearmanr(ours, theirs).statistic)
    message = f"Spearman rho between our valence and Deezer valence = {rho:.3f} over {n} songs"
    print(message)  # noqa: T201
    assert rho >= MIN_DEEZER_SPEARMAN, f"{message} (need ≥ {MIN_DEEZER_SPEARMAN})"
