"""The audio-feature mood model: estimator contract, model file, shipped model, training and CV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from moodtune.affect import VA_ANCHORS
from moodtune.errors import DataError, InputError, ModelError
from moodtune.music.audio_mood import (
    MODEL_FEATURES,
    MOOD_ANCHORS,
    AudioMoodModel,
    estimate_mood,
    load_audio_mood_model,
)
from moodtune.music.track import AUDIO_FEATURES, MOODS
from moodtune.training.audio_mood import (
    MoodsData,
    cross_fitted_estimates,
    cross_validate,
    load_moods_data,
    spotify_scale_anchors,
    stratified_folds,
)

DATA_MOODS_SHA256 = "c0a49f786a8e52f4d7ad0f70330b79bea49df32292ed63b2ee4ca7366f4e6ba4"  # ../shared/data/music/README.md

# Per mood: mean danceability, energy, acousticness, instrumentalness, speechiness, liveness,
# loudness, tempo, Spotify valence — roughly the class means of the Spotify moods data set.
_CLASS_MEANS = {
    "Happy": (0.62, 0.75, 0.13, 0.05, 0.06, 0.18, -6.5, 120.0, 0.58),
    "Sad": (0.50, 0.39, 0.58, 0.10, 0.05, 0.15, -10.0, 115.0, 0.29),
    "Energetic": (0.51, 0.88, 0.03, 0.15, 0.08, 0.22, -5.0, 130.0, 0.44),
    "Calm": (0.41, 0.16, 0.88, 0.75, 0.04, 0.11, -22.0, 105.0, 0.15),
}
_SPREAD = (0.08, 0.08, 0.08, 0.08, 0.01, 0.04, 1.5, 15.0, 0.1)


def _synthetic(per_class: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (n, len(AUDIO_FEATURES)), labels (n,), Spotify valence (n,) of well-separated fake tracks."""
    rng = np.random.default_rng(seed)
    rows, labels, valence = [], [], []
    for mood, means in _CLASS_MEANS.items():
        values = rng.normal(means, _SPREAD, size=(per_class, len(means)))
        values[:, [0, 1, 2, 3, 4, 5, 8]] = values[:, [0, 1, 2, 3, 4, 5, 8]].clip(0, 1)
        x = np.full((per_class, len(AUDIO_FEATURES)), np.nan)
        for j, name in enumerate(MODEL_FEATURES):
            x[:, AUDIO_FEATURES.index(name)] = values[:, j]
        x[:, AUDIO_FEATURES.index("key")] = rng.integers(0, 12, per_class)
        rows.append(x)
        labels += [mood] * per_class
        valence.append(values[:, 8])
    return np.vstack(rows), np.array(labels, dtype=object), np.concatenate(valence)


@pytest.fixture(scope="module")
def fitted() -> tuple[AudioMoodModel, np.ndarray, np.ndarray, np.ndarray]:
    X, y, sv = _synthetic()
    return AudioMoodModel().fit(X, y, spotify_valence=sv), X, y, sv


# --- estimator contract -----------------------------------------------------------------------------


def test_no_tracks_give_empty_estimates(fitted):
    est = fitted[0].estimate(np.zeros((0, len(AUDIO_FEATURES))))
    assert len(est) == 0 and est.valence.shape == est.label.shape == (0,)


def test_outputs_have_the_documented_shapes_and_ranges(fitted):
    model, X, y, _ = fitted
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), len(MOODS)) and model.classes_ == MOODS
    assert np.allclose(proba.sum(axis=1), 1.0) and (proba >= 0).all()
    assert list(model.predict(X)) == [MOODS[i] for i in proba.argmax(axis=1)]
    est = model.estimate(X)
    assert len(est) == len(X)
    for values in (est.valence, est.arousal, est.probability):
        assert values.shape == (len(X),) and np.isfinite(values).all()
    assert (np.abs(est.valence) <= 1).all() and (np.abs(est.arousal) <= 1).all()
    assert np.array_equal(est.probability, proba.max(axis=1)) and list(est.label) == list(model.predict(X))
    assert np.mean(model.predict(X) == y) > 0.9  # the fake classes are well apart


def test_fit_is_deterministic(fitted):
    model, X, y, sv = fitted
    again = AudioMoodModel().fit(X, y, spotify_valence=sv)
    assert again.to_dict() == model.to_dict()


