"""Train an expression model on 48×48 faces with checkpoints, resume and model selection.

One epoch = one pass over the training set in shuffled mini-batches with
augmentation; after each epoch the model is scored on the validation set and
``last.pt`` (everything needed to resume) is written, plus ``best.pt`` whenever
validation accuracy improves. ``history.json`` keeps the per-epoch curves.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from moodtune.perception.expression import FACE_REGIONS, face_region, softmax

from .architectures import create_model
from .augment import AugmentConfig, augment_batch
from .data.fer2013 import FaceDataset

__all__ = [
    "TrainConfig",
    "EpochStats",
    "fit",
    "load_checkpoint",
    "predict_logits",
    "teacher_targets",
    "epoch_order",
    "inverse_frequency",
]

log = logging.getLogger(__name__)

CLASS_BALANCE = ("none", "loss", "sampler")


@dataclass(frozen=True)
class TrainConfig:
    architecture: str = "compact_cnn"
    model_kwargs: dict = field(default_factory=dict)
    epochs: int = 60
    batch_size: int = 128
    lr: float = 0.1  # peak of the one-cycle schedule (SGD, Nesterov momentum)
    weight_decay: float = 5e-4
    label_smoothing: float = 0.1
    patience: int | None = None  # early stopping: epochs without a better val accuracy
    # "onecycle": warm-up then cosine decay per batch; "plateau": constant lr, halved after
    # plateau_patience epochs without a better val accuracy.
    schedule: str = "onecycle"
    plateau_patience: int = 4
    # FER2013's disgust is 16× rarer than happy. "loss": weight the loss by inverse class
    # frequency; "sampler": draw each epoch's faces with probability ∝ 1 / class count (with
    # replacement), so batches are balanced; "none": the data as it is.
    class_balance: str = "none"
    # Warm start: begin from these weights (a checkpoint of the same architecture) instead of random ones.
    init_checkpoint: str | None = None
    # Distillation: the targets become (1 - distill_weight) × label + distill_weight × the teachers'
    # flip-averaged probabilities at distill_temperature (averaged over teachers), computed once on
    # the clean images. On FER2013, whose labels are noisy, the soft targets act as a learned label
    # smoothing; several teachers pass on an ensemble's accuracy to one network of the same cost.
    teacher_checkpoints: tuple[str, ...] = ()
    distill_weight: float = 0.5
    distill_temperature: float = 2.0
    # "upper": train on the top half of each face only (brows and eyes), for covered mouths.
    face_region: str = "full"
    seed: int = 0
    bf16: bool = True  # bfloat16 autocast; ~2× faster on CPUs with AVX-512 BF16
    augment: AugmentConfig = field(default_factory=AugmentConfig)

    def __post_init__(self) -> None:
        if self.schedule not in ("onecycle", "plateau"):
            raise ValueError(f"schedule must be 'onecycle' or 'plateau', got {self.schedule!r}")
        if self.class_balance not in CLASS_BALANCE:
            raise ValueError(f"class_balance must be one of {CLASS_BALANCE}, got {self.class_balance!r}")
        if self.face_region not in FACE_REGIONS:
            raise ValueError(f"face_region must be one of {FACE_REGIONS}, got {self.face_region!r}")
        if not 0.0 <= self.distill_weight <= 1.0 or self.distill_temperature <= 0:
            raise ValueError("distill_weight must lie in [0, 1] and distill_temperature be positive")


@dataclass(frozen=True)
class EpochStats:
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    lr: float
    seconds: float


def _to_tensor(images: np.ndarray, mean: float, std: float) -> torch.Tensor:
    x = torch.from_numpy(images).float().div_(255.0).unsqueeze(1)
    return x.sub_(mean).div_(std) if mean or std != 1 else x


def predict_logits(
    model: torch.nn.Module,
    images: np.ndarray,
    mean: float,
    std: float,
    *,
    batch_size: int = 512,
    bf16: bool = False,
) -> np.ndarray:
    """Logits of shape (n_samples, n_classes) for uint8 images of shape (n_samples, H, W)."""
    model.eval()
    out = []
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for start in range(0, len(images), batch_size):
            x = _to_tensor(images[start : start + batch_size], mean, std).contiguous(memory_format=torch.channels_last)
            out.append(model(x).float())
    return torch.cat(out).numpy()


def load_checkpoint(path: str | Path) -> tuple[torch.nn.Module, dict]:
    """Rebuild a model from ``best.pt``/``last.pt``; returns (model in eval mode, checkpoint meta)."""
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    cfg = ckpt["config"]
    model = create_model(cfg["architecture"], **cfg["model_kwargs"])
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, ckpt


def inverse_frequency(labels: np.ndarray, n_classes: int = 7) -> np.ndarray:
    """Per-class weights of shape (n_classes,): n_samples / (n_classes · count), 0 for absent classes."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    return np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)


