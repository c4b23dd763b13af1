#!/usr/bin/env bash
# Create .venv and install moodtune (editable) with the extras named in $1 (default: server, the web app).
# Examples: bash scripts/setup.sh · bash scripts/setup.sh server,train · bash scripts/setup.sh server,train,dev,postgres
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-server}"
step() { printf '\033[1m==>\033[0m %s\n' "$*"; }

step "creating .venv with $(python3 --version)"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [[ ",$extras," == *",train,"* ]]; then
  # The CPU build of PyTorch; an unpinned install of the [train] range would fetch a CUDA build of several GB.
  step "installing PyTorch 2.13.0 (CPU build) for training"
  .venv/bin/python -m pip install --quiet torch==2.13.0
fi
step "installing moodtune${extras:+[$extras]} and its dependencies"
.venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
step "checking the installed dependencies"
.venv/bin/python -m pip check
step "ready: .venv/bin/moodtune --help (or: source .venv/bin/activate, then moodtune --help)"
