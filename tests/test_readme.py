"""The README's commands work as written after the set-up command.

The data-free commands of "Using it" and the Python example run here as a user would: in bash, from a
folder holding the user's ``photo.jpg`` and the set-up's ``.venv`` (this test's own environment, linked),
after ``source .venv/bin/activate``. The data-set commands run in the slow tier, with ``../shared``
beside that folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from moodtune.pipeline import analyze_image
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo

README = Path(__file__).resolve().parents[1] / "README.md"
ACTIVATE = "source .venv/bin/activate"


def _blocks(section: str, language: str) -> list[str]:
    """The fenced ``language`` blocks under the ``## section`` heading, in order."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no section {section!r}"
    return re.findall(rf"^```{language}\n(.*?)^```", match.group(1), re.M | re.S)


def _commands(block: str) -> list[str]:
    """One entry per command line (continuation lines joined); comments and blank lines dropped."""
    joined = block.replace("\\\n", " ")
    return [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def user_folder(tmp_path_factory, shared_data) -> Path:
    """A folder with ``photo.jpg`` (a FER2013 PrivateTest face that is found) and ``.venv``, beside ``shared``."""
    root = tmp_path_factory.mktemp("readme")
    (root / "shared").symlink_to(shared_data.parent, target_is_directory=True)
    folder = root / "checkout"
    folder.mkdir()
    (folder / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    faces = load_fer2013(shared_data / "fer2013" / "fer2013.csv.gz", "PrivateTest").images
    rng = np.random.default_rng(7)
    for i in range(50):
        scene, _ = compose_photo(faces[i : i + 1], rng)
        if analyze_image(scene).faces:
            cv2.imwrite(str(folder / "photo.jpg"), cv2.cvtColor(scene, cv2.COLOR_RGB2BGR))
            return folder
    raise AssertionError("no composed FER2013 photo with a face found")


def _run_as_user(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")}
    env |= {"MOODTUNE_DATA_DIR": str(folder / "data"), "MOODTUNE_CACHE_DIR": str(folder / "cache")}
    return subprocess.run(
        ["bash", "-c", f"{ACTIVATE} && {command}"], cwd=folder, env=env, capture_output=True, text=True, timeout=900
    )


def test_the_data_free_commands_run_as_written(user_folder):
    first = _blocks("Using it", "bash")[0]
    commands = _commands(first)
    assert commands[0].startswith(ACTIVATE) and len(commands) > 5
    assert "../shared" not in first, "the first block is the one that needs no data sets"
    for command in commands[1:]:
        result = _run_as_user(command, user_folder)
        assert result.returncode == 0, f"{command}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
    for written in ("boxes.png", "heat.png", "evening.m3u"):
        assert (user_folder / written).stat().st_size > 0, written


def test_the_python_example_runs_as_written(user_folder):
    (example,) = _blocks("Using it", "python")
    (user_folder / "example.py").write_text(example, encoding="utf-8")
    result = _run_as_user("python example.py", user_folder)
    assert result.returncode == 0, result.stderr
    assert "youtube.com" in result.stdout


@pytest.mark.slow
def test_the_data_set_commands_run_as_written(user_folder):
    second = _blocks("Using it", "bash")[1]
    commands = _commands(second)
    assert commands[0].startswith(ACTIVATE) and all("../shared" in c or "moods.db" in c for c in commands[1:])
    for command in commands[1:]:
        result = _run_as_user(command, user_folder)
        assert result.returncode == 0, f"{command}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
