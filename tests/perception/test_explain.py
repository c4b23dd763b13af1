"""Grad-CAM heat maps from the shipped model, and the two sanity checks that they are not noise."""

from dataclasses import replace

import numpy as np
import pytest
from scipy.stats import spearmanr
from typer.testing import CliRunner

from moodtune.delivery.cli import app
from moodtune.errors import InputError
from moodtune.perception.expression import ExpressionModel, explain_faces, load_expression_model
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo


@pytest.fixture(scope="module")
def faces(shared_data):
    data = load_fer2013(shared_data / "fer2013" / "fer2013.csv.gz", "PrivateTest")
    picks = np.random.default_rng(7).choice(len(data), 200, replace=False)
    return data.images[picks]


def test_maps_have_the_face_shape_and_unit_range(faces):
    maps = explain_faces(load_expression_model(), faces[:8])
    assert maps.shape == (8, 48, 48) and maps.dtype == np.float32
    assert maps.min() >= 0 and np.allclose(maps.reshape(8, -1).max(axis=1), 1.0)
    with pytest.raises(InputError):
        explain_faces(load_expression_model(), faces[:2], [0, 9])


def test_heat_concentrates_on_the_face_centre(faces):
    """On 200 PrivateTest faces the central quarter of the crop holds more heat than a uniform map's 25%."""
    maps = explain_faces(load_expression_model(), faces)
    central = maps[:, 12:36, 12:36].sum(axis=(1, 2)) / maps.sum(axis=(1, 2))
    print(f"mean heat share in the central quarter: {central.mean():.3f}")  # noqa: T201
    assert central.mean() > 0.35


def test_maps_depend_on_the_learned_weights(faces, tmp_path):
    """Model-randomisation check: a randomly initialised network explains the same faces differently."""
    torch = pytest.importorskip("torch")
    from moodtune.training.architectures import create_model
    from moodtune.training.export import _WithFeatures

    trained = load_expression_model()
    torch.manual_seed(0)
    path = tmp_path / "random.onnx"
    torch.onnx.export(
        _WithFeatures(create_model(trained.config.architecture).eval()),
        (torch.zeros(1, 1, 48, 48),),
        str(path),
        input_names=["faces"],
        output_names=list(trained.config.outputs),
        dynamic_axes={name: {0: "n"} for name in ("faces", *trained.config.outputs)},
        opset_version=17,
        dynamo=False,
    )
    replace(trained.config, name="random").to_json(path.with_suffix(".json"))
    random = ExpressionModel(path)
    classes = trained.predict(faces[:100])
    a = explain_faces(trained, faces[:100], classes).reshape(100, -1)
    b = explain_faces(random, faces[:100], classes).reshape(100, -1)
    rho = np.nanmean([spearmanr(x, y)[0] for x, y in zip(a, b, strict=True)])
    print(f"mean Spearman rho, trained vs random maps: {rho:.3f}")  # noqa: T201
    assert rho < 0.5


def test_cli_writes_the_overlay_and_refuses_faceless_photos(faces, tmp_path):
    import cv2

    scene, _ = compose_photo(faces[:2], np.random.default_rng(1), size=(800, 480), face_side=(200, 230))
    photo, heat = tmp_path / "two.jpg", tmp_path / "heat.png"
    cv2.imwrite(str(photo), cv2.cvtColor(scene, cv2.COLOR_RGB2BGR))
    result = CliRunner().invoke(app, ["explain", "--image", str(photo), "-o", str(heat)])
    assert result.exit_code == 0, result.output
    drawn = cv2.imread(str(heat))
    assert drawn.shape == scene.shape
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((300, 300, 3), 90, np.uint8))
    result = CliRunner().invoke(app, ["explain", "--image", str(blank), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 3 and "no face" in result.stderr
