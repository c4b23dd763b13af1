"""Convert MediaPipe's BlazeFace TFLite files (third_party/blazeface/) to the ONNX files the package ships.

The detector runs on onnxruntime, like the expression model: one session serves every thread, and
all windows of a photo go through it as one batch. The conversion is tflite2onnx's; afterwards
the batch dimension is made free (its reshapes fixed it to 1) and the result is checked against
the original run by OpenCV's TFLite reader on random inputs, one at a time and batched. Weights
are not changed. Needs its own throw-away environment (tflite2onnx pins an old flatbuffers):

    python3 -m venv /tmp/convert && /tmp/convert/bin/pip install tflite2onnx==0.4.1 onnxruntime opencv-python-headless
    /tmp/convert/bin/python scripts/convert_blazeface.py
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import cv2
import numpy as np
import onnx
import onnxruntime as ort
import tflite2onnx
from onnx import numpy_helper

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = REPO_ROOT / "third_party" / "blazeface"
TARGET_DIR = REPO_ROOT / "src" / "moodtune" / "perception" / "faces" / "models"
VARIANTS = {"face_detection_short_range": 128, "face_detection_full_range": 192}
TOLERANCE = 1e-3


def free_batch(model: onnx.ModelProto) -> None:
    """Let the first dimension of the input, the outputs and every reshape follow the batch."""
    for value in (*model.graph.input, *model.graph.output, *model.graph.value_info):
        dims = value.type.tensor_type.shape.dim
        if len(dims) > 1 and dims[0].dim_value == 1:
            dims[0].dim_param = "batch"
    for node in model.graph.node:
        if node.op_type == "Resize":
            # Fixed output sizes [1, C, H, W] pin the batch; the full-range graph upsamples ×2 (checked below).
            scales = numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), f"{node.name}/scales")
            model.graph.initializer.append(scales)
            unused = node.input[3]
            node.input[2], node.input[3] = scales.name, ""
            kept = [i for i in model.graph.initializer if i.name != unused]
            del model.graph.initializer[:]
            model.graph.initializer.extend(kept)
    shapes = {node.input[1] for node in model.graph.node if node.op_type == "Reshape"}
    for initializer in model.graph.initializer:
        if initializer.name in shapes:
            shape = numpy_helper.to_array(initializer).copy()
            assert shape[0] == 1, f"{initializer.name}: reshape to {shape} does not start with the batch"
            shape[0] = 0  # 0: copy the input's dimension, i.e. the batch
            initializer.CopyFrom(numpy_helper.from_array(shape, initializer.name))


def check(onnx_path: Path, tflite_path: Path, size: int) -> float:
    """Largest |difference| between the ONNX model (batched) and OpenCV's run of the TFLite file."""
    net = cv2.dnn.readNetFromTFLite(str(tflite_path))
    names = list(net.getUnconnectedOutLayersNames())
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    blobs = np.random.default_rng(0).uniform(-1, 1, (6, 3, size, size)).astype(np.float32)
    batched = session.run(None, {session.get_inputs()[0].name: blobs})
    worst = 0.0
    for i, blob in enumerate(blobs):
        net.setInput(blob[None])
        reference = sorted(net.forward(names), key=lambda out: out.shape[-1])
        ours = sorted((out[i : i + 1] for out in batched), key=lambda out: out.shape[-1])
        worst = max(worst, *(float(np.abs(r.reshape(o.shape) - o).max()) for r, o in zip(reference, ours, strict=True)))
    return worst


def main() -> None:
    for name, size in VARIANTS.items():
        tflite_path = SOURCE_DIR / f"{name}.tflite"
        target = TARGET_DIR / f"{name}.onnx"
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.onnx"
            tflite2onnx.convert(str(tflite_path), str(raw))
            model = onnx.load(str(raw))
        free_batch(model)
        onnx.checker.check_model(model)
        onnx.save(model, str(target))
        worst = check(target, tflite_path, size)
        assert worst <= TOLERANCE, f"{name}: ONNX and TFLite differ by {worst}"
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        print(f"{target.relative_to(REPO_ROOT)}: max |Δ| vs TFLite {worst:.2e}, sha256 {digest}")  # noqa: T201


if __name__ == "__main__":
    main()