def epoch_order(labels: np.ndarray, class_balance: str, generator: torch.Generator) -> torch.Tensor:
    """Indices of the faces one epoch visits, shape (n_samples,).

    A shuffled permutation, or with ``class_balance="sampler"`` a draw with replacement in
    which every class is equally likely.
    """
    if class_balance != "sampler":
        return torch.randperm(len(labels), generator=generator)
    weights = torch.from_numpy(inverse_frequency(labels)[labels])
    return torch.multinomial(weights, len(labels), replacement=True, generator=generator)


def teacher_targets(checkpoints: Sequence[str | Path], images: np.ndarray, temperature: float) -> np.ndarray:
    """Soft targets of shape (n_samples, n_classes): each checkpoint's probabilities at ``temperature``,
    from logits averaged over the image and its mirror image, then averaged over the checkpoints."""
    if not checkpoints:
        raise ValueError("teacher_targets needs at least one checkpoint")
    mirrored = np.ascontiguousarray(images[:, :, ::-1])
    total = np.zeros((len(images), 7))
    for checkpoint in checkpoints:
        teacher, ckpt = load_checkpoint(checkpoint)
        mean, std = ckpt["config"]["mean"], ckpt["config"]["std"]
        logits = (predict_logits(teacher, images, mean, std) + predict_logits(teacher, mirrored, mean, std)) / 2
        total += softmax(logits / temperature)
    return total / len(checkpoints)


