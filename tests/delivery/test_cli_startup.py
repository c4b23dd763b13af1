"""What starting ``moodtune`` loads: the package and the light commands leave the heavy libraries alone.

Each check is a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "onnxruntime", "cv2", "fastapi", "starlette", "uvicorn", "torch", "matplotlib", "sklearn")

# Runs the command line with the arguments in argv[1] and reports, as stderr's last line, which of the
# modules in argv[3] it loaded; those in argv[2] are made unimportable first, as on an install without them.
_COMMAND = """
import json, sys
for name in json.loads(sys.argv[2]):
    sys.modules[name] = None
from moodtune.delivery.cli import app
code = 0
try:
    app(json.loads(sys.argv[1]), prog_name="moodtune")
except SystemExit as stop:
    code = stop.code or 0
print(json.dumps(sorted(m for m in json.loads(sys.argv[3]) if sys.modules.get(m) is not None)), file=sys.stderr)
sys.exit(code)
"""


def _python(code: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")}
    env["MOODTUNE_DATA_DIR"] = str(tmp_path / "data")  # the starter catalog, whatever this machine has imported
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def _moodtune(tmp_path: Path, *args: str, blocked: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, list]:
    done = _python(_COMMAND, json.dumps(args), json.dumps(blocked), json.dumps(HEAVY), tmp_path=tmp_path)
    *stderr, loaded = done.stderr.splitlines()
    done.stderr = "\n".join(stderr)
    return done, json.loads(loaded)


def test_importing_the_package_loads_no_heavy_library(tmp_path):
    code = f"import moodtune, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = _python(code, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_public_names_still_load_on_first_use(tmp_path):
    code = (
        "import moodtune; from moodtune import AffectState, recommend; "
        "print(len(moodtune.recommend('sad', k=2)), AffectState.__name__, moodtune.__version__ != '', "
        "set(moodtune.__all__) <= set(dir(moodtune)))"
    )
    done = _python(code, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "AffectState", "True", "True"]


@pytest.mark.parametrize("args", [("--help",), ("recommend", "--mood", "sad"), ("recommend", "--help")])
def test_light_commands_load_no_heavy_library(tmp_path, args):
    done, loaded = _moodtune(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert loaded == []


def test_a_named_listener_loads_the_feedback_store(tmp_path):
    done, loaded = _moodtune(tmp_path, "recommend", "--mood", "sad", "--user", "ann")
    assert done.returncode == 0, done.stderr
    assert loaded == ["sqlalchemy"]


def test_help_works_without_the_server_extra(tmp_path):
    done, _ = _moodtune(tmp_path, "--help", blocked=("fastapi", "uvicorn", "starlette"))
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout and "recommend" in done.stdout


def test_serve_without_the_server_extra_says_what_to_install(tmp_path):
    done, _ = _moodtune(tmp_path, "serve", blocked=("fastapi", "uvicorn", "starlette"))
    assert done.returncode == 1
    assert done.stderr == "error: the web app needs the server extra: pip install 'moodtune[server]'"
    assert done.stdout == ""