def test_each_mood_lands_around_its_circumplex_anchor(fitted):
    model, X, y, _ = fitted
    est = model.estimate(X)
    for mood in MOODS:
        points = np.column_stack([est.valence, est.arousal])[y == mood]
        # The mood's typical track sits on the anchor: the tracks' mean is close to it, and they spread.
        assert points.mean(axis=0) == pytest.approx(MOOD_ANCHORS[mood], abs=0.1)
        assert (points.std(axis=0) > 0.02).all()
    calm = y == "Calm"
    # Calm music is pleasant and quiet, although its Spotify valence is the lowest of the four moods.
    assert (est.valence[calm] > 0).mean() > 0.9 and (est.arousal[calm] < 0).mean() > 0.9


def test_placement_is_the_documented_formula(fitted):
    model, X, _, _ = fitted
    est = model.estimate(X)
    proba = model.predict_proba(X)
    signals = np.column_stack([model.predict_positiveness(X), X[:, AUDIO_FEATURES.index("energy")].clip(0, 1)])
    expected = proba @ model.anchors_ + model.gain * (signals - proba @ model.signal_means_)
    assert np.allclose(np.column_stack([est.valence, est.arousal]), expected.clip(-1, 1))
    assert np.array_equal(model.anchors_, np.array([MOOD_ANCHORS[m] for m in MOODS]))


def test_signals_move_a_track_within_its_mood(fitted):
    model, X, y, _ = fitted
    calm = X[y == "Calm"][:1]
    livelier = calm.copy()
    livelier[0, AUDIO_FEATURES.index("energy")] += 0.1
    a, b = model.estimate(calm), model.estimate(livelier)
    assert b.arousal[0] > a.arousal[0]
    # Without signals (gain 0) a track sits at the probability-weighted mean of the anchors.
    X_fit, y_fit, sv_fit = _synthetic()
    flat = AudioMoodModel(gain=0.0).fit(X_fit, y_fit, spotify_valence=sv_fit)
    est = flat.estimate(X)
    assert np.allclose(np.column_stack([est.valence, est.arousal]), flat.predict_proba(X) @ flat.anchors_)


def test_mood_anchors_come_from_the_circumplex():
    assert MOOD_ANCHORS["Happy"] == VA_ANCHORS["happy"] and MOOD_ANCHORS["Sad"] == VA_ANCHORS["sad"]
    radius = np.mean([np.hypot(v, a) for name, (v, a) in VA_ANCHORS.items() if name != "neutral"])
    for mood, degrees in (("Calm", 315.0), ("Energetic", 67.5)):
        v, a = MOOD_ANCHORS[mood]
        assert np.hypot(v, a) == pytest.approx(radius, abs=0.015)  # 0.80, coordinates to two decimals
        assert np.degrees(np.arctan2(a, v)) % 360 == pytest.approx(degrees, abs=1.0)


def test_same_objective_as_scikit_learn(fitted):
    sklearn = pytest.importorskip("sklearn.linear_model")
    model, X, y, _ = fitted
    cols = [AUDIO_FEATURES.index(f) for f in MODEL_FEATURES]
    Z = (X[:, cols] - X[:, cols].mean(axis=0)) / X[:, cols].std(axis=0)
    reference = sklearn.LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(Z, y)
    order = [list(reference.classes_).index(m) for m in MOODS]
    assert np.abs(reference.predict_proba(Z)[:, order] - model.predict_proba(X)).max() < 1e-5


def test_missing_features_take_the_training_mean(fitted):
    model, X, _, _ = fitted
    row = X[:1].copy()
    row[0, AUDIO_FEATURES.index("tempo")] = np.nan
    imputed = X[:1].copy()
    imputed[0, AUDIO_FEATURES.index("tempo")] = model.mean_[MODEL_FEATURES.index("tempo")]
    assert np.allclose(model.predict_proba(row), model.predict_proba(imputed))
    a, b = model.estimate(row), model.estimate(imputed)
    assert (a.valence[0], a.arousal[0]) == pytest.approx((b.valence[0], b.arousal[0]))
    nothing = model.estimate(np.full((1, len(AUDIO_FEATURES)), np.nan))  # the average track
    assert np.isfinite([nothing.valence[0], nothing.arousal[0], nothing.probability[0]]).all()
    mean_row = np.full((1, len(AUDIO_FEATURES)), np.nan)
    mean_row[0, [AUDIO_FEATURES.index(f) for f in model.features]] = model.mean_
    assert np.allclose(model.predict_proba(np.full((1, len(AUDIO_FEATURES)), np.nan)), model.predict_proba(mean_row))


