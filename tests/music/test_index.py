"""The valence–arousal grid index: every query equals a brute-force scan, on many random point sets."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.errors import InputError
from moodtune.music.index import build_index, concat_ranges, distances


def _points(rng: np.random.Generator, n: int) -> np.ndarray:
    """Clustered points on [-1, 1]², some rounded (exact duplicates and ties), some on the edges."""
    centres = rng.uniform(-0.9, 0.9, (3, 2))
    va = centres[rng.integers(0, 3, n)] + rng.normal(0.0, rng.uniform(0.02, 0.5), (n, 2))
    va = np.clip(va, -1.0, 1.0)
    if n and rng.random() < 0.5:
        va = va.round(int(rng.integers(1, 3)))
    return va.astype(np.float32)


def _brute_nearest(va: np.ndarray, point: tuple[float, float], k: int) -> np.ndarray:
    d = distances(va, point)
    return np.lexsort((np.arange(len(va)), d))[:k]


@pytest.mark.parametrize("seed", range(60))
def test_queries_equal_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 2500))
    va = _points(rng, n)
    index = build_index(
        va,
        within_cell=rng.integers(0, 7, n),
        block_size=int(rng.integers(1, 40)),
        side=int(rng.integers(1, 40)) if seed % 2 else None,
    )
    assert sorted(index.order.tolist()) == list(range(n))
    for _ in range(5):
        point = (float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1)))
        d = distances(va, point)
        radius = float(rng.choice([0.0, rng.uniform(0, 0.3), rng.uniform(0, 3)]))
        assert np.array_equal(index.within(point, radius), np.flatnonzero(d <= radius))
        k = int(rng.integers(1, 60))
        assert np.array_equal(index.nearest(point, k), _brute_nearest(va, point, k))
        tied = index.nearest(point, k, ties=True)
        if n:
            kth = d[_brute_nearest(va, point, k)[-1]]
            assert np.array_equal(np.sort(tied), np.flatnonzero(d <= kth))


@pytest.mark.parametrize("seed", range(30))
def test_blocks_and_windows_are_consistent(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(1, 3000))
    va = _points(rng, n)
    values = rng.random(n)
    bits = rng.integers(0, 1 << 20, n)
    block_size = int(rng.integers(1, 33))
    index = build_index(va, block_size=block_size)
    starts, stops = index.block_starts[:-1], index.block_starts[1:]
    assert (stops > starts).all() and (stops - starts).max() <= block_size and stops[-1] == n
    # A block never spans two cells.
    cell_of = np.searchsorted(index.cell_starts, np.arange(n), side="right") - 1
    assert np.array_equal(cell_of[starts], cell_of[stops - 1])
    points = index.points
    assert np.array_equal(points, va[index.order])
    box = index.block_box
    for b in range(index.n_blocks):
        inside = points[starts[b] : stops[b]]
        assert box[b, 0] == inside[:, 0].min() and box[b, 1] == inside[:, 0].max()
        assert box[b, 2] == inside[:, 1].min() and box[b, 3] == inside[:, 1].max()
    block_rows = [index.order[a:z] for a, z in zip(starts, stops, strict=True)]
    assert np.array_equal(index.block_max(values), [values[r].max() for r in block_rows])
    assert np.array_equal(index.block_or(bits), [np.bitwise_or.reduce(bits[r]) for r in block_rows])
    for _ in range(5):
        point = (float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1)))
        d = distances(va, point)
        window = index.window(point, int(rng.integers(0, index.side + 1)))
        rows = index.order[window.positions]
        outside = np.setdiff1d(np.arange(n), rows)
        assert not len(outside) or d[outside].min() >= window.clearance
        assert np.array_equal(np.sort(index.order[index.block_positions(window.blocks)]), np.sort(rows))
        lower = index.block_distance(point, window.blocks)
        for b, bound in zip(window.blocks.tolist(), lower.tolist(), strict=True):
            assert d[index.order[starts[b] : stops[b]]].min() >= bound


def test_within_cell_key_orders_each_cell() -> None:
    rng = np.random.default_rng(5)
    va = _points(rng, 2000)
    key = rng.integers(0, 1000, 2000)
    index = build_index(va, within_cell=key, side=8)
    for c in range(index.side**2):
        rows = index.order[index.cell_starts[c] : index.cell_starts[c + 1]]
        assert (np.diff(key[rows]) >= 0).all()


def test_a_subset_of_rows_can_be_indexed() -> None:
    rng = np.random.default_rng(9)
    va = _points(rng, 1000)
    rows = np.sort(rng.choice(1000, 300, replace=False))
    index = build_index(va, rows=rows)
    point = (0.1, -0.2)
    d = np.full(1000, np.inf)
    d[rows] = distances(va[rows], point)
    assert set(index.order.tolist()) == set(rows.tolist())
    assert np.array_equal(index.nearest(point, 20), np.lexsort((np.arange(1000), d))[:20])
    assert np.array_equal(index.within(point, 0.3), np.flatnonzero(d <= 0.3))


def test_empty_index_answers_nothing() -> None:
    index = build_index(np.empty((0, 2), dtype=np.float32))
    assert len(index) == 0 and index.n_blocks == 0
    assert len(index.nearest((0.0, 0.0), 5)) == 0
    assert len(index.within((0.0, 0.0), 2.0)) == 0


def test_concat_ranges() -> None:
    starts, stops = np.array([5, 0, 9, 3]), np.array([8, 0, 11, 4])
    expected = np.concatenate([np.arange(a, b) for a, b in zip(starts, stops, strict=True)])
    assert np.array_equal(concat_ranges(starts, stops), expected)
    assert len(concat_ranges(np.array([2]), np.array([2]))) == 0


@pytest.mark.parametrize(
    ("va", "kwargs", "message"),
    [
        (np.array([[0.0, 1.5]]), {}, r"\[-1, 1\]"),
        (np.array([[np.nan, 0.0]]), {}, r"\[-1, 1\]"),
        (np.zeros((3, 3)), {}, "shape"),
        (np.zeros((3, 2), dtype=np.int64), {}, "float"),
        (np.zeros((3, 2)), {"block_size": 0}, "block_size"),
        (np.zeros((3, 2)), {"side": 0}, "side"),
        (np.zeros((3, 2)), {"within_cell": np.zeros(2, dtype=np.int64)}, "within_cell"),
        (np.zeros((3, 2)), {"within_cell": np.zeros(3)}, "within_cell"),
        (np.zeros((3, 2)), {"rows": np.array([0, 3])}, "rows"),
        (np.zeros((3, 2)), {"rows": np.array([1, 1])}, "rows"),
    ],
)
def test_malformed_input_is_an_input_error(va: np.ndarray, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_index(va, **kwargs)


def test_nearest_needs_a_positive_k() -> None:
    with pytest.raises(InputError, match="k must be"):
        build_index(np.zeros((2, 2))).nearest((0.0, 0.0), 0)
