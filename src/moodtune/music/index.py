"""A grid index over the valence–arousal square: tracks near a mood point without scanning the catalog.

The square [-1, 1]² is cut into ``side × side`` equal cells (about
``TRACKS_PER_CELL`` tracks per cell on average, whatever the catalog size, so
a query touches a number of tracks that depends on how many lie near it, not
on the catalog size). Tracks are stored sorted by cell; inside a cell by an
optional caller-given key (the ranker uses: audio features or not, primary
genre, popularity), and each cell's run is cut into *blocks* of at most
``block_size`` tracks. A block is the unit a caller bounds: it has a bounding
box (so the distance from a query point to its nearest track is known without
reading the tracks) and ``block_max`` / ``block_or`` summarise any per-track
column over it.

Cells are numbered valence-major (``cell = iv · side + ia``), so one valence
row of a query window is one contiguous run of cells, of tracks and of blocks:
a window of ``2L + 1`` rows is read as ``2L + 1`` slices.

Every query is exact: ``within`` returns what a scan of all points would, and
``nearest`` the same k points as a full sort by (distance, row). A window only
answers once the distance from the query point to anything outside it (its
*clearance*) is known to exceed what the answer needs; otherwise it grows.

Distances are Euclidean, computed in float64 from the stored coordinates by
``distances``, the one formula of every query here, so an indexed and a
brute-force answer compare exactly.

Memory: per track the row order (int64) and a copy of its point (the input
dtype; float32 for catalogs), 16 bytes; per block an offset and a box in the
points' dtype (24 bytes, 1.5 per track at 16 tracks a block); per cell two
offsets (16 bytes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from moodtune.errors import InputError

__all__ = ["DEFAULT_BLOCK_SIZE", "TRACKS_PER_CELL", "VAIndex", "Window", "build_index", "concat_ranges", "distances"]

#: Tracks per block: small enough that a block's bounds stay tight, large enough that
#: per-block work stays well below per-track work.
DEFAULT_BLOCK_SIZE: Final = 32
#: Average tracks per grid cell the grid is sized for.
TRACKS_PER_CELL: Final = 256
# 1024² cells (8 MB of offsets) is enough for 250 M tracks at the average above.
_MAX_SIDE: Final = 1024
# Cell boundaries are computed in floating point; a point on a boundary may land in either
# neighbour. Clearances are shrunk by this much so such a point can never be missed.
_EDGE_SLACK: Final = 1e-9


def distances(points: np.ndarray, point: tuple[float, float]) -> np.ndarray:
    """Euclidean distances, shape (m,), from ``points`` (shape (m, 2), any float dtype) to ``point``, in float64."""
    return np.hypot(points[:, 0].astype(np.float64) - point[0], points[:, 1].astype(np.float64) - point[1])


def concat_ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """``concatenate([arange(a, b) for a, b in zip(starts, stops)])`` without the loop, int64."""
    lengths = np.maximum(stops - starts, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    # Each run continues from its start: add the jump between runs at each run's first slot.
    steps = np.ones(total, dtype=np.int64)
    heads = np.cumsum(lengths)[:-1]
    steps[0] = starts[0]
    steps[heads] = starts[1:] - (starts[:-1] + lengths[:-1] - 1)
    return np.cumsum(steps)


@dataclass(frozen=True)
class Window:
    """The cells within ``reach`` cells (Chebyshev) of a query point's cell.

    Attributes
    ----------
    positions : (m,) int64, positions in index order of every track in the window.
    blocks : (b,) int64, the window's block numbers.
    clearance : a lower bound on the distance from the query point to any indexed point
        outside the window; ``inf`` when the window holds the whole grid.
    """

    positions: np.ndarray
    blocks: np.ndarray
    clearance: float


@dataclass(frozen=True, eq=False)
class VAIndex:
    """Points on [-1, 1]² sorted into grid cells and blocks (see the module docstring).

    Attributes
    ----------
    side : cells per axis.
    order : (n,) int64, the indexed rows in index order (cell, then the within-cell key; ties in
        no particular order, since every query breaks its own ties).
    points : (n, 2), the points in index order (``points[i]`` belongs to row ``order[i]``).
    cell_starts : (side² + 1,) int64, positions where each cell's run starts (and the end).
    block_starts : (b + 1,) int64, positions where each block starts (and the end).
    cell_blocks : (side² + 1,) int64, the first block of each cell (and the block count).
    block_box : (b, 4), each block's (v_min, v_max, a_min, a_max), in the points' dtype.
    """

    side: int
    order: np.ndarray
    points: np.ndarray
    cell_starts: np.ndarray
    block_starts: np.ndarray
    cell_blocks: np.ndarray
    block_box: np.ndarray

    def __len__(self) -> int:
        return len(self.order)

    @property
    def n_blocks(self) -> int:
        return len(self.block_starts) - 1

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays, in bytes."""
        arrays = (self.order, self.points, self.cell_starts, self.block_starts, self.cell_blocks, self.block_box)
        return sum(a.nbytes for a in arrays)

    def _cell(self, point: tuple[float, float]) -> tuple[int, int]:
        iv, ia = (min(max(int(math.floor((x + 1.0) / 2.0 * self.side)), 0), self.side - 1) for x in point)
        return iv, ia

    def window(self, point: tuple[float, float], reach: int) -> Window:
        """The tracks and blocks of the cells within ``reach`` cells of ``point``'s cell (see ``Window``)."""
        side = self.side
        iv, ia = self._cell(point)
        v_lo, v_hi = max(iv - reach, 0), min(iv + reach, side - 1)
        a_lo, a_hi = max(ia - reach, 0), min(ia + reach, side - 1)
        rows = np.arange(v_lo, v_hi + 1, dtype=np.int64) * side
        first, last = rows + a_lo, rows + a_hi + 1
        positions = concat_ranges(self.cell_starts[first], self.cell_starts[last])
        blocks = concat_ranges(self.cell_blocks[first], self.cell_blocks[last])
        width = 2.0 / side
        gaps = []
        if v_lo > 0:
            gaps.append(point[0] - (-1.0 + v_lo * width))
        if v_hi < side - 1:
            gaps.append(-1.0 + (v_hi + 1) * width - point[0])
        if a_lo > 0:
            gaps.append(point[1] - (-1.0 + a_lo * width))
        if a_hi < side - 1:
            gaps.append(-1.0 + (a_hi + 1) * width - point[1])
        clearance = max(min(gaps) - _EDGE_SLACK, 0.0) if gaps else math.inf
        return Window(positions, blocks, clearance)

    def within(self, point: tuple[float, float], radius: float) -> np.ndarray:
        """Rows whose point lies within ``radius`` of ``point`` (distance ≤ radius), ascending."""
        reach = int(math.ceil(radius * self.side / 2.0))
        while True:
            window = self.window(point, reach)
            if window.clearance > radius:
                break
            reach = 2 * reach + 1
        near = window.positions[distances(self.points[window.positions], point) <= radius]
        return np.sort(self.order[near])

    def nearest(self, point: tuple[float, float], k: int, *, ties: bool = False) -> np.ndarray:
        """The ``k`` rows nearest ``point`` (fewer if the index is smaller), nearest first, ties by row.

        With ``ties``, every row exactly as near as the k-th comes too (so the answer does not
        depend on the row numbers).
        """
        if k < 1:
            raise InputError(f"k must be >= 1, got {k}")
        k = min(k, len(self))
        if k == 0:
            return np.empty(0, dtype=np.int64)
        # Start from the cells that, at the average density, would hold about k tracks.
        reach = int(math.sqrt(k / max(len(self) / self.side**2, 1e-9)) / 2)
        while True:
            window = self.window(point, reach)
            if len(window.positions) >= k:
                d = distances(self.points[window.positions], point)
                kth = np.partition(d, k - 1)[k - 1]
                # Anything outside is at least `clearance` away; strictly farther, so not even a tie.
                if kth < window.clearance:
                    near = np.flatnonzero(d <= kth)
                    rows = self.order[window.positions[near]]
                    best = rows[np.lexsort((rows, d[near]))]
                    return best if ties else best[:k]
            reach = 2 * reach + 1

    def block_positions(self, blocks: np.ndarray) -> np.ndarray:
        """Index positions of the tracks of ``blocks``, block by block, shape (Σ block sizes,)."""
        return concat_ranges(self.block_starts[blocks], self.block_starts[blocks + 1])

    def block_distance(self, point: tuple[float, float], blocks: np.ndarray) -> np.ndarray:
        """Lower bound, shape (len(blocks),), on the distance from ``point`` to any track of each block."""
        box = self.block_box[blocks].astype(np.float64)  # float32 minus a Python float would stay float32
        dv = np.maximum(np.maximum(box[:, 0] - point[0], point[0] - box[:, 1]), 0.0)
        da = np.maximum(np.maximum(box[:, 2] - point[1], point[1] - box[:, 3]), 0.0)
        return np.hypot(dv, da)

    def block_max(self, values: np.ndarray) -> np.ndarray:
        """Per-block maximum, shape (b,), of a per-row column ``values`` (shape (n,), rows in catalog order)."""
        return np.maximum.reduceat(values[self.order], self.block_starts[:-1]) if self.n_blocks else values[:0]

    def block_or(self, values: np.ndarray) -> np.ndarray:
        """Per-block bitwise OR, shape (b,), of a per-row integer column (shape (n,), catalog order)."""
        return np.bitwise_or.reduceat(values[self.order], self.block_starts[:-1]) if self.n_blocks else values[:0]


