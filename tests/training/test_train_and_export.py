"""A 1-epoch run on a tiny synthetic set, resume, ONNX export and its integrity check."""

import json
from dataclasses import replace

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from moodtune.errors import ModelError  # noqa: E402
from moodtune.perception.expression import ExpressionModel, face_region  # noqa: E402
from moodtune.training.architectures import create_model, list_models  # noqa: E402
from moodtune.training.data.fer2013 import FaceDataset  # noqa: E402
from moodtune.training.export import check_onnx_matches_torch, export_onnx  # noqa: E402
from moodtune.training.train import TrainConfig, epoch_order, fit, load_checkpoint, teacher_targets  # noqa: E402

TINY = {"widths": (4, 8, 8, 8), "depths": (1, 1, 1, 1)}


def _faces(n: int, seed: int) -> FaceDataset:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 7, n)
    # Class-dependent brightness makes the task learnable, so the loss can fall.
    images = np.clip(rng.normal(40 + labels[:, None, None] * 25, 20, (n, 48, 48)), 0, 255).astype(np.uint8)
    return FaceDataset(images, labels.astype(np.int64), "synthetic")


@pytest.mark.parametrize("name", list_models())
def test_every_architecture_maps_faces_to_seven_logits(name):
    model = create_model(name).eval()
    with torch.no_grad():
        features = model.forward_features(torch.zeros(2, 1, 48, 48))
        logits = model.forward_head(features)
        cams = model.class_activation_maps(features)
    assert logits.shape == (2, 7) and features.ndim == 4
    assert cams.shape == (2, 7, *features.shape[2:])


def test_fit_writes_checkpoints_and_resumes(tmp_path):
    cfg = TrainConfig(model_kwargs=TINY, epochs=2, batch_size=32, lr=0.05, bf16=False)
    train, val = _faces(96, 0), _faces(32, 1)
    first = fit(train, val, cfg, tmp_path)
    assert [s.epoch for s in first] == [1, 2]
    assert {"best.pt", "last.pt", "history.json"} <= {p.name for p in tmp_path.iterdir()}
    history = json.loads((tmp_path / "history.json").read_text())
    assert len(history) == 2 and all(0 <= h["val_accuracy"] <= 1 for h in history)
    # Resuming a finished run trains no more epochs but keeps the history.
    again = fit(train, val, cfg, tmp_path, resume=True)
    assert [s.epoch for s in again] == [1, 2]


def test_resume_continues_where_it_stopped(tmp_path):
    train, val = _faces(64, 2), _faces(16, 3)
    cfg = TrainConfig(model_kwargs=TINY, epochs=2, batch_size=32, bf16=False)

    class Interrupted(Exception):
        pass

    def stop_after_first(stats):
        raise Interrupted  # as if the process were killed once epoch 1 was saved

    with pytest.raises(Interrupted):
        fit(train, val, cfg, tmp_path, on_epoch=stop_after_first)
    assert len(json.loads((tmp_path / "history.json").read_text())) == 1
    resumed = fit(train, val, cfg, tmp_path, resume=True)
    assert [s.epoch for s in resumed] == [1, 2]


def test_stop_after_cuts_the_run_but_keeps_its_schedule(tmp_path):
    train, val = _faces(64, 2), _faces(16, 3)
    cfg = TrainConfig(model_kwargs=TINY, epochs=3, batch_size=32, bf16=False)
    sliced = fit(train, val, cfg, tmp_path / "sliced", stop_after=1)
    whole = fit(train, val, cfg, tmp_path / "whole")
    assert [s.epoch for s in sliced] == [1]
    # The learning rate of epoch 1 is the 3-epoch one-cycle's, not a 1-epoch schedule's.
    assert sliced[0].lr == pytest.approx(whole[0].lr)
    resumed = fit(train, val, cfg, tmp_path / "sliced", resume=True, stop_after=2)
    assert [s.epoch for s in resumed] == [1, 2]
    with pytest.raises(ValueError, match="stop_after"):
        fit(train, val, cfg, tmp_path / "bad", stop_after=0)


def test_export_passes_integrity_check_and_loads_without_torch_api(tmp_path):
    train, val = _faces(64, 4), _faces(32, 5)
    fit(train, val, TrainConfig(model_kwargs=TINY, epochs=1, batch_size=32, bf16=False), tmp_path)
    onnx_path = tmp_path / "tiny.onnx"
    config = export_onnx(tmp_path / "best.pt", onnx_path, check_images=val.images, crop_scale=1.3)
    assert config.crop_scale == 1.3 and config.labels[3] == "happy"
    model = ExpressionModel(onnx_path)
    proba = model.predict_proba(val.images)
    assert proba.shape == (32, 7)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    out = model.infer(model.preprocess(val.images[:2]))
    assert out["features"].shape == (2, 8, 6, 6) and out["cams"].shape == (2, 7, 6, 6)


def test_integrity_check_fails_loudly_on_a_different_model(tmp_path):
    train, val = _faces(64, 6), _faces(16, 7)
    fit(train, val, TrainConfig(model_kwargs=TINY, epochs=1, batch_size=32, bf16=False), tmp_path)
    onnx_path = tmp_path / "tiny.onnx"
    export_onnx(tmp_path / "best.pt", onnx_path, check_images=val.images)
    other = create_model("compact_cnn", **TINY).eval()  # fresh random weights
    _, ckpt = load_checkpoint(tmp_path / "best.pt")
    mean, std = ckpt["config"]["mean"], ckpt["config"]["std"]
    with pytest.raises(ModelError, match="does not match"):
        check_onnx_matches_torch(other, onnx_path, val.images, mean, std)


