"""Runtime settings, read once from the environment (``MOODTUNE_*``)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "data_dir"]


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def data_dir() -> Path:
    """Where moodtune keeps its database and user state (``MOODTUNE_DATA_DIR``)."""
    explicit = os.environ.get("MOODTUNE_DATA_DIR")
    return Path(explicit) if explicit else _xdg("XDG_DATA_HOME", ".local/share") / "moodtune"


def cache_dir() -> Path:
    """Where derived, re-creatable files go, e.g. parsed datasets (``MOODTUNE_CACHE_DIR``)."""
    explicit = os.environ.get("MOODTUNE_CACHE_DIR")
    return Path(explicit) if explicit else _xdg("XDG_CACHE_HOME", ".cache") / "moodtune"
