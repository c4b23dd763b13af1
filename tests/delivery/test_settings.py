import pytest

from moodtune.delivery.api import Settings
from moodtune.errors import InputError


def test_defaults():
    s = Settings.from_env({})
    assert s.max_upload_bytes == 10 * 1024 * 1024
    assert "image/jpeg" in s.accepted_types and s.stream_max_fps > 0
    assert s.database_url is None and s.model == "vgg_style"


def test_reads_moodtune_variables():
    s = Settings.from_env(
        {
            "MOODTUNE_MAX_UPLOAD_BYTES": "1_000_000",
            "MOODTUNE_MAX_PIXELS": "4000000",
            "MOODTUNE_ACCEPTED_TYPES": "image/jpeg, IMAGE/PNG",
            "MOODTUNE_STREAM_MAX_FPS": "2.5",
            "MOODTUNE_DATABASE_URL": "sqlite:///x.db",
            "MOODTUNE_EXPRESSION_MODEL": "other",
            "OTHER": "ignored",
        }
    )
    assert (s.max_upload_bytes, s.max_pixels, s.stream_max_fps) == (1_000_000, 4_000_000, 2.5)
    assert s.accepted_types == ("image/jpeg", "image/png")
    assert s.database_url == "sqlite:///x.db" and s.model == "other"


@pytest.mark.parametrize(
    "env",
    [
        {"MOODTUNE_MAX_UPLOAD_BYTES": "ten"},
        {"MOODTUNE_MAX_UPLOAD_BYTES": "0"},
        {"MOODTUNE_STREAM_MAX_FPS": "-1"},
        {"MOODTUNE_ACCEPTED_TYPES": " , "},
    ],
)
def test_bad_values_name_the_variable(env):
    with pytest.raises(InputError, match="MOODTUNE_|accepted_types|must"):
        Settings.from_env(env)
