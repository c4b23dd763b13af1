"""Smoothing a stream of readings (webcam frames) into a mood that does not flicker.

A face read 4 times a second jumps between neighbouring emotions from frame to
frame; a playlist that followed every jump would be useless. ``MoodSmoother``
keeps an exponential moving average (EMA) of the probabilities and changes its
dominant *mood* only with hysteresis: a challenger emotion must lead the
current mood's smoothed probability by ``margin`` for ``patience`` consecutive
updates. The smoothed probabilities themselves follow every reading, so a
timeline chart still shows the movement.

With the defaults (``alpha=0.35``, ``margin=0.10``, ``patience=3``) and a
reader sampling 4 frames/s, a clean switch from one confident expression to
another shows in the mood after about 1 to 1.5 s, and a single odd frame never
switches it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from moodtune.errors import InputError

from .emotions import EMOTIONS
from .state import AffectState

__all__ = ["MoodSmoother", "SmoothedMood"]


@dataclass(frozen=True)
class SmoothedMood:
    """The smoother's state after one update.

    Attributes
    ----------
    affect : the smoothed (EMA) probabilities and their valence/arousal.
    mood : the dominant mood after hysteresis; may differ from ``affect.emotion``
        while a challenger has not yet held its lead long enough.
    changed : True when this update set the mood for the first time or switched it.
    previous : the mood before this update (None on the first one).
    """

    affect: AffectState
    mood: str
    changed: bool
    previous: str | None


@dataclass
class MoodSmoother:
    """EMA of emotion probabilities with a hysteresis on the dominant mood.

    Parameters
    ----------
    alpha : weight of the newest reading in the EMA, in (0, 1]; 1 disables smoothing.
    margin : how far, in probability, a challenger's smoothed value must exceed
        the current mood's before it counts as leading; in [0, 1).
    patience : consecutive leading updates a challenger needs to become the mood; >= 1.

    Examples
    --------
    >>> s = MoodSmoother(alpha=0.6, margin=0.1, patience=2)
    >>> s.update(AffectState.from_emotion("happy")).mood
    'happy'
    >>> s.update(AffectState.from_emotion("sad")).changed  # leads once: not yet
    False
    >>> s.update(AffectState.from_emotion("sad")).mood
    'sad'
    """

    alpha: float = 0.35
    margin: float = 0.10
    patience: int = 3
    _ema: np.ndarray | None = field(default=None, init=False, repr=False)
    _mood: str | None = field(default=None, init=False)
    _challenger: str | None = field(default=None, init=False, repr=False)
    _streak: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.alpha <= 1:
            raise InputError(f"alpha must be in (0, 1], got {self.alpha}")
        if not 0 <= self.margin < 1:
            raise InputError(f"margin must be in [0, 1), got {self.margin}")
        if int(self.patience) != self.patience or self.patience < 1:
            raise InputError(f"patience must be an integer >= 1, got {self.patience}")

    @property
    def mood(self) -> str | None:
        """The current dominant mood, or None before the first update."""
        return self._mood

    @property
    def affect(self) -> AffectState | None:
        """The current smoothed state, or None before the first update."""
        return None if self._ema is None else AffectState.from_probabilities(self._ema)

    def reset(self) -> None:
        """Forget everything, e.g. when the person in front of the camera changes."""
        self._ema, self._mood, self._challenger, self._streak = None, None, None, 0

    def update(self, reading: AffectState | Sequence[float] | np.ndarray) -> SmoothedMood:
        """Fold in one reading (an ``AffectState`` or 7 probabilities in ``EMOTIONS`` order)."""
        if not isinstance(reading, AffectState):
            reading = AffectState.from_probabilities(reading)
        p = np.asarray(reading.probabilities, dtype=np.float64)
        previous = self._mood
        if self._ema is None:
            self._ema = p.copy()
            self._mood = EMOTIONS[int(np.argmax(p))]
            return SmoothedMood(AffectState.from_probabilities(self._ema), self._mood, True, None)

        self._ema = self.alpha * p + (1 - self.alpha) * self._ema
        current = EMOTIONS.index(self._mood) if self._mood else 0
        leader = int(np.argmax(self._ema))
        if leader != current and self._ema[leader] - self._ema[current] >= self.margin:
            name = EMOTIONS[leader]
            self._streak = self._streak + 1 if name == self._challenger else 1
            self._challenger = name
            if self._streak >= self.patience:
                self._mood, self._challenger, self._streak = name, None, 0
        else:
            self._challenger, self._streak = None, 0
        changed = self._mood != previous
        return SmoothedMood(AffectState.from_probabilities(self._ema), str(self._mood), changed, previous)