def test_key_and_mode_are_not_read(fitted):
    model, X, _, _ = fitted
    other = X.copy()
    other[:, AUDIO_FEATURES.index("key")] = 3
    other[:, AUDIO_FEATURES.index("mode")] = 1
    assert np.array_equal(model.predict_proba(other), model.predict_proba(X))


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.zeros((3, len(AUDIO_FEATURES) - 1)), "shape"),
        (np.zeros(len(AUDIO_FEATURES)), "shape"),
        (np.full((2, len(AUDIO_FEATURES)), np.inf), "infinite"),
        ([["a"] * len(AUDIO_FEATURES)], "numbers"),
    ],
)
def test_bad_inputs_raise(fitted, X, message):
    model = fitted[0]
    with pytest.raises(InputError, match=message):
        model.estimate(X)
    with pytest.raises(InputError, match=message):
        estimate_mood(X, model=model)


def test_fit_checks_its_inputs():
    X, y, sv = _synthetic(per_class=10)
    with pytest.raises(InputError, match="y must have shape"):
        AudioMoodModel().fit(X, y[:-1], spotify_valence=sv)
    with pytest.raises(InputError, match="outside"):
        AudioMoodModel().fit(X, np.where(y == "Happy", "Joyful", y), spotify_valence=sv)
    with pytest.raises(InputError, match="every mood"):
        AudioMoodModel().fit(X[y != "Calm"], y[y != "Calm"], spotify_valence=sv[y != "Calm"])
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        AudioMoodModel().fit(X, y, spotify_valence=sv * 100)
    with pytest.raises(InputError, match="no value"):
        AudioMoodModel(features=(*MODEL_FEATURES, "mode")).fit(X, y, spotify_valence=sv)
    bad_params = [
        ({"C": 0}, "C"),
        ({"gain": -1.0}, "gain"),
        ({"anchors": {"Happy": (0.5, 0.5)}}, "anchors"),
        ({"anchors": {**MOOD_ANCHORS, "Calm": (0.5, -1.5)}}, "anchors"),
        ({"anchors": {**MOOD_ANCHORS, "Calm": "calm"}}, "anchors"),
        ({"valence_alpha": -1}, "valence_alpha"),
        ({"features": ("tempo",)}, "energy"),
        ({"features": ("energy", "loudness_db")}, "features"),
    ]
    for params, name in bad_params:
        with pytest.raises(InputError, match=name):
            AudioMoodModel(**params).fit(X, y, spotify_valence=sv)


def test_unfitted_model_refuses_to_predict():
    with pytest.raises(ModelError, match="not fitted"):
        AudioMoodModel().predict(np.zeros((1, len(AUDIO_FEATURES))))


# --- the model file ---------------------------------------------------------------------------------


def test_json_round_trip_gives_the_same_predictions(fitted, tmp_path):
    model, X, _, _ = fitted
    path = tmp_path / "model.json"
    model.save(path, {"note": "test"})
    loaded = AudioMoodModel.load(path)
    assert loaded.provenance_ == {"note": "test"} and loaded.features == model.features
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    a, b = loaded.estimate(X), model.estimate(X)
    assert np.array_equal(a.valence, b.valence) and np.array_equal(a.arousal, b.arousal)
    assert json.loads(path.read_text(encoding="utf-8"))["labels"] == list(MOODS)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format="other/9"), "format"),
        (lambda d: d.update(labels=["Sad", "Happy", "Energetic", "Calm"]), "labels"),
        (lambda d: d.update(coef=d["coef"][:-1]), "coef"),
        (lambda d: d.pop("anchors"), "anchors"),
        (lambda d: d.update(anchors=d["anchors"][:3]), "anchors"),
        (lambda d: d.update(signal_means=[[0.5, 0.5]] * 3), "signal_means"),
        (lambda d: d.update(scale=[0.0] * len(d["scale"])), "scale"),
        (lambda d: d.update(features=["energy", "nope"]), "features"),
    ],
)
def test_malformed_model_files_are_refused(fitted, tmp_path, edit, message):
    data = fitted[0].to_dict()
    edit(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        AudioMoodModel.load(path)


def test_a_model_file_on_spotify_s_scale_is_refused(fitted, tmp_path):
    # Format 1 placed tracks on Spotify's valence scale; its numbers mean something else now.
    data = fitted[0].to_dict()
    data["format"] = "moodtune.audio_mood/1"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="refit"):
        AudioMoodModel.load(path)


