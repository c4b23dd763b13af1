import gzip

import numpy as np
import pytest

from moodtune.errors import DataError
from moodtune.training.data.fer2013 import load_fer2013


def _write_csv(path, rows, gz=False):
    text = "emotion,pixels,Usage\n" + "".join(f"{e},{' '.join(map(str, px))},{u}\n" for e, px, u in rows)
    if gz:
        with gzip.open(path, "wt") as f:
            f.write(text)
    else:
        path.write_text(text)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("gz", [False, True])
def test_reads_splits_and_caches(tmp_path, monkeypatch, rng, gz):
    monkeypatch.setenv("MOODTUNE_CACHE_DIR", str(tmp_path / "cache"))
    rows = [
        (i % 7, rng.integers(0, 256, 2304), u)
        for i, u in enumerate(["Training"] * 5 + ["PublicTest"] * 2 + ["PrivateTest"] * 3)
    ]
    path = tmp_path / ("fer.csv.gz" if gz else "fer.csv")
    _write_csv(path, rows, gz)
    priv = load_fer2013(path, "PrivateTest")
    assert priv.images.shape == (3, 48, 48) and priv.images.dtype == np.uint8
    assert priv.labels.tolist() == [0, 1, 2]
    assert np.array_equal(priv.images[0].ravel(), rows[7][1])
    assert list((tmp_path / "cache").glob("*.npz")), "parsed arrays should be cached"
    again = load_fer2013(path, "PrivateTest")
    assert np.array_equal(again.images, priv.images)
    assert len(load_fer2013(path)) == 10


def test_malformed_rows_name_the_line(tmp_path, rng):
    path = tmp_path / "bad.csv"
    _write_csv(path, [(0, rng.integers(0, 256, 2304), "Training"), (3, rng.integers(0, 256, 100), "Training")])
    with pytest.raises(DataError, match=":3: expected 2304 pixels"):
        load_fer2013(path, use_cache=False)
    _write_csv(path, [(9, rng.integers(0, 256, 2304), "Training")])
    with pytest.raises(DataError, match="outside 0..6"):
        load_fer2013(path, use_cache=False)


def test_wrong_file_and_split(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_fer2013(tmp_path / "missing.csv")
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="missing columns"):
        load_fer2013(other, use_cache=False)
    with pytest.raises(DataError, match="split must be"):
        load_fer2013(other, "Validation")
