"""``moodtune compare`` on a tiny data set: trains what is missing, loads what is done, writes the table."""

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from moodtune.delivery.cli import app

pytest.importorskip("torch")
pytest.importorskip("matplotlib")


def test_compare_trains_scores_and_writes_the_table(tmp_path, monkeypatch):
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    usage = ["Training"] * 28 + ["PublicTest"] * 7 + ["PrivateTest"] * 7
    rows = "".join(f"{i % 7},{' '.join(map(str, rng.integers(0, 256, 2304)))},{u}\n" for i, u in enumerate(usage))
    data = tmp_path / "fer.csv"
    data.write_text("emotion,pixels,Usage\n" + rows)
    args = ["compare", "--data", str(data), "--runs", str(tmp_path / "runs"), "--out", str(tmp_path / "cmp")]
    archs = ["--arch", "three_block_cnn", "--arch", "compact_cnn"]
    result = CliRunner().invoke(app, [*args, *archs, "--epochs", "1"])
    assert result.exit_code == 0, result.output
    table = (tmp_path / "cmp" / "comparison.md").read_text()
    assert "three_block_cnn" in table and "compact_cnn" in table and "moodtune compare --data" in table
    assert Image.open(tmp_path / "cmp" / "comparison.png").size[0] > 300
    mtime = (tmp_path / "runs" / "compact_cnn" / "best.pt").stat().st_mtime
    assert CliRunner().invoke(app, [*args, *archs, "--epochs", "1"]).exit_code == 0
    assert (tmp_path / "runs" / "compact_cnn" / "best.pt").stat().st_mtime == mtime, "finished runs are reused"
    assert CliRunner().invoke(app, [*args, "--arch", "nope"]).exit_code == 2
    assert CliRunner().invoke(app, args).exit_code == 2, "nothing to compare"

    # Finished runs made with other choices are scored as they are, their choices named.
    train_args = ["train", "--data", str(data), "--out", str(tmp_path / "runs" / "balanced"), "--epochs", "1"]
    assert CliRunner().invoke(app, [*train_args, "--class-balance", "loss"]).exit_code == 0
    result = CliRunner().invoke(
        app, [*args, "--run", str(tmp_path / "runs" / "balanced"), "--run", str(tmp_path / "runs" / "compact_cnn")]
    )
    assert result.exit_code == 0, result.output
    table = (tmp_path / "cmp" / "comparison.md").read_text()
    assert (
        "| balanced | compact_cnn | class_balance=loss |" in table
        and "| compact_cnn | compact_cnn | defaults |" in table
    )
    assert CliRunner().invoke(app, [*args, "--run", str(tmp_path / "nowhere")]).exit_code == 2

    runs = tmp_path / "runs"
    distill = ["--init", str(runs / "compact_cnn" / "best.pt"), "--distill-weight", "0.7"]
    distill += ["--teacher", str(runs / "compact_cnn" / "best.pt"), "--teacher", str(runs / "balanced" / "best.pt")]
    train_args[train_args.index("--out") + 1] = str(runs / "student")
    assert CliRunner().invoke(app, [*train_args, *distill]).exit_code == 0
    assert CliRunner().invoke(app, [*args, "--run", str(runs / "student")]).exit_code == 0
    table = (tmp_path / "cmp" / "comparison.md").read_text()
    assert "| student | compact_cnn | warm start, distilled from 2 teachers (weight 0.7, T 2.0) |" in table
