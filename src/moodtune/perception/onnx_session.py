"""One way to open an ONNX model: onnxruntime on the CPU, quiet, with its telemetry off.

Both shipped networks, the face detector and the expression model, open here. A session's
``run`` is thread-safe, so one session per model serves every concurrent caller.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from moodtune.errors import ModelError

if TYPE_CHECKING:
    import onnxruntime

__all__ = ["open_session"]


def open_session(path: Path, *, threads: int | None = None) -> onnxruntime.InferenceSession:
    """An inference session for the ONNX file at ``path``.

    Parameters
    ----------
    threads : intra-op threads (None: onnxruntime's default, one per core).

    Raises
    ------
    ModelError : the file cannot be loaded as a model.
    """
    # onnxruntime otherwise writes a device id and a telemetry database under ~/.cache/Microsoft on
    # first use; it reads this variable when it is imported. Nothing but our database is written.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
    options.log_severity_level = 3
    # Idle worker threads otherwise spin for a while after each run, and the detector's and the
    # expression model's pools then take turns stealing the same cores from each other.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for corrupt files
        raise ModelError(f"{path}: cannot load ONNX model ({exc})") from exc
