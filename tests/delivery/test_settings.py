"""The web app's settings are moodtune's one ``Settings``, read from ``MOODTUNE_*`` variables."""

import pytest

import moodtune.settings
from moodtune.delivery.api import Settings
from moodtune.errors import InputError


def test_the_app_uses_the_shared_settings():
    assert Settings is moodtune.settings.Settings


def test_defaults():
    s = Settings()
    assert s.max_upload_bytes == 10 * 1024 * 1024
    assert "image/jpeg" in s.accepted_types and s.stream_max_fps > 0
    assert s.database_url is None and s.expression_model == "vgg_style"


def test_reads_moodtune_variables(monkeypatch):
    env = {
        "MOODTUNE_MAX_UPLOAD_BYTES": "1_000_000",
        "MOODTUNE_MAX_PIXELS": "4000000",
        "MOODTUNE_ACCEPTED_TYPES": "image/jpeg, IMAGE/PNG",
        "MOODTUNE_STREAM_MAX_FPS": "2.5",
        "MOODTUNE_DATABASE_URL": "sqlite:///x.db",
        "MOODTUNE_EXPRESSION_MODEL": "other",
        "OTHER": "ignored",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = Settings()
    assert (s.max_upload_bytes, s.max_pixels, s.stream_max_fps) == (1_000_000, 4_000_000, 2.5)
    assert s.accepted_types == ("image/jpeg", "image/png")
    assert s.database_url == "sqlite:///x.db" and s.expression_model == "other"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MOODTUNE_MAX_UPLOAD_BYTES", "ten"),
        ("MOODTUNE_MAX_UPLOAD_BYTES", "0"),
        ("MOODTUNE_STREAM_MAX_FPS", "-1"),
        ("MOODTUNE_ACCEPTED_TYPES", " , "),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError, match=name):
        Settings()
