"""Classification metrics in plain numpy (no scikit-learn needed at run time)."""

from __future__ import annotations

import numpy as np

__all__ = ["confusion_matrix", "classification_metrics", "log_loss", "roc_auc"]


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts of shape (n_classes, n_classes): row = true class, column = predicted class."""
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return cm


def roc_auc(is_positive: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve, by the rank-sum (Mann–Whitney) identity; ties get average ranks.

    Returns NaN when only one class is present.
    """
    is_positive = np.asarray(is_positive, dtype=bool)
    n_pos = int(is_positive.sum())
    n_neg = len(is_positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    ranks[order] = np.arange(1, len(scores) + 1)
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    rank_sums = np.bincount(inverse, weights=ranks)
    ranks = (rank_sums / counts)[inverse]
    return float((ranks[is_positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def log_loss(y_true: np.ndarray, proba: np.ndarray) -> float:
    """Mean negative log-likelihood of the true classes (n_samples,) under ``proba`` (n_samples, n_classes)."""
    # The clip keeps one confidently wrong row from making the mean infinite.
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(y_true)), y_true], 1e-12, 1.0))))


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, labels: tuple[str, ...]) -> dict:
    """Accuracy, macro-F1, log-loss, and per class precision/recall/F1/specificity and one-vs-rest AUC.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,), int class indices
    proba : ndarray of shape (n_samples, n_classes), rows summing to 1
    labels : class names, length n_classes
    """
    y_true = np.asarray(y_true)
    n_classes = len(labels)
    y_pred = proba.argmax(axis=1)
    cm = confusion_matrix(y_true, y_pred, n_classes)
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    negatives = len(y_true) - support
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
        specificity = np.where(negatives > 0, (negatives - (predicted - tp)) / negatives, 0.0)
    auc = np.array([roc_auc(y_true == i, proba[:, i]) for i in range(n_classes)])
    return {
        "n": int(len(y_true)),
        "accuracy": float(tp.sum() / max(len(y_true), 1)),
        "macro_f1": float(f1.mean()),
        "log_loss": log_loss(y_true, proba),
        "macro_auc": float(np.nanmean(auc)) if not np.all(np.isnan(auc)) else float("nan"),
        "per_class": {
            label: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "specificity": float(specificity[i]),
                "auc": float(auc[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusion_matrix": cm.tolist(),
    }
