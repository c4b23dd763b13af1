"""decode_image: every way a photo can be wrong gets a clear ImageError; good ones come out as RGB."""

import io

import numpy as np
import pytest
from PIL import Image

from moodtune.errors import ImageError
from moodtune.perception.images import MIN_SIDE, decode_image


def _encode(image: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.fixture
def photo() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)


def test_path_bytes_and_array_agree(tmp_path, photo):
    png = _encode(Image.fromarray(photo), "PNG")
    path = tmp_path / "photo.png"
    path.write_bytes(png)
    from_path, from_bytes, from_array = decode_image(path), decode_image(png), decode_image(photo)
    assert from_path.shape == (60, 80, 3) and from_path.dtype == np.uint8
    assert np.array_equal(from_path, photo) and np.array_equal(from_bytes, photo) and np.array_equal(from_array, photo)


def test_grayscale_rgba_and_16_bit_become_rgb(photo):
    gray = decode_image(_encode(Image.fromarray(photo[..., 0]), "PNG"))
    assert gray.shape == (60, 80, 3) and np.array_equal(gray[..., 0], gray[..., 2])
    rgba = np.dstack([photo, np.zeros((60, 80), np.uint8)])  # fully transparent
    assert (decode_image(_encode(Image.fromarray(rgba), "PNG")) == 255).all(), "transparent shows as white"
    deep = Image.fromarray(photo[..., 0].astype(np.uint16) * 257)  # 16-bit grayscale
    decoded = decode_image(_encode(deep, "PNG"))
    assert decoded.shape == (60, 80, 3)
    assert np.abs(decoded[..., 0].astype(int) - photo[..., 0]).max() <= 1


def test_exif_rotation_is_applied(photo):
    image = Image.fromarray(photo)
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    decoded = decode_image(_encode(image, "JPEG", exif=exif, quality=95))
    assert decoded.shape == (80, 60, 3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"this is a text file, not a photo\n", "not a recognised image"),
    ],
)
def test_non_images_are_refused(tmp_path, content, message):
    path = tmp_path / "holiday.jpg"
    path.write_bytes(content)
    with pytest.raises(ImageError, match=message):
        decode_image(path)


def test_truncated_jpeg_is_refused(photo):
    jpeg = _encode(Image.fromarray(np.repeat(np.repeat(photo, 4, 0), 4, 1)), "JPEG", quality=95)
    with pytest.raises(ImageError, match="truncated or corrupt"):
        decode_image(jpeg[: len(jpeg) // 2])


def test_tiny_image_is_refused():
    with pytest.raises(ImageError, match=str(MIN_SIDE)):
        decode_image(_encode(Image.new("RGB", (1, 1)), "PNG"))


def test_decompression_bomb_is_refused_from_the_header():
    bomb = _encode(Image.new("1", (30000, 30000)), "PNG", optimize=True)
    assert len(bomb) < 500_000
    with pytest.raises(ImageError, match="megapixels"):
        decode_image(bomb)


def test_byte_limit_and_missing_file(tmp_path, photo):
    with pytest.raises(ImageError, match="over the limit"):
        decode_image(_encode(Image.fromarray(photo), "PNG"), max_bytes=100)
    with pytest.raises(ImageError, match="no such file"):
        decode_image(tmp_path / "nope.jpg")


@pytest.mark.parametrize("bad", [np.zeros((10, 10, 2), np.uint8), np.zeros((5,), np.uint8), "not/a/file.png", 42])
def test_wrong_arrays_and_types(bad):
    with pytest.raises(ImageError):
        decode_image(bad)