@pytest.mark.parametrize("name", list_models())
def test_class_activation_maps_equal_autograd_grad_cam(name):
    torch.manual_seed(0)
    model = create_model(name).eval()
    x = torch.randn(3, 1, 48, 48)
    features = model.forward_features(x)
    logits = model.forward_head(features)
    cams = model.class_activation_maps(features)
    for c in range(7):
        (grads,) = torch.autograd.grad(logits[:, c].sum(), features, retain_graph=True)
        grad_cam = (grads.mean(dim=(2, 3), keepdim=True) * features).sum(dim=1)
        assert torch.allclose(cams[:, c], grad_cam, atol=1e-5)


@pytest.mark.parametrize("balance", ["loss", "sampler"])
def test_plateau_schedule_class_balance_and_early_stopping(tmp_path, balance):
    train, val = _faces(64, 8), _faces(16, 9)
    cfg = TrainConfig(
        model_kwargs=TINY,
        epochs=6,
        batch_size=32,
        lr=0.05,
        bf16=False,
        schedule="plateau",
        plateau_patience=0,
        class_balance=balance,
        patience=2,
    )
    history = fit(train, val, cfg, tmp_path)
    assert len(history) < 6 or history[-1].lr < 0.05, "plateaus halve the rate or stop the run"
    assert all(np.isfinite(h.train_loss) for h in history)
    with pytest.raises(ValueError, match="schedule"):
        TrainConfig(schedule="cosine")
    with pytest.raises(ValueError, match="class_balance"):
        TrainConfig(class_balance="oversample")


def test_balanced_sampler_evens_out_the_classes_seen():
    rng = np.random.default_rng(14)
    labels = np.where(rng.random(7000) < 0.9, 3, rng.integers(0, 7, 7000)).astype(np.int64)  # 90 % "happy"
    gen = torch.Generator().manual_seed(0)
    plain = epoch_order(labels, "none", gen).numpy()
    assert sorted(plain.tolist()) == list(range(7000))
    balanced = epoch_order(labels, "sampler", gen).numpy()
    shares = np.bincount(labels[balanced], minlength=7) / len(balanced)
    assert np.allclose(shares, 1 / 7, atol=0.03)


def test_warm_start_and_self_distillation(tmp_path):
    train, val = _faces(64, 10), _faces(16, 11)
    base = TrainConfig(model_kwargs=TINY, epochs=1, batch_size=32, bf16=False)
    fit(train, val, base, tmp_path / "teacher")
    teacher = tmp_path / "teacher" / "best.pt"
    soft = teacher_targets([teacher], train.images, temperature=2.0)
    assert soft.shape == (64, 7) and np.allclose(soft.sum(axis=1), 1.0, atol=1e-5)
    # A higher temperature flattens the teacher's distribution.
    assert soft.max(axis=1).mean() > teacher_targets([teacher], train.images, temperature=8.0).max(axis=1).mean()
    # An ensemble's targets are the mean of its members' targets.
    fit(train, val, replace(base, seed=1), tmp_path / "second")
    second = tmp_path / "second" / "best.pt"
    both = teacher_targets([teacher, second], train.images, temperature=2.0)
    assert np.allclose(both, (soft + teacher_targets([second], train.images, temperature=2.0)) / 2)
    assert not np.allclose(both, soft, atol=1e-3)
    with pytest.raises(ValueError, match="at least one"):
        teacher_targets([], train.images, temperature=2.0)

    # Warm start: before any step the student equals the checkpoint it starts from.
    cfg = replace(base, init_checkpoint=str(teacher), teacher_checkpoints=(str(teacher),), lr=1e-9)
    fit(train, val, cfg, tmp_path / "student")
    student, _ = load_checkpoint(tmp_path / "student" / "last.pt")
    reference, _ = load_checkpoint(teacher)
    for name, value in reference.state_dict().items():
        if value.dtype.is_floating_point and "running" not in name:
            assert torch.allclose(student.state_dict()[name], value, atol=1e-5), name
    with pytest.raises(ValueError, match="distill_weight"):
        TrainConfig(distill_weight=1.5)


def test_upper_face_model_sees_only_the_top_half(tmp_path):
    faces = np.arange(4 * 48 * 48, dtype=np.uint32).reshape(4, 48, 48).astype(np.uint8)
    upper = face_region(faces, "upper")
    assert upper.shape == faces.shape
    assert np.array_equal(upper[:, ::2], faces[:, :24]) and np.array_equal(upper[:, 1::2], faces[:, :24])
    with pytest.raises(ValueError, match="region"):
        face_region(faces, "mouth")

    train, val = _faces(64, 12), _faces(32, 13)
    fit(train, val, TrainConfig(model_kwargs=TINY, epochs=1, batch_size=32, bf16=False, face_region="upper"), tmp_path)
    config = export_onnx(tmp_path / "best.pt", tmp_path / "eyes.onnx", check_images=val.images)
    assert config.face_region == "upper"
    model = ExpressionModel(tmp_path / "eyes.onnx")
    # The lower half of the face cannot change an upper-region model's reading.
    covered = val.images.copy()
    covered[:, 24:] = 0
    assert np.allclose(model.predict_logits(val.images), model.predict_logits(covered), atol=1e-5)
