"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts with no ``MOODTUNE_*`` setting exported and reads the settings afresh.

    ``get_settings()`` keeps what it read for the whole process, so a test's ``monkeypatch.setenv``
    would otherwise go unseen; and a variable exported in the developer's shell must not change
    what the tests see.
    """
    from moodtune.config import get_settings
    from moodtune.settings import ENV_PREFIX, Settings

    for name in Settings.model_fields:
        monkeypatch.delenv(f"{ENV_PREFIX}{name.upper()}", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
