"""Runtime settings, read once from the environment (``MOODTUNE_*``): ``get_settings()``.

The settings themselves, with the table of variables, are ``moodtune.settings.Settings``. This
module reaches them only when a setting is first asked for, because pydantic-settings takes about
150 ms to import and ``import moodtune`` (or ``moodtune --help``) needs no setting at all.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moodtune.settings import Settings

__all__ = ["cache_dir", "data_dir", "get_settings"]


@cache
def get_settings() -> Settings:
    """The process's settings: the environment as it was on the first call.

    Explicit arguments of the functions that consult it always win over it. Code that changes
    ``os.environ`` afterwards (tests) calls ``get_settings.cache_clear()`` to have it read again.

    Raises
    ------
    InputError : a ``MOODTUNE_*`` variable is set to something unusable; the message names it.
    """
    from moodtune.settings import Settings

    return Settings()


def data_dir() -> Path:
    """Where moodtune keeps its database and user state (``MOODTUNE_DATA_DIR``)."""
    return get_settings().data_dir


def cache_dir() -> Path:
    """Where derived, re-creatable files go, e.g. parsed datasets (``MOODTUNE_CACHE_DIR``)."""
    return get_settings().cache_dir
