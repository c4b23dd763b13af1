"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder: ``$MOODTUNE_SHARED_DATA``, else ``<repo root>/../shared/data``.

    Tests that need it are skipped where the folder does not exist.
    """
    configured = os.environ.get("MOODTUNE_SHARED_DATA")
    path = Path(configured).expanduser() if configured else REPO_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"shared data folder not found: {path} (set MOODTUNE_SHARED_DATA)")
    return path
