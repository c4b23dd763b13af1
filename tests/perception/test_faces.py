"""Face detectors: the contract every registered detector keeps, and BlazeFace on real faces."""

from pathlib import Path

import numpy as np
import pytest

from moodtune.errors import ImageError, InputError
from moodtune.perception.faces import create_detector, detect_faces, list_detectors
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo, found_in_square


@pytest.fixture(scope="module")
def fer_faces(shared_data):
    return load_fer2013(shared_data / "fer2013" / "fer2013.csv.gz", "PrivateTest").images


def test_registry_lists_the_default_and_the_baseline():
    assert {"blazeface", "blazeface_untiled", "haar"} <= set(list_detectors())
    with pytest.raises(ValueError, match="unknown"):
        create_detector("nope")


@pytest.mark.parametrize("name", list_detectors())
def test_contract_on_face_free_images(name):
    detector = create_detector(name)
    rng = np.random.default_rng(1)
    for image in (np.full((480, 640, 3), 128, np.uint8), rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)):
        assert detector.detect(image) == []
    with pytest.raises(ImageError):
        detector.detect(np.zeros((48, 48), np.uint8))  # detectors take decoded RGB only


@pytest.mark.parametrize("name", list_detectors())
def test_contract_on_a_face(name, fer_faces):
    rng = np.random.default_rng(2)
    scene, (square,) = compose_photo(fer_faces[3:4], rng, face_side=(220, 240))
    faces = create_detector(name).detect(scene)
    assert faces, f"{name} found no face"
    for face in faces:
        x, y, w, h = face.box
        assert 0 <= x and 0 <= y and w > 0 and h > 0 and x + w <= 640 and y + h <= 480
    assert [f.area for f in faces] == sorted((f.area for f in faces), reverse=True)
    assert found_in_square(faces[0].box, square)


def test_blazeface_finds_most_placed_faces_with_landmarks(fer_faces):
    rng = np.random.default_rng(3)
    found = 0
    for i in range(50):
        scene, (square,) = compose_photo(fer_faces[i : i + 1], rng)
        faces = detect_faces(scene)
        found += any(found_in_square(f.box, square) for f in faces)
        assert len(faces) <= 1, "one face in the photo, at most one box"
        for f in faces:
            assert 0.6 <= f.score <= 1 and len(f.landmarks) == 6
    assert found >= 45, f"{found}/50"


def test_tiles_find_small_faces_the_whole_photo_misses(fer_faces):
    rng = np.random.default_rng(4)
    scene, squares = compose_photo(fer_faces[10:15], rng, size=(1600, 900), face_side=(150, 180))
    tiled = detect_faces(scene)
    whole = detect_faces(scene, detector="blazeface_untiled")
    assert sum(any(found_in_square(f.box, s) for f in tiled) for s in squares) > sum(
        any(found_in_square(f.box, s) for f in whole) for s in squares
    )


def test_bad_detector_settings():
    with pytest.raises(InputError):
        create_detector("blazeface", min_score=1.5)
    with pytest.raises(InputError):
        create_detector("blazeface", min_tile=-1)


@pytest.mark.parametrize("variant", ["short", "full"])
def test_the_shipped_onnx_detector_matches_mediapipes_tflite_file(variant):
    """The ONNX files are a conversion (scripts/convert_blazeface.py); OpenCV runs the originals."""
    import cv2

    from moodtune.perception.faces.blazeface import BlazeFace

    original = Path(__file__).resolve().parents[2] / "third_party" / "blazeface"
    net = cv2.dnn.readNetFromTFLite(str(original / f"face_detection_{variant}_range.tflite"))
    detector = BlazeFace(variant=variant)
    size = detector._spec.input_size
    blobs = np.random.default_rng(1).uniform(-1, 1, (3, 3, size, size)).astype(np.float32)
    logits, raw = detector._session.run(None, {detector._input_name: blobs})
    for i, blob in enumerate(blobs):
        net.setInput(blob[None])
        reference = sorted(net.forward(list(net.getUnconnectedOutLayersNames())), key=lambda out: out.shape[-1])
        ours = sorted((logits[i : i + 1], raw[i : i + 1]), key=lambda out: out.shape[-1])
        for expected, got in zip(reference, ours, strict=True):
            assert np.abs(expected.reshape(got.shape) - got).max() < 1e-3
