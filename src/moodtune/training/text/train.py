"""Train the text-mood model on dair-ai emotion + GoEmotions and export it as plain numpy arrays.

Needs the ``[train]`` extra (scikit-learn, scipy); the exported ``.npz`` needs neither.

Recipe: the shared featuriser (``moodtune.perception.text.featurize``) → vocabulary of
features seen in at least ``min_df`` training messages → sublinear TF-IDF → linear SVM
(one-vs-rest, squared hinge, scikit-learn's ``LinearSVC``) with class weights
``(n / (k·count))^balance`` (k = classes present) and dair-ai rows weighted ``dair_weight``
(2 by default: dair-ai is the smaller set), on the union of both train splits. ``C`` is
chosen on the two validation splits (score = dair accuracy + GoEmotions macro-F1);
per-class score offsets are then tuned on the validation splits for the same score, and a
softmax temperature over the scores is fitted there by log-loss, turning the SVM's scores
into calibrated probabilities. Test splits are never touched here.

    python -m moodtune.training.text.train --data ../shared/data/text \
        --out src/moodtune/perception/text/models/text_mood.npz
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.perception.text.featurize import extract_features
from moodtune.perception.text.model import TextVectorizer
from moodtune.training.temperature import fit_temperature

from .data import DAIR_CLASSES, TextDataset, load_dair, load_goemotions

__all__ = ["build_vectorizer", "fit_text_model", "save_text_model", "vectorize"]

log = logging.getLogger(__name__)
_DAIR_IDX = np.array([EMOTIONS.index(e) for e in DAIR_CLASSES])


def build_vectorizer(features: Sequence[Counter[str]], *, min_df: int = 2, max_features: int | None = None):
    """Vocabulary (word block first) and smoothed IDF ``ln((1+n)/(1+df)) + 1`` from training feature counts."""
    df: Counter[str] = Counter()
    for f in features:
        df.update(f.keys())
    kept = [(k, d) for k, d in df.items() if d >= min_df]
    if max_features is not None and len(kept) > max_features:
        kept = sorted(kept, key=lambda kd: (-kd[1], kd[0]))[:max_features]
    kept.sort(key=lambda kd: (not kd[0].startswith(("w:", "b:")), kd[0]))
    keys = [k for k, _ in kept]
    n = len(features)
    idf = np.array([np.log((1 + n) / (1 + d)) + 1 for _, d in kept])
    n_word = sum(1 for k in keys if k.startswith(("w:", "b:")))
    return TextVectorizer({k: i for i, k in enumerate(keys)}, idf, n_word)


def vectorize(vectorizer: TextVectorizer, features: Sequence[Counter[str]]):
    """CSR matrix (n, n_features) built row by row with the runtime ``transform_counts``."""
    from scipy import sparse

    indptr, indices, data = [0], [], []
    for f in features:
        idx, val = vectorizer.transform_counts(f)
        indices.append(idx)
        data.append(val)
        indptr.append(indptr[-1] + len(idx))
    cat = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    vals = np.concatenate(data) if data else np.zeros(0)
    return sparse.csr_matrix((vals, cat, np.array(indptr)), shape=(len(features), len(vectorizer.vocab)))


def _macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    f1 = []
    for c in range(k):
        tp = np.sum((pred == c) & (y == c))
        denom = np.sum(pred == c) + np.sum(y == c)
        f1.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1))


def dair_accuracy(scores: np.ndarray, y: np.ndarray) -> float:
    """Accuracy with the prediction restricted to the 5 classes dair-ai can name (disgust, neutral masked out)."""
    pred = _DAIR_IDX[np.argmax(scores[:, _DAIR_IDX], axis=1)]
    return float(np.mean(pred == y))


def _score(s_dair, y_dair, s_go, y_go) -> tuple[float, float]:
    return dair_accuracy(s_dair, y_dair), _macro_f1(y_go, np.argmax(s_go, axis=1), len(EMOTIONS))


def _tune_offsets(s_dair, y_dair, s_go, y_go, passes: int = 2) -> np.ndarray:
    offsets = np.zeros(len(EMOTIONS))
    best = sum(_score(s_dair, y_dair, s_go, y_go))
    grid = np.round(np.arange(-1.5, 1.51, 0.1), 2)
    for _ in range(passes):
        for c in range(len(EMOTIONS)):
            for g in grid:
                trial = offsets.copy()
                trial[c] = g
                value = sum(_score(s_dair + trial, y_dair, s_go + trial, y_go))
                if value > best + 1e-9:
                    best, offsets = value, trial
    return offsets


def fit_text_model(
    train: Sequence[TextDataset],
    validation: Sequence[TextDataset],
    *,
    cs: Sequence[float] = (0.1,),
    balance: float = 0.5,
    min_df: int = 2,
    max_features: int | None = 400_000,
    max_iter: int = 5000,
    dataset_weights: Sequence[float] | None = None,
) -> dict:
    """Fit and select; returns the arrays and metadata ``save_text_model`` writes.

    ``dataset_weights`` multiplies the sample weights of each training set (default all 1).
    ``validation`` is (dair, goemotions) when scoring both; with another count the
    selection score is the accuracy over all validation rows.
    """
    from sklearn.svm import LinearSVC

    t0 = time.perf_counter()
    texts = [t for d in train for t in d.texts]
    y = np.concatenate([d.labels for d in train])
    feats = [extract_features(t) for t in texts]
    vec = build_vectorizer(feats, min_df=min_df, max_features=max_features)
    x = vectorize(vec, feats)
    xv = [vectorize(vec, [extract_features(t) for t in d.texts]) for d in validation]
    log.info(
        "features: %d (%d word) from %d texts in %.0fs",
        len(vec.vocab),
        vec.n_word,
        len(texts),
        time.perf_counter() - t0,
    )
    counts = np.bincount(y, minlength=len(EMOTIONS)).astype(np.float64)
    present = counts > 0
    cw = np.zeros(len(EMOTIONS))
    cw[present] = (len(y) / (present.sum() * counts[present])) ** balance
    both = len(validation) == 2
    dw = np.concatenate([np.full(len(d), w) for d, w in zip(train, dataset_weights or [1.0] * len(train), strict=True)])

    def evaluate(s: list[np.ndarray]) -> tuple[float, float]:
        if both:
            return _score(s[0], validation[0].labels, s[1], validation[1].labels)
        yv = np.concatenate([d.labels for d in validation])
        return float(np.mean(np.argmax(np.concatenate(s), axis=1) == yv)), 0.0

    best: dict | None = None
    for c in cs:
        clf = LinearSVC(C=c, max_iter=max_iter, random_state=0)
        clf.fit(x, y, sample_weight=cw[y] * dw)
        w = np.zeros((x.shape[1], len(EMOTIONS)))
        b = np.full(len(EMOTIONS), -30.0)  # classes absent from training are never predicted
        w[:, clf.classes_] = clf.coef_.T
        b[clf.classes_] = clf.intercept_
        s = [m @ w + b for m in xv]
        figures = evaluate(s)
        log.info("C=%g: validation %s (%.0fs)", c, figures, time.perf_counter() - t0)
        if best is None or sum(figures) > sum(best["figures"]):
            best = {"c": c, "weights": w, "bias": b, "scores": s, "figures": figures}
    assert best is not None
    s = best["scores"]
    offsets = _tune_offsets(s[0], validation[0].labels, s[1], validation[1].labels) if both else np.zeros(7)
    bias = best["bias"] + offsets
    s = [m + offsets for m in s]
    tuned = evaluate(s)
    temperature = fit_temperature(np.concatenate(s), np.concatenate([d.labels for d in validation]))
    meta = {
        "train": {d.name: len(d) for d in train},
        "validation": {d.name: len(d) for d in validation},
        "classifier": "LinearSVC (one-vs-rest, squared hinge) + softmax(scores / temperature)",
        "C": best["c"],
        "class_balance_power": balance,
        "dataset_weights": list(dataset_weights or [1.0] * len(train)),
        "min_df": min_df,
        "max_features": max_features,
        "offsets": [round(float(o), 3) for o in offsets],
        "temperature": temperature,
        "validation_before_offsets": {"dair_accuracy": best["figures"][0], "goemotions_macro_f1": best["figures"][1]},
        "validation_figures": {"dair_accuracy": tuned[0], "goemotions_macro_f1": tuned[1]},
        "seconds": round(time.perf_counter() - t0, 1),
    }
    log.info("selected %s", meta)
    return {"vectorizer": vec, "weights": best["weights"], "bias": bias, "temperature": temperature, "meta": meta}


def save_text_model(model: dict, path: str | Path) -> Path:
    """Write the ``.npz`` described in ``moodtune.perception.text.model`` (compressed, no pickles)."""
    vec: TextVectorizer = model["vectorizer"]
    keys = sorted(vec.vocab, key=vec.vocab.__getitem__)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        vocab=np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8),
        n_word=np.int64(vec.n_word),
        idf=vec.idf.astype(np.float32),
        weights=np.asarray(model["weights"], dtype=np.float32),
        bias=np.asarray(model["bias"], dtype=np.float32),
        temperature=np.float64(model["temperature"]),
        meta=np.frombuffer(json.dumps(model["meta"]).encode("utf-8"), dtype=np.uint8),
    )
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="folder holding dair_emotion/ and goemotions/")
    parser.add_argument("--out", required=True, help="target .npz")
    parser.add_argument("--c", type=float, nargs="+", default=[0.05, 0.1, 0.2], help="inverse regularisation to try")
    parser.add_argument("--balance", type=float, default=0.5, help="class-weight power: 0 none, 1 fully balanced")
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--dair-weight", type=float, default=2.0, help="sample-weight multiplier of dair-ai rows")
    parser.add_argument("--max-features", type=int, default=400_000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train = [load_dair(args.data, "train"), load_goemotions(args.data, "train")]
    validation = [load_dair(args.data, "validation"), load_goemotions(args.data, "validation")]
    model = fit_text_model(
        train,
        validation,
        cs=args.c,
        balance=args.balance,
        min_df=args.min_df,
        max_features=args.max_features,
        dataset_weights=[args.dair_weight, 1.0],
    )
    path = save_text_model(model, args.out)
    log.info("wrote %s (%.1f MB)", path, path.stat().st_size / 1e6)


if __name__ == "__main__":
    main()
