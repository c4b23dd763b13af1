"""Properties that must hold for any input: decoding, fusion and the catalog CSV reader never misbehave."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moodtune.affect import EMOTIONS, AffectState
from moodtune.affect.fusion import fuse
from moodtune.errors import ImageError, InputError
from moodtune.music.importers.csv_records import csv_records
from moodtune.perception.images import decode_image

# Examples are generated, not timed: no deadline, so a loaded machine cannot fail them.
examples = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

scores = st.lists(
    st.floats(min_value=0, max_value=1e308, allow_nan=False, allow_infinity=False), min_size=7, max_size=7
).filter(lambda values: max(values) > 0)


@examples
@given(data=st.binary(max_size=4096))
def test_any_bytes_decode_to_an_image_or_an_image_error(data):
    try:
        rgb = decode_image(data)
    except ImageError:
        return
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3


@examples
@given(header=st.binary(min_size=8, max_size=64), tail=st.binary(max_size=512))
def test_damaged_png_and_jpeg_files_are_image_errors(header, tail):
    for signature in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"):
        try:
            decode_image(signature + header + tail)
        except ImageError:
            pass


@examples
@given(values=scores)
def test_any_non_negative_scores_make_a_valid_state(values):
    state = AffectState.from_probabilities(values)
    assert np.isclose(sum(state.probabilities), 1.0)
    assert all(0 <= p <= 1 for p in state.probabilities)
    assert -1 <= state.valence <= 1 and -1 <= state.arousal <= 1


@examples
@given(face=scores, text=scores, picked=st.none() | st.sampled_from(EMOTIONS))
def test_fusion_of_any_readings_is_a_distribution_with_weights_summing_to_one(face, text, picked):
    fused = fuse(faces=AffectState.from_probabilities(face), text=AffectState.from_probabilities(text), picked=picked)
    assert np.isclose(sum(fused.affect.probabilities), 1.0)
    assert np.isclose(sum(source.weight for source in fused.sources), 1.0)
    if picked is not None:
        assert fused.affect.emotion == picked


@examples
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=7, max_size=7))
def test_unusable_scores_are_input_errors_never_crashes(values):
    try:
        AffectState.from_probabilities(values)
    except InputError:
        return
    assert all(np.isfinite(values)) and min(values) >= 0 and max(values) > 0


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def _csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)  # default dialect: fields holding \r or \n are quoted
    return text.getvalue().encode()


@examples
@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=20), noise=st.binary(max_size=64))
def test_the_csv_reader_keeps_every_well_formed_row_around_any_garbage(rows, noise):
    """Well-formed rows survive a line of arbitrary bytes between them, each in order and exactly once."""
    garbage = noise.replace(b"\n", b"").replace(b"\r", b"") + b"\n"
    middle = len(rows) // 2
    data = _csv([["a", "b", "c"], *rows[:middle]]) + garbage + _csv(rows[middle:])
    records = list(csv_records(io.BytesIO(data)))
    assert records[0] == (1, ["a", "b", "c"])
    kept = [fields for _, fields in records[1:] if isinstance(fields, list)]
    # The garbage line is reported, skipped as blank, or (3 fields by chance) read as a row of its own.
    if len(kept) == len(rows) + 1:
        del kept[middle]
    assert kept == rows


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_line_endings_do_not_matter(ending):
    data = ending.join([b"a,b", b"1,2", b"3,4"]) + ending
    assert [fields for _, fields in csv_records(io.BytesIO(data))] == [["a", "b"], ["1", "2"], ["3", "4"]]
