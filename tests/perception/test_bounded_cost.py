"""Any accepted photo costs a bounded number of detector passes, and hostile files are cheap or refused."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from moodtune.errors import ImageError
from moodtune.perception.faces import get_detector
from moodtune.perception.faces.blazeface import MAX_PASSES, BlazeFace
from moodtune.perception.images import decode_reduced
from moodtune.perception.photo import ANALYSIS_SIDE, find_faces
from moodtune.training.data.hostile import HOSTILE_FILES, cost_in_fresh_process

SIZES = [(320, 240), (640, 480), (1920, 1080), (4032, 3024), (7000, 5000)]  # the last is 35 MP


def _encode(image: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    return buf.getvalue()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per window the network is run on (a detection runs its windows as one batch)."""
    calls: list[int] = []
    forward = BlazeFace._forward

    def counted(self, blobs):  # type: ignore[no-untyped-def]
        calls.extend([1] * len(blobs))
        return forward(self, blobs)

    monkeypatch.setattr(BlazeFace, "_forward", counted)
    return calls


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_detector_passes_are_bounded_for_any_size(monkeypatch, width, height):
    calls = _counting(monkeypatch)
    yy, xx = np.mgrid[0:height, 0:width]
    image = np.repeat(((xx // 7 + yy // 5) % 256).astype(np.uint8)[..., None], 3, axis=2)
    get_detector().detect(image)
    assert 1 <= len(calls) <= MAX_PASSES


def test_small_photos_keep_their_tiles(monkeypatch):
    """The budget leaves 640×480 and 1280×720 photos scanned as before it existed (3 and 25 passes)."""
    calls = _counting(monkeypatch)
    for size, expected in [((480, 640, 3), 3), ((720, 1280, 3), 25)]:
        calls.clear()
        get_detector().detect(np.full(size, 128, np.uint8))
        assert len(calls) == expected


def test_a_12_mp_jpeg_is_decoded_at_a_quarter_and_boxes_come_back_full_size(monkeypatch):
    calls = _counting(monkeypatch)
    photo = np.full((3024, 4032, 3), 90, np.uint8)
    photo[::16] = 200  # some texture, so the JPEG is not trivial
    jpeg = _encode(Image.fromarray(photo), "JPEG", quality=90)
    reduced = decode_reduced(jpeg, ANALYSIS_SIDE)
    assert reduced.rgb.shape == (756, 1008, 3) and reduced.full_size == (4032, 3024) and reduced.scale == 0.25
    reduced, faces = find_faces(jpeg, detector="blazeface")
    assert reduced.full_size == (4032, 3024) and faces == []
    assert len(calls) <= MAX_PASSES


def test_reduced_decode_keeps_exif_orientation_and_small_photos_whole():
    image = Image.fromarray(np.zeros((300, 2000, 3), np.uint8))
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    reduced = decode_reduced(_encode(image, "JPEG", exif=exif), 500)
    assert reduced.full_size == (300, 2000) and reduced.rgb.shape == (500, 75, 3)
    small = decode_reduced(_encode(Image.fromarray(np.zeros((480, 640, 3), np.uint8)), "PNG"), ANALYSIS_SIDE)
    assert small.rgb.shape == (480, 640, 3) and small.scale == 1.0


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_hostile_files_are_cheap_or_refused(name):
    cost = cost_in_fresh_process(HOSTILE_FILES[name]())
    assert cost.peak_mb <= 300, cost
    # The benchmark holds the real target (≤ 5× a 640×480 photo); this only catches a return to seconds.
    assert cost.ms < 2000, cost
    assert cost.outcome.endswith("faces") or cost.refused, cost


def test_deep_images_over_12_mp_are_refused_before_decoding():
    for name in ("float32 TIFF, 6000x6000", "16-bit PNG, 6000x6000"):
        with pytest.raises(ImageError, match="16-bit or float"):
            decode_reduced(HOSTILE_FILES[name](), ANALYSIS_SIDE)


def test_a_hostile_file_under_a_lower_limit_is_refused_not_decoded():
    with pytest.raises(ImageError, match="megapixels"):
        decode_reduced(HOSTILE_FILES["PNG of zeros, 6324x6324"](), ANALYSIS_SIDE, max_pixels=12_000_000)
