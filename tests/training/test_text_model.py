"""The text-mood model: featuriser parity between training and inference, a tiny training run, test figures."""

from __future__ import annotations

import csv
import gzip
import json
import time

import numpy as np
import pytest

from moodtune.affect import EMOTIONS
from moodtune.perception.text import TextMoodModel, extract_features, load_text_model
from moodtune.training.text.data import load_dair, load_goemotions
from moodtune.training.text.evaluate import evaluate_text_model

CORPUS = [
    "i feel so happy and loved today",
    "I'm not happy at all :( this is awful",
    "im furious, they never listen!!!",
    "what a surprise 😮 I didn't expect that",
    "so scared of the exam tomorrow 😨",
    "ugh, that's disgusting 🤮",
    "the bus leaves at noon",
    "luv u sooooo much ❤️",
]


def _write_data(root, copies: int = 6) -> None:
    dair = root / "dair_emotion"
    dair.mkdir(parents=True)
    rows = [("i feel happy and joyful", "joy"), ("i feel sad and lonely", "sadness"), ("i feel angry and mad", "anger"),
            ("i feel scared and afraid", "fear"), ("i feel amazed and surprised", "surprise"),
            ("i feel loved and cherished", "love")]  # fmt: skip
    for split in ("train", "validation", "test"):
        with (dair / f"{split}.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["text", "label"])
            for _ in range(copies):
                w.writerows(rows)
    go = root / "goemotions"
    go.mkdir()
    names = ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
    (go / "emotions.txt").write_text("\n".join(names), encoding="utf-8")
    ekman = {n: [n] for n in names[:6]}
    (go / "ekman_mapping.json").write_text(json.dumps(ekman), encoding="utf-8")
    go_rows = [("That is gross and disgusting", "1"), ("The train is at five", "6"), ("So glad it worked!", "3"),
               ("I hate this so much", "0"), ("This is gross but I love it", "1,3")]  # fmt: skip
    for name in ("train", "dev", "test"):
        with gzip.open(go / f"{name}.tsv.gz", "wt", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t")
            for i in range(copies):
                w.writerows([(t, labels, f"id{i}") for t, labels in go_rows])


def test_loaders_map_labels_and_drop_conflicting_multi_label_rows(tmp_path):
    _write_data(tmp_path, copies=2)
    dair = load_dair(tmp_path, "train")
    expected = [EMOTIONS.index(e) for e in ("happy", "sad", "angry", "fear", "surprise", "happy")]
    assert len(dair) == 12 and dair.labels[:6].tolist() == expected
    go = load_goemotions(tmp_path, "validation")
    assert len(go) == 8 and go.dropped == 2
    assert go.labels[:4].tolist() == [EMOTIONS.index(e) for e in ("disgust", "neutral", "happy", "angry")]


def test_tiny_training_run_exports_a_model_whose_features_equal_the_trainers(tmp_path):
    pytest.importorskip("sklearn")
    from moodtune.training.text.train import fit_text_model, save_text_model, vectorize

    _write_data(tmp_path / "data")
    train = [load_dair(tmp_path / "data", "train"), load_goemotions(tmp_path / "data", "train")]
    val = [load_dair(tmp_path / "data", "validation"), load_goemotions(tmp_path / "data", "validation")]
    fitted = fit_text_model(train, val, cs=(10.0,), min_df=1, max_features=None)
    path = save_text_model(fitted, tmp_path / "tiny.npz")
    model = TextMoodModel(path)

    # Parity: the sparse rows the trainer fits on equal the runtime vectors after the .npz round trip.
    texts = list(train[0].texts[:6]) + list(train[1].texts[:5]) + CORPUS
    x = vectorize(fitted["vectorizer"], [extract_features(t) for t in texts]).toarray()
    for row, text in zip(x, texts, strict=True):
        idx, val_ = model.vectorizer.transform_one(text)
        dense = np.zeros(x.shape[1])
        dense[idx] = val_
        assert np.allclose(dense, row, atol=1e-6), text
    assert model.weights.shape == (x.shape[1], len(EMOTIONS))

    assert EMOTIONS[int(np.argmax(model.predict_proba("i feel sad and lonely")))] == "sad"
    assert EMOTIONS[int(np.argmax(model.predict_proba("that is gross and disgusting")))] == "disgust"
    with np.load(path, allow_pickle=False) as z:  # plain arrays only
        assert {"vocab", "idf", "weights", "bias", "temperature", "n_word", "meta"} <= set(z.files)


def test_the_shipped_model_is_small_and_fast():
    model = load_text_model()
    assert model.weights.shape[1] == len(EMOTIONS)
    text = "honestly I am not sure how I feel about the new job, kind of nervous but also excited " * 3
    model.predict_proba(text)
    start = time.perf_counter()
    for _ in range(50):
        model.predict_proba(text)
    assert (time.perf_counter() - start) / 50 < 0.005


def test_shipped_model_meets_its_bars_on_the_test_splits(shared_data):
    root = shared_data / "text"
    if not (root / "dair_emotion" / "test.csv").is_file():
        pytest.skip(f"text data not found under {root}")
    result = evaluate_text_model(load_text_model(), root, "test")
    assert result["dair"]["n"] == 2000 and result["dair"]["labels"] == ["angry", "fear", "happy", "sad", "surprise"]
    assert result["dair"]["accuracy"] >= 0.88
    assert result["goemotions"]["labels"] == list(EMOTIONS)
    assert result["goemotions"]["macro_f1"] >= 0.55
