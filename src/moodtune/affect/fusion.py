"""Fusing the readings of several sources (face, text, a picked mood) into one affect.

Rule (confidence-weighted late fusion):

- An explicit pick overrides everything: the fused state is the picked emotion,
  and the pick is the only source with weight 1 (other readings are kept with weight 0,
  so they can still be shown).
- Otherwise each reading gets the weight ``confidence × SOURCE_PRIOR[source]``
  (confidence = its top probability; priors: face 1.0, text 1.0), the weights
  are normalised to sum to 1, and the fused probabilities are the weighted mean
  of the sources' probabilities; valence/arousal follow from them as for any
  ``AffectState``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from moodtune.errors import InputError

from .emotions import EMOTIONS
from .state import AffectState, combine_affects

__all__ = ["SOURCE_PRIOR", "FusedAffect", "SourceReading", "fuse"]

Source = Literal["face", "text", "pick"]
SOURCE_PRIOR: Final = MappingProxyType({"face": 1.0, "text": 1.0})


@dataclass(frozen=True)
class SourceReading:
    """One source's reading and its share of the fused result (weights sum to 1)."""

    source: Source
    affect: AffectState
    weight: float

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "probabilities": {e: round(p, 4) for e, p in zip(EMOTIONS, self.affect.probabilities, strict=True)},
            "weight": round(self.weight, 4),
        }


@dataclass(frozen=True)
class FusedAffect:
    """The fused state and the readings it came from."""

    affect: AffectState
    sources: tuple[SourceReading, ...]

    def as_dict(self) -> dict:
        """``AffectState.as_dict()`` plus ``"sources"``."""
        return {**self.affect.as_dict(), "sources": [s.as_dict() for s in self.sources]}


def fuse(
    *, faces: AffectState | None = None, text: AffectState | None = None, picked: str | None = None
) -> FusedAffect:
    """Fuse whatever was read (see the module docstring); at least one source is needed."""
    readings: list[tuple[Source, AffectState]] = []
    if faces is not None:
        readings.append(("face", faces))
    if text is not None:
        readings.append(("text", text))
    if picked is not None:
        pick = AffectState.from_emotion(picked)
        others = tuple(SourceReading(s, a, 0.0) for s, a in readings)
        return FusedAffect(pick, (SourceReading("pick", pick, 1.0), *others))
    if not readings:
        raise InputError("nothing to fuse: give a face reading, a text reading or a picked mood")
    raw = [a.confidence * SOURCE_PRIOR[s] for s, a in readings]
    total = sum(raw)
    weights = [w / total for w in raw]
    fused = combine_affects([a for _, a in readings], weights)
    return FusedAffect(fused, tuple(SourceReading(s, a, w) for (s, a), w in zip(readings, weights, strict=True)))
