"""``moodtune.settings``: every ``MOODTUNE_*`` variable, read once, and explicit arguments win."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pydantic import ValidationError

import moodtune.pipeline
from moodtune.config import cache_dir, data_dir, get_settings
from moodtune.errors import InputError, ModelError
from moodtune.perception.expression import DEFAULT_MODEL, load_expression_model
from moodtune.perception.faces import DEFAULT_DETECTOR, Face
from moodtune.perception.images import DEFAULT_MAX_PIXELS
from moodtune.pipeline import analyze_image
from moodtune.settings import Settings


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("MOODTUNE_DATA_DIR", "/srv/moodtune", "data_dir", Path("/srv/moodtune")),
        ("MOODTUNE_CACHE_DIR", "/tmp/mt-cache", "cache_dir", Path("/tmp/mt-cache")),
        ("MOODTUNE_DATABASE_URL", "postgresql+psycopg://u@db/m", "database_url", "postgresql+psycopg://u@db/m"),
        ("MOODTUNE_CATALOG", "~/music/catalog.db", "catalog", "~/music/catalog.db"),
        ("MOODTUNE_MAPPING", "genres.toml", "mapping", "genres.toml"),
        ("MOODTUNE_EXPRESSION_MODEL", "compact_cnn", "expression_model", "compact_cnn"),
        ("MOODTUNE_DETECTOR", "haar", "detector", "haar"),
        ("MOODTUNE_MAX_UPLOAD_BYTES", "2_000_000", "max_upload_bytes", 2_000_000),
        ("MOODTUNE_MAX_PIXELS", "1000000", "max_pixels", 1_000_000),
        ("MOODTUNE_ACCEPTED_TYPES", "image/png,Image/JPEG", "accepted_types", ("image/png", "image/jpeg")),
        ("MOODTUNE_STREAM_MAX_FPS", "2.5", "stream_max_fps", 2.5),
        ("MOODTUNE_STREAM_PLAYLIST_SIZE", "12", "stream_playlist_size", 12),
        ("MOODTUNE_ALLOWED_HOSTS", "music.example, 10.0.0.7", "allowed_hosts", ("music.example", "10.0.0.7")),
        ("MOODTUNE_MAX_ANALYSES", "3", "max_analyses", 3),
        ("MOODTUNE_MAX_WAITING", "0", "max_waiting", 0),
        ("MOODTUNE_MAX_CONNECTIONS", "64", "max_connections", 64),
    ],
)
def test_every_variable_is_read_from_the_environment(monkeypatch, name, value, field, expected):
    monkeypatch.setenv(name, value)
    assert getattr(get_settings(), field) == expected


def test_every_field_is_in_the_table_of_variables():
    import moodtune.settings

    documented = moodtune.settings.__doc__ or ""
    assert all(f"``MOODTUNE_{name.upper()}``" in documented for name in Settings.model_fields)


def test_defaults_are_the_library_defaults(monkeypatch, tmp_path):
    s = Settings()
    assert (s.expression_model, s.detector, s.max_pixels) == (DEFAULT_MODEL, DEFAULT_DETECTOR, DEFAULT_MAX_PIXELS)
    assert (s.database_url, s.catalog, s.mapping) == (None, None, None)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    s = Settings()
    assert (s.data_dir, s.cache_dir) == (tmp_path / "share" / "moodtune", tmp_path / "cache" / "moodtune")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert Settings().data_dir == Path.home() / ".local" / "share" / "moodtune"


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("MOODTUNE_CATALOG", "")
    monkeypatch.setenv("MOODTUNE_MAX_UPLOAD_BYTES", "  ")
    s = Settings()
    assert s.catalog is None and s.max_upload_bytes == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MOODTUNE_MAX_PIXELS", "-5"),
        ("MOODTUNE_MAX_UPLOAD_BYTES", "1.5"),
        ("MOODTUNE_STREAM_MAX_FPS", "fast"),
        ("MOODTUNE_STREAM_PLAYLIST_SIZE", "51"),
        ("MOODTUNE_ACCEPTED_TYPES", ","),
        ("MOODTUNE_ACCEPTED_TYPES", " , "),
        ("MOODTUNE_MAX_UPLOAD_BYTES", "ten"),
        ("MOODTUNE_MAX_UPLOAD_BYTES", "0"),
        ("MOODTUNE_STREAM_MAX_FPS", "-1"),
        ("MOODTUNE_MAX_ANALYSES", "0"),
        ("MOODTUNE_ALLOWED_HOSTS", ","),
    ],
)
def test_a_bad_variable_is_an_input_error_naming_it(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError, match=name):
        get_settings()
    with pytest.raises(InputError, match=name):
        data_dir()  # every reader of the settings sees the same error


def test_explicit_values_win_and_are_checked_too(monkeypatch):
    monkeypatch.setenv("MOODTUNE_MAX_PIXELS", "1000")
    assert Settings(max_pixels=2000).max_pixels == 2000
    assert Settings().max_pixels == 1000
    with pytest.raises(InputError, match="MOODTUNE_MAX_PIXELS"):
        Settings(max_pixels=0)
    with pytest.raises(InputError, match="unknown setting 'model'"):
        Settings(model="vgg_style")


def test_the_web_app_uses_the_shared_settings():
    from moodtune.delivery.api import Settings as AppSettings

    assert AppSettings is Settings


def test_settings_are_frozen():
    with pytest.raises(ValidationError):
        get_settings().max_pixels = 1  # type: ignore[misc]


def test_settings_are_read_once(monkeypatch, tmp_path):
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "first"))
    first = get_settings()
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "second"))
    assert get_settings() is first and cache_dir() == tmp_path / "first"
    get_settings.cache_clear()
    assert get_settings() is not first and cache_dir() == tmp_path / "second"


# --- MOODTUNE_EXPRESSION_MODEL supplies the default only ------------------------------------------


def test_an_explicit_model_wins_over_the_variable(monkeypatch):
    monkeypatch.setenv("MOODTUNE_EXPRESSION_MODEL", "no_such_model")
    assert load_expression_model(DEFAULT_MODEL).config.name == DEFAULT_MODEL
    with pytest.raises(ModelError, match="no_such_model"):
        load_expression_model()


def test_the_variable_names_the_default_model(monkeypatch):
    monkeypatch.setenv("MOODTUNE_EXPRESSION_MODEL", "compact_cnn")
    assert load_expression_model().config.name == "compact_cnn"


def test_analyze_image_takes_the_model_it_is_given(monkeypatch):
    # A face wherever the detector looks, so the expression model is always asked for.
    everywhere = SimpleNamespace(detect=lambda rgb: [Face((8, 8, 48, 48), 0.99)])
    monkeypatch.setattr(moodtune.perception.photo, "get_detector", lambda name: everywhere)
    monkeypatch.setenv("MOODTUNE_EXPRESSION_MODEL", "no_such_model")
    image = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    assert len(analyze_image(image, model=DEFAULT_MODEL).faces) == 1
    with pytest.raises(ModelError, match="no_such_model"):
        analyze_image(image)