def build_index(
    va: np.ndarray,
    *,
    rows: np.ndarray | None = None,
    within_cell: np.ndarray | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    side: int | None = None,
) -> VAIndex:
    """Index points on the valence–arousal square.

    Parameters
    ----------
    va : (n, 2) float, (valence, arousal) of every catalog row, each in [-1, 1].
    rows : (m,) int, the rows to index (default: all n); e.g. only the tracks with audio features.
    within_cell : (n,) integer key ordering tracks inside a cell (ascending), by catalog row.
    block_size : most tracks per block, ≥ 1.
    side : cells per axis; default ``ceil(sqrt(m / TRACKS_PER_CELL))``, at most 1024.

    Raises
    ------
    InputError
        ``va`` is not (n, 2), has a value outside [-1, 1] or NaN, or ``rows`` /
        ``within_cell`` / ``block_size`` / ``side`` are malformed.
    """
    va = np.asarray(va)
    if va.ndim != 2 or va.shape[1] != 2 or not np.issubdtype(va.dtype, np.floating):
        raise InputError(f"va must be a float array of shape (n, 2), got {va.dtype} {va.shape}")
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise InputError(f"block_size must be an integer >= 1, got {block_size!r}")
    rows = np.arange(len(va), dtype=np.int64) if rows is None else np.sort(np.asarray(rows, dtype=np.int64))
    if rows.ndim != 1 or (len(rows) and (rows[0] < 0 or rows[-1] >= len(va) or np.any(np.diff(rows) == 0))):
        raise InputError(f"rows must be distinct row numbers in [0, {len(va)})")
    points = va[rows]
    if not np.all(np.abs(points) <= 1.0):  # also false for NaN
        raise InputError("valence and arousal must all lie in [-1, 1] to be indexed")
    if side is None:
        side = min(max(math.ceil(math.sqrt(len(rows) / TRACKS_PER_CELL)), 1), _MAX_SIDE)
    elif isinstance(side, bool) or not isinstance(side, int) or not 1 <= side <= _MAX_SIDE:
        raise InputError(f"side must be an integer in 1..{_MAX_SIDE}, got {side!r}")

    cells = np.clip(np.floor((points.astype(np.float64) + 1.0) / 2.0 * side), 0, side - 1).astype(np.int64)
    cell = cells[:, 0] * side + cells[:, 1]
    if within_cell is not None:
        within_cell = np.asarray(within_cell)
        if within_cell.shape != (len(va),) or not np.issubdtype(within_cell.dtype, np.integer):
            raise InputError(f"within_cell must be an integer array of shape ({len(va)},)")
        key = within_cell[rows].astype(np.int64)
        low, span = (int(key.min()), int(key.max()) - int(key.min()) + 1) if len(key) else (0, 1)
        if span * side * side >= 2**62:
            raise InputError(f"within_cell spans {span} values; at most {2**62 // (side * side)} fit beside the cell")
        # One combined key sorts in one pass (a lexsort over two keys is several times slower at 10 M rows).
        cell = cell * span + (key - low)
    position = np.argsort(cell)
    if within_cell is not None:
        cell //= span
    order = rows[position]
    cell = cell[position]
    counts = np.bincount(cell, minlength=side * side)
    cell_starts = np.concatenate(([0], np.cumsum(counts)))
    # Blocks: cut every cell's run into pieces of at most block_size.
    per_cell = -(-counts // block_size)
    cell_blocks = np.concatenate(([0], np.cumsum(per_cell)))
    block_cell = np.repeat(np.arange(side * side, dtype=np.int64), per_cell)
    first_of_cell = cell_blocks[block_cell]
    block_starts = np.append(
        cell_starts[block_cell] + (np.arange(len(block_cell)) - first_of_cell) * block_size, len(rows)
    )
    sorted_points = points[position]
    if len(block_cell):
        starts = block_starts[:-1]
        box = np.stack(
            [
                np.minimum.reduceat(sorted_points[:, 0], starts),
                np.maximum.reduceat(sorted_points[:, 0], starts),
                np.minimum.reduceat(sorted_points[:, 1], starts),
                np.maximum.reduceat(sorted_points[:, 1], starts),
            ],
            axis=1,
        )
    else:
        box = np.empty((0, 4), dtype=points.dtype)
    return VAIndex(
        side=side,
        order=order,
        points=np.ascontiguousarray(sorted_points),
        cell_starts=cell_starts.astype(np.int64),
        block_starts=block_starts.astype(np.int64),
        cell_blocks=cell_blocks.astype(np.int64),
        block_box=box,
    )
