"""Temperature scaling: the fit recovers a known temperature, and the predictor applies it."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import moodtune.perception.expression as expression
from moodtune.perception.expression import ExpressionModel, load_expression_model
from moodtune.perception.expression.predictor import softmax
from moodtune.training.temperature import fit_temperature, log_loss_at


def test_fit_recovers_the_temperature_the_labels_were_drawn_at():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (6000, 7))
    proba = softmax(logits / 2.0)
    labels = np.array([rng.choice(7, p=p) for p in proba])
    t = fit_temperature(logits, labels)
    assert 1.8 < t < 2.2
    assert log_loss_at(logits, labels, t) < log_loss_at(logits, labels, 1.0)


def test_the_model_softens_its_probabilities_by_its_temperature(tmp_path):
    shipped = load_expression_model()
    path = tmp_path / "hot.onnx"
    shutil.copy(Path(expression.__file__).parent / "models" / f"{shipped.config.name}.onnx", path)
    replace(shipped.config, name="hot", temperature=shipped.config.temperature * 3).to_json(path.with_suffix(".json"))
    faces = np.random.default_rng(1).integers(0, 256, (16, 48, 48), dtype=np.uint8)
    cold, hot = shipped.predict_proba(faces), ExpressionModel(path).predict_proba(faces)
    assert np.array_equal(cold.argmax(axis=1), hot.argmax(axis=1))
    assert (hot.max(axis=1) < cold.max(axis=1)).all()
    assert np.allclose(hot.sum(axis=1), 1.0, atol=1e-5)


def test_a_config_with_a_non_positive_temperature_is_refused(tmp_path):
    from moodtune.errors import ModelError
    from moodtune.perception.expression.model_config import ExpressionModelConfig

    path = tmp_path / "bad.json"
    replace(load_expression_model().config, name="bad").to_json(path)
    raw = json.loads(path.read_text())
    path.write_text(json.dumps({**raw, "temperature": 0.0}))
    with pytest.raises(ModelError, match="temperature"):
        ExpressionModelConfig.from_json(path)
