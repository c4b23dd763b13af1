"""FER+ vote targets and the image-folder layout."""

import json

import cv2
import numpy as np
import pytest

from moodtune.affect import EMOTIONS
from moodtune.errors import DataError
from moodtune.training.data.ferplus import FERPLUS_COLUMNS, ferplus_targets, load_ferplus
from moodtune.training.data.folders import load_image_folder
from moodtune.training.train import TrainConfig, fit

#             neu hap sur sad ang dis fea con unk NF
VOTES = np.array(
    [
        [6, 4, 0, 0, 0, 0, 0, 0, 0, 0],  # neutral
        [0, 0, 0, 0, 2, 0, 0, 7, 1, 0],  # contempt ignored: anger wins
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 10],  # not a face: dropped
        [1, 0, 0, 0, 0, 0, 0, 0, 6, 3],  # unknown wins: dropped
        [0, 5, 5, 0, 0, 0, 0, 0, 0, 0],  # tie: dropped for majority, kept soft
    ]
)


def test_majority_targets_follow_the_documented_rules():
    keep, labels = ferplus_targets(VOTES, "majority")
    assert keep.tolist() == [True, True, False, False, False]
    assert [EMOTIONS[i] for i in labels] == ["neutral", "angry"]


def test_soft_targets_are_vote_shares_over_our_classes():
    keep, soft = ferplus_targets(VOTES, "soft")
    assert keep.tolist() == [True, True, False, False, True]
    assert np.allclose(soft.sum(axis=1), 1)
    assert soft[0][EMOTIONS.index("happy")] == pytest.approx(0.4)
    assert soft[1][EMOTIONS.index("angry")] == pytest.approx(1.0)  # contempt and unknown votes left out
    assert soft[2][EMOTIONS.index("happy")] == pytest.approx(0.5)
    with pytest.raises(DataError):
        ferplus_targets(VOTES, "mean")


def _write_pair(tmp_path, n, public=0):
    """A FER2013 CSV and its FER+ file; the last ``public`` rows are PublicTest."""
    rng = np.random.default_rng(0)
    usage = ["Training"] * (n - public) + ["PublicTest"] * public
    fer = tmp_path / "fer.csv"
    fer.write_text(
        "emotion,pixels,Usage\n" + "".join(f"0,{' '.join(map(str, rng.integers(0, 256, 2304)))},{u}\n" for u in usage)
    )
    plus = tmp_path / "plus.csv"
    rows = [",".join(map(str, VOTES[i % len(VOTES)])) for i in range(n)]
    header = "Usage,Image name," + ",".join(FERPLUS_COLUMNS) + "\n"
    plus.write_text(header + "".join(f"{u},x.png,{r}\n" for u, r in zip(usage, rows, strict=True)))
    return fer, plus


def test_join_by_row_and_train_on_soft_targets(tmp_path, monkeypatch):
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "cache"))
    fer, plus = _write_pair(tmp_path, 40)
    majority = load_ferplus(fer, plus, "Training")
    soft = load_ferplus(fer, plus, "Training", mode="soft")
    assert len(majority) == 16 and len(soft) == 24 and soft.soft_labels.shape == (24, 7)
    cfg = TrainConfig(model_kwargs={"widths": (4, 4, 4, 4), "depths": (1, 1, 1, 1)}, epochs=1, batch_size=8, bf16=False)
    history = fit(soft, majority, cfg, tmp_path / "run")
    assert np.isfinite(history[0].train_loss)


def test_row_counts_must_match(tmp_path, monkeypatch):
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "cache"))
    fer, plus = _write_pair(tmp_path, 10)
    plus.write_text("\n".join(plus.read_text().splitlines()[:-1]) + "\n")
    with pytest.raises(DataError, match="join by row"):
        load_ferplus(fer, plus, "Training")


def test_shared_ferplus_keeps_most_faces(shared_data):
    root = shared_data / "fer2013"
    test = load_ferplus(root / "fer2013.csv.gz", root / "fer2013new.csv", "PrivateTest")
    assert 3300 <= len(test) < 3589  # NF, unknown and tied rows are left out
    assert set(np.unique(test.labels)) == set(range(7))


def test_image_folders(tmp_path):
    rng = np.random.default_rng(0)
    for emotion, n in (("happy", 3), ("Sad", 2)):
        folder = tmp_path / "train" / emotion
        folder.mkdir(parents=True)
        for i in range(n):
            size = 48 if i else 64  # a face of another size is resized
            cv2.imwrite(str(folder / f"im{i}.png"), rng.integers(0, 256, (size, size), dtype=np.uint8))
    data = load_image_folder(tmp_path, "train")
    assert data.images.shape == (5, 48, 48)
    assert sorted(EMOTIONS[i] for i in data.labels) == ["happy"] * 3 + ["sad"] * 2
    (tmp_path / "train" / "bored").mkdir()
    with pytest.raises(DataError, match="unknown class folder"):
        load_image_folder(tmp_path, "train")
    with pytest.raises(DataError, match="no such folder"):
        load_image_folder(tmp_path, "test")


def test_cli_trains_any_registered_architecture_on_ferplus_targets(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    from typer.testing import CliRunner

    from moodtune.delivery.cli import app

    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "cache"))
    fer, plus = _write_pair(tmp_path, 30, public=10)
    args = ["train", "--data", str(fer), "--ferplus", str(plus), "--targets", "soft", "--out", str(tmp_path / "run")]
    cut = ["--epochs", "2", "--stop-after", "1"]  # a 2-epoch schedule, cut after its first epoch
    result = CliRunner().invoke(app, [*args, *cut, "--arch", "three_block_cnn", "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "run" / "best.pt").is_file()
    assert len(json.loads((tmp_path / "run" / "history.json").read_text())) == 1
    assert CliRunner().invoke(app, [*args, "--arch", "nope"]).exit_code == 2

    # Distilling from an ensemble: --teacher repeats, and every teacher must exist.
    run = tmp_path / "run"
    teachers = ["--teacher", str(run / "best.pt"), "--teacher", str(run / "last.pt")]
    student = [*args[:-1], str(tmp_path / "student"), "--epochs", "1", "--arch", "three_block_cnn", "--batch-size", "4"]
    result = CliRunner().invoke(app, [*student, "--init", str(run / "best.pt"), *teachers])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "student" / "best.pt").is_file()
    missing = CliRunner().invoke(app, [*student, "--teacher", str(run / "best.pt"), "--teacher", str(run / "x.pt")])
    assert missing.exit_code == 2 and "x.pt" in missing.output
