import numpy as np
import pytest

from moodtune.training.metrics import classification_metrics, confusion_matrix


def test_confusion_matrix_counts_rows_as_truth():
    cm = confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1]), 3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [0, 1, 0]]


def test_metrics_match_hand_computation():
    y = np.array([0, 0, 1, 2])
    proba = np.eye(3)[[0, 1, 1, 1]] * 0.9 + 0.1 / 3
    m = classification_metrics(y, proba, ("a", "b", "c"))
    assert m["accuracy"] == pytest.approx(0.5)
    b = m["per_class"]["b"]
    assert b["precision"] == pytest.approx(1 / 3) and b["recall"] == pytest.approx(1.0)
    assert b["specificity"] == pytest.approx(1 / 3)  # 3 negatives, 2 wrongly called b
    assert m["per_class"]["c"]["f1"] == 0.0
    f1_a = 2 * 1 * 0.5 / 1.5
    assert m["macro_f1"] == pytest.approx((f1_a + 0.5 + 0.0) / 3)
    assert m["log_loss"] > 0


def test_roc_auc_matches_pair_counting():
    from moodtune.training.metrics import roc_auc

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 200).astype(bool)
    scores = np.round(rng.random(200) + labels * 0.3, 1)  # rounding makes ties
    pos, neg = scores[labels], scores[~labels]
    pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert roc_auc(labels, scores) == pytest.approx(pairs)
    assert np.isnan(roc_auc(np.ones(3, bool), np.arange(3.0)))
