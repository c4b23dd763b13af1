"""The emotion → genre mapping: packaged defaults, user files, validation, and that edits change results."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import pytest

from moodtune.affect import EMOTIONS, AffectState
from moodtune.config import get_settings
from moodtune.errors import CatalogError, InputError
from moodtune.music import Catalog, EmotionMapping, Track, load_mapping, recommend
from moodtune.music.mapping import MAPPING_ENV_VAR, default_mapping


def _write(tmp_path: Path, body: str, name: str = "genres.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _track(id: str, genre: str) -> Track:
    return Track(id=id, title=f"Song {id}", artist=f"Artist {id}", year=2001, genres=(genre,), valence=0.8, arousal=0.5)


def test_packaged_mapping_has_the_documented_defaults() -> None:
    mapping = load_mapping()
    assert set(mapping.weights) == set(EMOTIONS)
    assert mapping.genres("happy") == ("pop", "dance")
    assert mapping.genres("sad") == ("soft", "classical", "blues")
    assert mapping.genres("angry") == ("rock", "metal")
    assert mapping.genres("fear") == ("ambient", "instrumental", "chill")
    assert mapping.genres("surprise") == ("electronic", "experimental", "jazz")
    assert mapping.genres("neutral") == ("acoustic", "lo-fi", "indie")
    assert mapping.genres("disgust")
    assert all(w == 1.0 for genres in mapping.weights.values() for w in genres.values())


def test_a_copy_of_the_packaged_file_loads_the_same(tmp_path: Path) -> None:
    text = (resources.files("moodtune.music") / "data" / "emotion_genres.toml").read_text(encoding="utf-8")
    copy = load_mapping(_write(tmp_path, text))
    assert {e: dict(g) for e, g in copy.weights.items()} == {e: dict(g) for e, g in load_mapping().weights.items()}
    assert copy.source.endswith("genres.toml")


def test_weights_table_and_case_are_normalised(tmp_path: Path) -> None:
    path = _write(tmp_path, '[genres]\nHappy = { Pop = 1.0, dance = 0.5 }\nsad = ["Blues "]\n')
    mapping = load_mapping(str(path))
    assert dict(mapping.weights["happy"]) == {"pop": 1.0, "dance": 0.5}
    assert mapping.genres("sad") == ("blues",)


def test_missing_emotions_mean_no_preference_and_are_logged(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="moodtune.music.mapping"):
        mapping = load_mapping(_write(tmp_path, '[genres]\nhappy = ["pop"]\n'))
    assert mapping.genres("angry") == ()
    assert "no genres for" in caplog.text


def test_genre_weights_blend_by_emotion_share() -> None:
    blended = load_mapping().genre_weights({"sad": 0.6, "neutral": 0.4})
    assert blended["soft"] == pytest.approx(0.6)
    assert blended["acoustic"] == pytest.approx(0.4)
    assert "pop" not in blended


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('[genres]\nhungry = ["pop"]\n', "genres.hungry"),
        ('[genres]\nhappy = "pop"\n', "genres.happy"),
        ("[genres]\nhappy = 3\n", "genres.happy"),
        ('[genres]\nhappy = ["pop", 3]\n', "genres.happy"),
        ('[genres]\nhappy = ["pop", "Pop"]\n', "genres.happy"),
        ("[genres]\nhappy = { pop = 1.5 }\n", "genres.happy"),
        ("[genres]\nhappy = { pop = 0 }\n", "genres.happy"),
        ("[genres]\nhappy = { pop = true }\n", "genres.happy"),
        ('genres = ["pop"]\n', "[genres]"),
        ('[genre]\nhappy = ["pop"]\n', "top-level"),
        ('[genres]\nhappy = ["pop"\n', "TOML"),
        ("title = 'no genres'\n", "top-level"),
    ],
)
def test_malformed_files_name_the_file_and_key(tmp_path: Path, body: str, fragment: str) -> None:
    path = _write(tmp_path, body, name="broken.toml")
    with pytest.raises(CatalogError) as info:
        load_mapping(path)
    assert "broken.toml" in str(info.value)
    assert fragment in str(info.value)


def test_only_genres_table_missing(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"\[genres\]"):
        load_mapping(_write(tmp_path, ""))


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="nope.toml"):
        load_mapping(tmp_path / "nope.toml")


def test_non_path_argument_is_an_input_error() -> None:
    with pytest.raises(InputError):
        load_mapping(42)  # type: ignore[arg-type]


def test_from_dict_validates_with_input_error() -> None:
    assert EmotionMapping.from_dict({"happy": ["pop"]}).genres("happy") == ("pop",)
    with pytest.raises(InputError, match="hungry"):
        EmotionMapping.from_dict({"hungry": ["pop"]})
    with pytest.raises(InputError):
        load_mapping().genres("hungry")


def test_default_mapping_honours_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(MAPPING_ENV_VAR, raising=False)
    assert default_mapping().genres("happy") == ("pop", "dance")
    path = _write(tmp_path, '[genres]\nhappy = ["polka"]\n')
    monkeypatch.setenv(MAPPING_ENV_VAR, str(path))
    get_settings.cache_clear()  # the variable is read once per process; start a new one
    assert default_mapping().genres("happy") == ("polka",)
    assert default_mapping().source == str(path)


def test_an_edited_mapping_changes_the_recommendations(tmp_path: Path, monkeypatch) -> None:
    # Same mood coordinates, so only the genre preference can separate them.
    catalog = Catalog.from_tracks((_track("a", "polka"), _track("b", "pop")))
    happy = AffectState.from_emotion("happy")
    monkeypatch.delenv(MAPPING_ENV_VAR, raising=False)
    assert recommend(happy, k=1, catalog=catalog)[0].track.id == "b"

    path = _write(tmp_path, '[genres]\nhappy = ["polka"]\n')
    custom = load_mapping(path)
    top = recommend(happy, k=1, catalog=catalog, mapping=custom)[0]
    assert top.track.id == "a"
    assert "polka" in top.reason

    monkeypatch.setenv(MAPPING_ENV_VAR, str(path))
    get_settings.cache_clear()
    assert recommend(happy, k=1, catalog=catalog)[0].track.id == "a"
