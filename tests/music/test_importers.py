"""Importers: every format on rows written here, malformed rows with line numbers, and the shared catalogs."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from moodtune.errors import CatalogError, InputError
from moodtune.music.catalog import track_key
from moodtune.music.importers import FIELDS, get_format, list_formats, normalise_genres, read_file, read_rows
from moodtune.music.track import AUDIO_FEATURES, MOODS


def _write(path: Path, header: list[str], rows: list[list[object]], *, newline: str = "\n") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _problems(result) -> dict[int, str]:
    return {p.line: p.message for p in result.problems}


def _audio_mood():
    """The audio-mood model the importers call for tracks with features but no valence/arousal."""
    return pytest.importorskip("moodtune.music.audio_mood", reason="the audio-mood model is not in this checkout")


def test_registry_lists_every_format():
    assert list_formats() == ["moods", "top-hits", "spotify-tracks", "muse", "deezer", "csv"]
    with pytest.raises(InputError, match="unknown catalog format"):
        get_format("mp3")
    with pytest.raises(InputError, match="only|csv"):
        get_format("deezer", {"a": "title"})


def test_genres_are_lower_case_split_and_spelled_as_the_mapping():
    assert normalise_genres("Dance/Electronic, hip hop,  R&B ,Lofi,pop, POP", ",") == (
        "dance",
        "electronic",
        "hip-hop",
        "r&b",
        "lo-fi",
        "pop",
    )
    assert normalise_genres("", ";") == ()


# --- deezer ------------------------------------------------------------------------------------

DEEZER_HEADER = ["dzr_sng_id", "MSD_sng_id", "MSD_track_id", "valence", "arousal", "artist_name", "track_name"]


def test_deezer_maps_standardised_labels_by_a_third(tmp_path):
    path = _write(
        tmp_path / "test.csv",
        DEEZER_HEADER,
        [
            [532171, "SOSDIDR12A8C130E5D", "TRGVJCD128F42623E3", -0.420759, 0.754643, "Fiona Apple", "Fast As You Can"],
            [1, "SOA", "TRA", 1.5, -2.334, "T. Rex / David Bowie", "Duet"],  # line 3
            [2, "SOB", "TRB", "abc", 0.1, "Someone", "Not A Number"],  # line 4
            [3, "SOC", "TRC", 3.2, 0.1, "Someone", "Beyond Three Sd"],  # line 5: outside ±3
            [4, "SOD", "TRD", 0.1, "", "Someone", "Half A Label"],  # line 6
            [1, "SOE", "TRE", 0.0, 0.0, "Again", "Same Deezer Id"],  # line 7: duplicate id
            [5, "SOF", "TRF", 0.3, 0.3, "AC/DC", "Slash Kept"],
        ],
    )
    result = read_file(path, "deezer")
    assert result.rows == 7 and len(result.tracks) + len(result.problems) == result.rows
    fiona, duet, acdc = result.tracks
    assert fiona.id == "deezer:532171" and fiona.source == "deezer"
    assert dict(fiona.external_ids) == {
        "deezer": "532171",
        "msd_song": "SOSDIDR12A8C130E5D",
        "msd_track": "TRGVJCD128F42623E3",
    }
    assert fiona.valence == pytest.approx(-0.420759 / 3) and fiona.arousal == pytest.approx(0.754643 / 3)
    assert not fiona.va_estimated and fiona.audio is None and fiona.popularity is None and fiona.genres == ()
    assert duet.artist == "T. Rex, David Bowie" and duet.arousal == pytest.approx(-2.334 / 3)
    assert acdc.artist == "AC/DC"
    problems = _problems(result)
    assert sorted(problems) == [4, 5, 6, 7]
    assert "valence" in problems[4] and "not a number" in problems[4]
    assert "outside" in problems[5]
    assert "together" in problems[6]
    assert "duplicate" in problems[7] and "line 3" in problems[7]


def test_missing_columns_name_them(tmp_path):
    path = _write(tmp_path / "train.csv", DEEZER_HEADER[:4] + DEEZER_HEADER[5:], [[1, "SO", "TR", 0.1, "A", "B"]])
    with pytest.raises(CatalogError, match="arousal"):
        read_file(path, "deezer")


# --- muse --------------------------------------------------------------------------------------

MUSE_HEADER = [
    "lastfm_url",
    "track",
    "artist",
    "seeds",
    "number_of_emotion_tags",
    "valence_tags",
    "arousal_tags",
    "dominance_tags",
    "mbid",
    "spotify_id",
    "genre",
]


def _muse(title: str, valence: object, arousal: object, *, mbid: str = "", spotify: str = "", genre: str = ""):
    url = f"https://www.last.fm/music/x/_/{title.replace(' ', '+')}"
    return [url, title, f"Artist {title}", "['seed']", 3, valence, arousal, 5.0, mbid, spotify, genre]


def test_muse_maps_the_warriner_scale_to_the_unit_square(tmp_path):
    path = _write(
        tmp_path / "muse_v3.csv",
        MUSE_HEADER,
        [
            _muse("Bright", 9.0, 5.0, spotify="4uLU6hMCjMI75M1A2tKUQC", genre="Indie Pop"),
            _muse("Dark", 1.0, 3.0, mbid="0c7ad2d3-0000-4000-8000-000000000001", genre="rock"),
            _muse("Plain", 5.5, 2.6),
            _muse("Too Low", 0.5, 5.0, genre="pop"),  # line 5: below the 1-9 scale
            _muse("No Tags", "", "", genre="pop"),  # line 6
        ],
    )
    result = read_file(path, "muse")
    bright, dark, plain = result.tracks
    assert (bright.valence, bright.arousal) == (1.0, 0.0)
    assert (dark.valence, dark.arousal) == (-1.0, -0.5)
    assert (plain.valence, plain.arousal) == pytest.approx((0.125, -0.6))
    assert bright.id == "spotify:4uLU6hMCjMI75M1A2tKUQC" and bright.spotify_id == "4uLU6hMCjMI75M1A2tKUQC"
    assert dark.id == "musicbrainz:0c7ad2d3-0000-4000-8000-000000000001"
    assert plain.id == track_key("Plain", "Artist Plain")
    assert dict(bright.external_ids)["lastfm"] == "https://www.last.fm/music/x/_/Bright"
    assert bright.genres == ("indie pop",) and plain.genres == ()
    problems = _problems(result)
    assert sorted(problems) == [5, 6]
    assert "outside [1, 9]" in problems[5]
    assert "no audio features" in problems[6]


# --- generic csv ---------------------------------------------------------------------------------


def test_csv_with_map(tmp_path):
    path = _write(
        tmp_path / "mine.csv",
        ["name", "singer", "v", "a", "kind", "pop", "secs"],
        [
            ["Song One", "Singer", 0.5, -0.25, "Jazz;Soft", 0.4, 200],
            ["Song Two", "Singer", 1.5, 0.0, "jazz", 0.4, 200],  # line 3
            ["Song Three", "Other", 0.1, 0.1, "", 1.4, 180],  # line 4: popularity on 0-1
        ],
    )
    mapping = {
        "name": "title",
        "singer": "artist",
        "v": "valence",
        "a": "arousal",
        "kind": "genres",
        "pop": "popularity",
        "secs": "duration_s",
    }
    result = read_file(path, "csv", mapping=mapping)
    (one,) = result.tracks
    assert (one.title, one.artist, one.valence, one.arousal) == ("Song One", "Singer", 0.5, -0.25)
    assert one.genres == ("jazz", "soft") and one.popularity == 0.4 and one.duration_s == 200
    assert one.source == "mine"  # a csv file's source is its name
    problems = _problems(result)
    assert "valence" in problems[3] and "popularity" in problems[4]
    with pytest.raises(CatalogError, match="title"):
        read_file(path, "csv")  # no column is named title without the map
    with pytest.raises(InputError, match="unknown fields"):
        read_file(path, "csv", mapping={"name": "song_title"})
    with pytest.raises(InputError, match="more than one"):
        read_file(path, "csv", mapping={"name": "title", "singer": "title"})


def test_every_field_has_a_place():
    assert len(set(FIELDS)) == len(FIELDS)
    assert set(AUDIO_FEATURES) <= set(FIELDS)


def test_malformed_lines_keep_their_numbers(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "title,artist,valence,arousal\n"
        '"Two\nLines",Poet,0.1,0.2\n'  # lines 2-3: a quoted newline
        "\n"  # line 4: blank, not a row
        "Too,Many,0.1,0.2,extra\n"  # line 5
        "Too Few,0.1\n"  # line 6
        "Fine,Band,-0.5,0.5\n"  # line 7
        "Mood Only,Band,,,\n",  # line 8: five fields
        encoding="utf-8",
    )
    result = read_file(path, "csv")
    assert [t.title for t in result.tracks] == ["Two\nLines".replace("\n", " "), "Fine"]
    problems = _problems(result)
    assert sorted(problems) == [5, 6, 8]
    assert "5 fields" in problems[5] and "2 fields" in problems[6]
    assert result.rows == 5


def test_unreadable_files_raise(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        read_file(tmp_path / "missing.csv", "csv")
    latin1_header = tmp_path / "latin1.csv"
    latin1_header.write_bytes("titr\xe9,artist,valence,arousal\nCafe,B,0.1,0.1\n".encode("latin-1"))
    with pytest.raises(CatalogError, match=r"header \(line 1\) is not UTF-8"):
        read_file(latin1_header, "csv")
    huge_header = tmp_path / "huge.csv"
    huge_header.write_text("title,artist,valence,arousal," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="header"):
        read_file(huge_header, "csv")
    with pytest.raises(CatalogError, match="empty"):
        read_file(_write(tmp_path / "empty.csv", [], []), "csv")


HEADER = "title,artist,valence,arousal\n"


def _lines_kept(result) -> list[str]:
    return [t.title for t in result.tracks]


def test_an_unclosed_quote_costs_its_own_row_only(tmp_path):
    path = tmp_path / "quote.csv"
    rows = "".join(f"Song {i},Band,0.1,0.1\n" for i in range(30))
    path.write_text(HEADER + 'Broken "quote,Band,0.1,0.1\n"Open quote,Band,0.1,0.1\n' + rows, encoding="utf-8")
    result = read_file(path, "csv")
    assert _lines_kept(result) == ["Broken \"quote"] + [f"Song {i}" for i in range(30)]
    assert [(line, "quote" in message) for line, message in _problems(result).items()] == [(3, True)]


def test_a_quoted_line_break_inside_a_field_is_still_one_row(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text(HEADER + '"Two\nlines",Band,0.1,0.1\nNext,Band,0.2,0.2\n', encoding="utf-8")
    result = read_file(path, "csv")
    # The title's whitespace, line break included, is normalised as any title's is.
    assert _lines_kept(result) == ["Two lines", "Next"] and result.problems == ()


def test_bad_bytes_and_huge_fields_cost_their_own_line_only(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEADER.encode()
        + b"Caf\xe9,Band,0.1,0.1\n"
        + b"Fine,Band,0.1,0.1\n"
        + ("Huge " + "x" * 200_000 + ",Band,0.1,0.1\n").encode()
        + b"Also fine,Band,0.2,0.2\n"
    )
    result = read_file(path, "csv")
    assert _lines_kept(result) == ["Fine", "Also fine"]
    reasons = _problems(result)
    assert sorted(reasons) == [2, 4]
    assert "not UTF-8" in reasons[2] and "0xe9" in reasons[2] and "columns" in reasons[4]


def test_progress_reaches_the_file_size(tmp_path):
    rows = [[f"Song {i}", "Band", 0.1, 0.1] for i in range(5000)]
    path = _write(tmp_path / "many.csv", ["title", "artist", "valence", "arousal"], rows, newline="\r\n")
    seen: list[tuple[int, int]] = []
    result = read_file(path, "csv", progress=lambda done, total: seen.append((done, total)))
    assert len(result.tracks) == 5000
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 2


def test_read_rows_numbers_dict_rows():
    result = read_rows(
        [{"title": "A", "artist": "B", "valence": "0.1", "arousal": "0.2"}, {"title": "", "artist": "B"}], "csv"
    )
    assert len(result.tracks) == 1 and result.problems[0].line == 3
    assert read_rows([], "csv").rows == 0


# --- formats with audio features: valence/arousal from the audio-mood model ------------------------

MOODS_HEADER = (
    "name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
    "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood"
).split(",")


def test_moods_keeps_the_label_and_estimates_valence_arousal(tmp_path):
    audio_mood = _audio_mood()
    path = _write(
        tmp_path / "data_moods.csv",
        MOODS_HEADER,
        [
            ["1999", "1999", "Prince", "2H7PHVdQ3mXqEHXcvclTB0", "1982-10-27", 68, 379266, 0.866, 0.137, 0.73, 0.0,
             0.0843, 0.625, -8.201, 0.0767, 118.523, 5, 4, "Happy"],
            ["Quiet", "Q", "Pianist", "0000000000000000000001", "2001", 10, 200000, 0.2, 0.99, 0.05, 0.9,
             0.1, 0.05, -30.0, 0.04, 70.0, -1, 3, "calm"],
            ["Loud", "L", "Band", "0000000000000000000002", "2001-13", 10, 200000, 0.5, 0.1, 0.9, 0.0,
             0.1, 0.5, -4.0, 0.05, 150.0, 2, 4, "Energetic"],  # line 4: not a date
            ["Odd", "O", "Band", "0000000000000000000003", "2001", 10, 200000, 0.5, 0.1, 0.9, 0.0,
             0.1, 0.5, -4.0, 0.05, 150.0, 2, 4, "Angry"],  # line 5: not a mood of the set
        ],
    )  # fmt: skip
    result = read_file(path, "moods")
    prince, quiet = result.tracks
    assert prince.id == "spotify:2H7PHVdQ3mXqEHXcvclTB0" and prince.spotify_id == "2H7PHVdQ3mXqEHXcvclTB0"
    assert (prince.year, prince.popularity, prince.duration_s, prince.album) == (1982, 0.68, 379.266, "1999")
    assert prince.mood == "Happy" and prince.mood_probability is None  # the data set's label, not a model's
    assert quiet.mood == "Calm"
    features = dict(zip(AUDIO_FEATURES, prince.audio, strict=True))
    assert features["danceability"] == 0.866 and features["loudness"] == -8.201 and math.isnan(features["mode"])
    assert math.isnan(dict(zip(AUDIO_FEATURES, quiet.audio, strict=True))["key"])  # -1: no key detected
    assert result.estimated == 2 and prince.va_estimated and quiet.va_estimated
    expected = audio_mood.estimate_mood(__import__("numpy").array([prince.audio, quiet.audio], dtype=float))
    assert (prince.valence, prince.arousal) == pytest.approx((expected.valence[0], expected.arousal[0]))
    assert quiet.arousal < prince.arousal  # a quiet acoustic piece is calmer than a dance track
    problems = _problems(result)
    assert "year" in problems[4] and "mood" in problems[5]


TOP_HITS_HEADER = (
    "artist,song,duration_ms,explicit,year,popularity,danceability,energy,key,loudness,mode,speechiness,"
    "acousticness,instrumentalness,liveness,valence,tempo,genre"
).split(",")


def test_top_hits_genres_and_duplicates(tmp_path):
    audio_mood = _audio_mood()
    row = ["Britney Spears", "Oops!...I Did It Again", 211160, "False", 2000, 77, 0.751, 0.834, 1, -5.444, 0,
           0.0437, 0.3, 1.77e-05, 0.355, 0.894, 95.053, "pop"]  # fmt: skip
    path = _write(
        tmp_path / "songs_normalize.csv",
        TOP_HITS_HEADER,
        [
            row,
            ["blink-182", "All The Small Things", 167066, "False", 1999, 79, 0.434, 0.897, 0, -4.918, 1, 0.0488,
             0.0103, 0.0, 0.612, 0.684, 148.726, "rock, pop"],
            ["DJ", "Track", 200000, "False", 2005, 0, 0.7, 0.9, 11, -5.0, 1, 0.05, 0.01, 0.5, 0.1, 0.4, 0.0,
             "Dance/Electronic, hip hop"],
            ["Nobody", "No Genre", 200000, "False", 2005, 50, 0.5, 0.5, 5, -5.0, 1, 0.05, 0.1, 0.0, 0.1, 0.4, 120.0,
             "set()"],
            row[:1] + ["OOPS!... I did it again"] + row[2:],  # line 6: the same track, other spelling
            ["Band", "Bad Mode", 200000, "False", 2005, 50, 0.5, 0.5, 5, -5.0, 2, 0.05, 0.1, 0.0, 0.1, 0.4, 120.0,
             "pop"],  # line 7: mode 2
        ],
    )  # fmt: skip
    result = read_file(path, "top-hits")
    britney, blink, dj, nobody = result.tracks
    assert britney.id == track_key("Oops!...I Did It Again", "Britney Spears")
    assert blink.genres == ("rock", "pop") and dj.genres == ("dance", "electronic", "hip-hop") and nobody.genres == ()
    assert dj.popularity == 0.0 and math.isnan(dict(zip(AUDIO_FEATURES, dj.audio, strict=True))["tempo"])
    assert all(t.mood in MOODS and 0 <= (t.mood_probability or 0) <= 1 for t in result.tracks)
    assert all(t.va_estimated for t in result.tracks) and audio_mood is not None
    problems = _problems(result)
    assert sorted(problems) == [6, 7]
    assert "duplicate" in problems[6] and "line 2" in problems[6]
    assert "mode" in problems[7]


SPOTIFY_HEADER = (
    "energy,tempo,danceability,playlist_genre,loudness,liveness,valence,track_artist,time_signature,speechiness,"
    "track_popularity,track_href,uri,track_album_name,playlist_name,analysis_url,track_id,track_name,"
    "track_album_release_date,instrumentalness,track_album_id,mode,key,duration_ms,acousticness,id,"
    "playlist_subgenre,type,playlist_id"
).split(",")


def _spotify_row(track_id: str, name: str, artist: str, genre: str, **overrides: object) -> list[object]:
    values: dict[str, object] = dict(
        energy=0.592, tempo=157.969, danceability=0.521, playlist_genre=genre, loudness=-7.777, liveness=0.122,
        valence=0.535, track_artist=artist, time_signature=3, speechiness=0.0304, track_popularity=100,
        track_href="", uri=f"spotify:track:{track_id}", track_album_name="NA", playlist_name="P",
        analysis_url="", track_id=track_id, track_name=name, track_album_release_date="2024-08-16",
        instrumentalness=0, track_album_id="x", mode=0, key=6, duration_ms=251668, acousticness=0.308,
        id=track_id, playlist_subgenre="mainstream", type="audio_features", playlist_id="p",
    )  # fmt: skip
    values.update(overrides)
    return [values[c] for c in SPOTIFY_HEADER]


def test_spotify_music_dataset_merges_playlist_genres(tmp_path):
    _audio_mood()
    path = _write(
        tmp_path / "high_popularity_spotify_data.csv",
        SPOTIFY_HEADER,
        [
            _spotify_row("2plbrEY59IikOBgBGLjaoe", "Die With A Smile", "Lady Gaga, Bruno Mars", "pop"),
            _spotify_row("2plbrEY59IikOBgBGLjaoe", "Die With A Smile", "Lady Gaga, Bruno Mars", "Lofi"),  # line 3
            _spotify_row("0000000000000000000009", "Make It", "Berhanio", "lofi", **dict.fromkeys(
                ("energy", "tempo", "danceability", "loudness", "liveness", "valence", "speechiness",
                 "instrumentalness", "mode", "key", "acousticness", "duration_ms"), "")),  # line 4
        ],
    )  # fmt: skip
    result = read_file(path, "spotify-tracks")
    (smile,) = result.tracks
    assert smile.album == "NA" and smile.artist == "Lady Gaga, Bruno Mars" and smile.popularity == 1.0
    assert smile.genres == ("pop", "lo-fi")  # the second playlist's genre was merged
    problems = _problems(result)
    assert "duplicate" in problems[3] and "lo-fi" in problems[3]
    assert "no audio features" in problems[4]


def test_spotify_tracks_dataset_layout(tmp_path):
    _audio_mood()
    header = ["", "track_id", "artists", "album_name", "track_name", "popularity", "duration_ms", "explicit",
              *AUDIO_FEATURES[:2], "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness",
              "liveness", "valence", "tempo", "time_signature", "track_genre"]  # fmt: skip
    path = _write(
        tmp_path / "dataset.csv",
        header,
        [
            [0, "5SuOikwiRyPMVoIQDJUgSV", "Gen Hoshino", "Comedy", "Comedy", 73, 230666, "False", 0.676, 0.461, 1,
             -6.746, 0, 0.143, 0.0322, 1.01e-06, 0.358, 0.715, 87.917, 4, "acoustic"],
            [1, "4qPNDBW1i3p13qLCt0Ki3A", "Ben Woodward;Kina Grannis", "Ghost", "Ghost - Acoustic", 55, 149610,
             "False", 0.42, 0.166, 1, -17.235, 1, 0.0763, 0.924, 5.56e-06, 0.101, 0.267, 77.489, 4, "acoustic"],
            [2, "1iJBSr7s7jYXzM8EGcbK5b", "", "", "", 0, 0, "False", 0.5, 0.5, 0, -10, 1, 0.1, 0.1, 0, 0.1, 0.5,
             100, 4, "k-pop"],  # line 4: no artist or title
        ],
    )  # fmt: skip
    result = read_file(path, "spotify-tracks")
    comedy, ghost = result.tracks
    assert ghost.artist == "Ben Woodward, Kina Grannis" and ghost.genres == ("acoustic",)
    assert comedy.year is None and comedy.duration_s == 230.666
    assert "empty" in _problems(result)[4]


# --- the shared catalogs: every row imported or reported -------------------------------------------

SHARED = [
    ("deezer_mood_detection/train.csv", "deezer", 11267),
    ("deezer_mood_detection/validation.csv", "deezer", 3863),
    ("deezer_mood_detection/test.csv", "deezer", 3514),
    ("data_moods.csv", "moods", 686),
    ("songs_normalize.csv", "top-hits", 2000),
    ("spotify_music_dataset/high_popularity_spotify_data.csv", "spotify-tracks", 1686),
    ("spotify_music_dataset/low_popularity_spotify_data.csv", "spotify-tracks", 3145),
]


@pytest.mark.parametrize(("name", "fmt", "rows"), SHARED, ids=[s[0].split("/")[-1] for s in SHARED])
def test_shared_catalogs_import_every_row_or_report_it(shared_data, name, fmt, rows):
    if fmt != "deezer":
        _audio_mood()
    result = read_file(shared_data / "music" / name, fmt)
    assert result.rows == rows
    assert len(result.tracks) == rows - len(result.problems)
    assert len({t.id for t in result.tracks}) == len(result.tracks)
    assert all(-1 <= t.valence <= 1 and -1 <= t.arousal <= 1 for t in result.tracks)
    reasons = [p.message for p in result.problems]
    if fmt in ("deezer", "moods"):
        assert reasons == []  # these files have no bad or repeated rows
    elif fmt == "top-hits":
        # 74 rows repeat an (artist, song) pair; one more pair differs only in letter case.
        assert len(reasons) == 75 and all("duplicate" in r for r in reasons)
    elif "high" in name:
        assert len(reasons) == 249 and all("duplicate" in r for r in reasons)
    else:  # low: 44 repeated ids and Berhanio's "Make It" without audio features
        assert len(reasons) == 45 and sum("no audio features" in r for r in reasons) == 1