def test_unreadable_model_file_is_refused(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read"):
        AudioMoodModel.load(tmp_path / "broken.json")
    with pytest.raises(ModelError, match="cannot read"):
        AudioMoodModel.load(tmp_path / "missing.json")


# --- the shipped model ------------------------------------------------------------------------------


def _row(**values: float) -> list[float]:
    return [values.get(name, np.nan) for name in AUDIO_FEATURES]


def test_shipped_model_loads_once_and_says_where_it_came_from():
    model = load_audio_mood_model()
    assert load_audio_mood_model() is model
    assert model.features == MODEL_FEATURES and model.classes_ == MOODS
    provenance = model.provenance_
    assert provenance["data"]["sha256"] == DATA_MOODS_SHA256 and provenance["data"]["rows"] == 686
    figures = provenance["cross_validation"]["methods"]
    assert figures["audio_mood"]["accuracy"]["mean"] > figures["knn_k5"]["accuracy"]["mean"]


def test_shipped_model_places_hand_made_tracks_sensibly():
    dance = _row(danceability=0.85, energy=0.9, acousticness=0.05, instrumentalness=0.0, speechiness=0.06,
                 liveness=0.1, loudness=-4.0, tempo=124.0, mode=1, key=5)  # fmt: skip
    piano = _row(danceability=0.3, energy=0.08, acousticness=0.98, instrumentalness=0.9, speechiness=0.04,
                 liveness=0.1, loudness=-25.0, tempo=70.0, mode=1, key=0)  # fmt: skip
    metal = _row(danceability=0.35, energy=0.97, acousticness=0.001, instrumentalness=0.1, speechiness=0.1,
                 liveness=0.3, loudness=-3.5, tempo=160.0)  # fmt: skip
    est = estimate_mood(np.array([dance, piano, metal]))
    assert est.label[0] in ("Happy", "Energetic") and est.valence[0] > 0.5 and est.arousal[0] > 0.3
    assert est.label[1] == "Calm" and est.probability[1] > 0.9 and est.valence[1] > 0.2 and est.arousal[1] < -0.5
    assert est.label[2] == "Energetic" and est.arousal[2] > est.arousal[0] and est.valence[2] < est.valence[0]
    partly_known = estimate_mood(np.array([_row(energy=0.9, loudness=-4.0)]))  # importers pass NaN for the rest
    assert partly_known.arousal[0] > 0.3


def test_shipped_model_places_typical_tracks_of_each_mood_in_its_quadrant():
    # Feature rows at roughly each mood's mean in the Spotify moods data set (its README's table).
    rows = [_row(**dict(zip(MODEL_FEATURES, means[:8], strict=True))) for means in _CLASS_MEANS.values()]
    est = estimate_mood(np.array(rows))
    assert list(est.label) == list(_CLASS_MEANS)
    point = {mood: (est.valence[i], est.arousal[i]) for i, mood in enumerate(_CLASS_MEANS)}
    assert point["Calm"][0] > 0.3 and point["Calm"][1] < -0.3  # pleasant and quiet, not sad
    assert point["Sad"][0] < -0.3 and point["Sad"][1] < 0
    assert point["Happy"][0] > 0.3 and point["Happy"][1] > 0.3
    assert point["Energetic"][1] > 0.5 and 0 < point["Energetic"][0] < point["Happy"][0]


# --- training helpers -------------------------------------------------------------------------------


def test_stratified_folds_spread_every_class_evenly():
    _, y, _ = _synthetic(per_class=23)
    folds = stratified_folds(y, 5, seed=3)
    assert np.array_equal(folds, stratified_folds(y, 5, seed=3))
    sizes = np.bincount(folds)
    assert sizes.max() - sizes.min() <= 1
    for mood in MOODS:
        per_fold = np.bincount(folds[y == mood], minlength=5)
        assert per_fold.max() - per_fold.min() <= 1
    with pytest.raises(InputError, match="every class"):
        stratified_folds(np.array(["Happy"] * 10 + ["Sad"] * 3), 5)


def test_cross_fitted_estimates_come_from_models_that_never_saw_the_track():
    X, y, sv = _synthetic(per_class=15)
    est = cross_fitted_estimates(X, y, sv, n_splits=5, seed=1)
    folds = stratified_folds(y, 5, seed=1)
    test = folds == folds[0]
    direct = AudioMoodModel().fit(X[~test], y[~test], spotify_valence=sv[~test]).estimate(X[test])
    assert np.array_equal(est.valence[test], direct.valence) and list(est.label[test]) == list(direct.label)
    assert not np.array_equal(est.valence, AudioMoodModel().fit(X, y, spotify_valence=sv).estimate(X).valence)
    flat = cross_fitted_estimates(X, y, sv, n_splits=5, seed=1, params={"gain": 0.0})
    direct = AudioMoodModel(gain=0.0).fit(X[~test], y[~test], spotify_valence=sv[~test]).estimate(X[test])
    assert np.array_equal(flat.valence[test], direct.valence) and np.array_equal(flat.label, est.label)


def test_spotify_scale_anchors_are_the_moods_mean_spotify_points():
    X, y, sv = _synthetic(per_class=10)
    n = len(y)
    data = MoodsData(X, y, sv, ("t",) * n, ("a",) * n, ("i",) * n, "fake.csv", "0" * 64)
    anchors = spotify_scale_anchors(data)
    energy = X[:, AUDIO_FEATURES.index("energy")]
    for mood in MOODS:
        assert anchors[mood] == pytest.approx((2 * sv[y == mood].mean() - 1, 2 * energy[y == mood].mean() - 1))
    # On that scale the quiet Calm tracks sit at negative valence, where the circumplex puts them positive.
    est = AudioMoodModel(anchors=anchors).fit(X, y, spotify_valence=sv).estimate(X)
    assert est.valence[y == "Calm"].mean() < -0.5


HEADER = ("name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
          "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood").split(",")  # fmt: skip


def _write_moods(path: Path, X: np.ndarray, y: np.ndarray, sv: np.ndarray, extra: list[list[object]] = ()) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i, (x, mood, v) in enumerate(zip(X, y, sv, strict=True)):
            feature = dict(zip(AUDIO_FEATURES, x, strict=True))
            writer.writerow([f"Song {i}", "Album", f"Artist {i}", f"{i:022d}", "2001-01-01", 50, 200000,
                             *(feature[c] for c in HEADER[7:12]), v, *(feature[c] for c in HEADER[13:16]),
                             int(feature["key"]), 4, mood])  # fmt: skip
        writer.writerows(extra)
    return path


def test_moods_data_file_is_read_with_its_spotify_valence(tmp_path):
    X, y, sv = _synthetic(per_class=6)
    data = load_moods_data(_write_moods(tmp_path / "data_moods.csv", X, y, sv))
    assert len(data) == len(y) and data.file == "data_moods.csv" and len(data.sha256) == 64
    assert np.allclose(data.audio[:, AUDIO_FEATURES.index("energy")], X[:, AUDIO_FEATURES.index("energy")])
    assert np.isnan(data.audio[:, AUDIO_FEATURES.index("mode")]).all()
    assert np.allclose(data.spotify_valence, sv) and list(data.labels) == list(y)


def test_malformed_moods_rows_are_named_by_line(tmp_path):
    X, y, sv = _synthetic(per_class=6)
    bad = [["Odd", "A", "B", "x", "2001", 1, 1, 0.5, 0.5, "loud", 0, 0.1, 0.5, -5, 0.05, 120, 1, 4, "Happy"],
           ["Odd", "A", "B", "y", "2001", 1, 1, 0.5, 0.5, 0.5, 0, 0.1, 0.5, -5, 0.05, 120, 1, 4, "Angry"]]  # fmt: skip
    path = _write_moods(tmp_path / "data_moods.csv", X, y, sv, bad)
    with pytest.raises(DataError, match=rf"line {len(y) + 2}:.*line {len(y) + 3}:"):
        load_moods_data(path)
    (tmp_path / "other.csv").write_text("name,artist\nA,B\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing columns"):
        load_moods_data(tmp_path / "other.csv")


def test_cross_validation_reports_every_method_on_the_same_folds():
    pytest.importorskip("sklearn")
    X, y, sv = _synthetic(per_class=20)
    n = len(y)
    data = MoodsData(X, y, sv, ("t",) * n, ("a",) * n, ("i",) * n, "fake.csv", "0" * 64)
    result = cross_validate(data, n_splits=4, seed=0)
    methods = result["methods"]
    assert set(methods) == {"audio_mood", "knn_k5", "knn_tuned", "knn_k5_model_features"}
    for m in methods.values():
        assert 0 <= m["accuracy"]["mean"] <= 1 and np.sum(m["confusion_matrix"]) == n
        assert set(m["per_class_f1"]) == set(MOODS)
    assert len(methods["knn_tuned"]["chosen_k"]) == 4 and "mode" not in result["features"]["knn"]
    assert methods["audio_mood"]["accuracy"]["mean"] > 0.85
    assert result["positiveness_vs_spotify_valence_r"] > 0.5  # held-out Spotify valence, which the model never reads
    diff = result["paired"]["knn_k5"]["accuracy_difference"]["mean"]
    assert diff == pytest.approx(methods["audio_mood"]["accuracy"]["mean"] - methods["knn_k5"]["accuracy"]["mean"])


# --- on the real data -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moods_data(shared_data):
    return load_moods_data(shared_data / "music" / "data_moods.csv")


def test_cross_validation_reproduces_the_committed_figures_and_beats_knn(moods_data):
    pytest.importorskip("sklearn")
    shipped = load_audio_mood_model().provenance_["cross_validation"]
    result = cross_validate(moods_data, n_splits=shipped["folds"], seed=shipped["seed"])
    for name in ("audio_mood", "knn_k5", "knn_tuned"):
        for metric in ("accuracy", "macro_f1"):
            assert result["methods"][name][metric]["mean"] == pytest.approx(
                shipped["methods"][name][metric]["mean"], abs=0.005
            )
    ours = result["methods"]["audio_mood"]
    for baseline in ("knn_k5", "knn_tuned", "knn_k5_model_features"):
        for metric in ("accuracy", "macro_f1"):
            assert ours[metric]["mean"] > result["methods"][baseline][metric]["mean"]
    assert ours["accuracy"]["mean"] > 0.75


def test_shipped_model_is_what_fit_makes_from_the_data(moods_data):
    assert moods_data.sha256 == DATA_MOODS_SHA256
    refitted = AudioMoodModel().fit(moods_data.audio, moods_data.labels, spotify_valence=moods_data.spotify_valence)
    shipped = load_audio_mood_model()
    assert np.abs(refitted.predict_proba(moods_data.audio) - shipped.predict_proba(moods_data.audio)).max() < 1e-9
    a, b = refitted.estimate(moods_data.audio), shipped.estimate(moods_data.audio)
    assert np.abs(a.valence - b.valence).max() < 1e-9 and np.abs(a.arousal - b.arousal).max() < 1e-9


def test_valence_arousal_agree_with_independent_annotations(shared_data, moods_data):
    from moodtune.training.audio_mood import check_va

    result = check_va(shared_data / "music", moods_data)
    shipped = result["deezer"]["shipped"]
    assert shipped["n"] > 400 and shipped["r_valence"] > 0.3 and shipped["r_arousal"] > 0.3
    starter = result["starter"]["shipped"]
    assert starter["n"] > 500 and starter["r_valence"] > 0.35 and starter["r_arousal"] > 0.7
    # Each human label lands in its anchor's quadrant, placed by models that never saw the track;
    # on Spotify's own scale no Calm track does.
    landing = result["moods"]["variants"]
    calm, sad = landing["shipped"]["Calm"], landing["shipped"]["Sad"]
    assert calm["mean"][0] > 0.2 and calm["mean"][1] < -0.3 and calm["in_anchor_quadrant"] > 0.8
    assert sad["mean"][0] < -0.2 and sad["mean"][1] < -0.1
    assert landing["Spotify scale"]["Calm"]["in_anchor_quadrant"] < 0.05