def fit(
    train: FaceDataset,
    val: FaceDataset,
    cfg: TrainConfig,
    out_dir: str | Path,
    *,
    resume: bool = False,
    stop_after: int | None = None,
    on_epoch: Callable[[EpochStats], None] | None = None,
    on_batch: Callable[[int, int, float], None] | None = None,
) -> list[EpochStats]:
    """Train ``cfg.architecture`` on ``train``, select on ``val``; returns the per-epoch history.

    ``out_dir`` receives ``last.pt``, ``best.pt`` and ``history.json``. With
    ``resume=True`` training continues from ``out_dir/last.pt``. ``stop_after=N`` ends
    this call after epoch N while keeping the schedule planned for ``cfg.epochs``, so a
    long run can be trained in slices (resume to go on) or deliberately cut short.
    """
    if stop_after is not None and stop_after < 1:
        raise ValueError(f"stop_after must be ≥ 1, got {stop_after}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    full_faces = train.images  # the teacher, if any, saw whole faces
    train = replace(train, images=face_region(train.images, cfg.face_region))
    val = replace(val, images=face_region(val.images, cfg.face_region))

    # Normalisation statistics come from the training images and travel with the weights.
    mean = float(train.images.mean() / 255.0)
    std = float(train.images.std() / 255.0)
    x_train = torch.from_numpy(train.images).float().div_(255.0).unsqueeze(1)
    y_train = torch.from_numpy(train.labels)
    # Soft targets (e.g. FER+ vote shares) when the data has them; accuracy is still counted on the labels.
    targets = torch.from_numpy(train.soft_labels).float() if train.soft_labels is not None else y_train
    if cfg.teacher_checkpoints:
        hard = F.one_hot(y_train, 7).float() if targets.ndim == 1 else targets
        soft = torch.from_numpy(teacher_targets(cfg.teacher_checkpoints, full_faces, cfg.distill_temperature))
        targets = (1 - cfg.distill_weight) * hard + cfg.distill_weight * soft.float()

    model = create_model(cfg.architecture, **cfg.model_kwargs)
    if cfg.init_checkpoint is not None:
        init_model, _ = load_checkpoint(cfg.init_checkpoint)
        model.load_state_dict(init_model.state_dict())
    # memory_format is a valid keyword that the stubs do not list.
    model = model.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    optimizer = torch.optim.SGD(
        model.parameters(), lr=cfg.lr, momentum=0.9, nesterov=True, weight_decay=cfg.weight_decay
    )
    steps_per_epoch = (len(train) + cfg.batch_size - 1) // cfg.batch_size
    scheduler: torch.optim.lr_scheduler.LRScheduler | torch.optim.lr_scheduler.ReduceLROnPlateau
    if cfg.schedule == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=cfg.lr, epochs=cfg.epochs, steps_per_epoch=steps_per_epoch, pct_start=0.2
        )
    else:
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode="max", factor=0.5, patience=cfg.plateau_patience
        )
    class_weight = torch.from_numpy(inverse_frequency(train.labels)).float() if cfg.class_balance == "loss" else None
    history: list[EpochStats] = []
    best_acc, start_epoch = -1.0, 0
    if resume and (out / "last.pt").is_file():
        ckpt = torch.load(out / "last.pt", map_location="cpu", weights_only=False)
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        gen.set_state(ckpt["generator"])
        torch.set_rng_state(ckpt["torch_rng"])
        history = [EpochStats(**h) for h in ckpt["history"]]
        best_acc, start_epoch = ckpt["best_accuracy"], ckpt["epoch"]
        log.info("resumed at epoch %d (best val accuracy %.4f)", start_epoch, best_acc)

    meta = {"config": {**asdict(cfg), "mean": mean, "std": std}}
    epochs_since_best = 0
    last_epoch = cfg.epochs if stop_after is None else min(stop_after, cfg.epochs)
    for epoch in range(start_epoch, last_epoch):
        t0 = time.perf_counter()
        model.train()
        order = epoch_order(train.labels, cfg.class_balance, gen)
        loss_sum, correct = 0.0, 0
        for step, start in enumerate(range(0, len(train), cfg.batch_size)):
            idx = order[start : start + cfg.batch_size]
            x = augment_batch(x_train[idx], cfg.augment, gen).sub_(mean).div_(std)
            x = x.contiguous(memory_format=torch.channels_last)
            y = y_train[idx]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                logits = model(x)
            loss = F.cross_entropy(
                logits.float(), targets[idx], weight=class_weight, label_smoothing=cfg.label_smoothing
            )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if isinstance(scheduler, torch.optim.lr_scheduler.OneCycleLR):
                scheduler.step()
            loss_sum += loss.item() * len(idx)
            correct += int((logits.argmax(1) == y).sum())
            if on_batch is not None:
                on_batch(step + 1, steps_per_epoch, loss.item())

        val_logits = torch.from_numpy(predict_logits(model, val.images, mean, std, bf16=cfg.bf16))
        val_y = torch.from_numpy(val.labels)
        stats = EpochStats(
            epoch=epoch + 1,
            train_loss=loss_sum / len(train),
            train_accuracy=correct / len(train),
            val_loss=float(F.cross_entropy(val_logits, val_y)),
            val_accuracy=float((val_logits.argmax(1) == val_y).float().mean()),
            lr=optimizer.param_groups[0]["lr"],
            seconds=time.perf_counter() - t0,
        )
        history.append(stats)
        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(stats.val_accuracy)
        if stats.val_accuracy > best_acc:
            best_acc, epochs_since_best = stats.val_accuracy, 0
            torch.save(
                {**meta, "model": model.state_dict(), "epoch": epoch + 1, "val_accuracy": best_acc},
                out / "best.pt",
            )
        else:
            epochs_since_best += 1
        torch.save(
            {
                **meta,
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "generator": gen.get_state(),
                "torch_rng": torch.get_rng_state(),
                "history": [asdict(h) for h in history],
                "best_accuracy": best_acc,
                "epoch": epoch + 1,
            },
            out / "last.pt",
        )
        (out / "history.json").write_text(json.dumps([asdict(h) for h in history], indent=1))
        log.info(
            "epoch %d/%d loss %.4f acc %.4f | val loss %.4f acc %.4f | %.0fs",
            stats.epoch,
            cfg.epochs,
            stats.train_loss,
            stats.train_accuracy,
            stats.val_loss,
            stats.val_accuracy,
            stats.seconds,
        )
        if on_epoch is not None:
            on_epoch(stats)
        if cfg.patience is not None and epochs_since_best >= cfg.patience:
            log.info("early stop: no better val accuracy for %d epochs", cfg.patience)
            break
    return history
