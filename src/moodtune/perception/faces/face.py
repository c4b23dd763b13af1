"""One detected face, in pixel coordinates of the image it was found in."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Face", "LANDMARK_NAMES"]

#: BlazeFace keypoint order. "Right" is the subject's right, i.e. the left side
#: of an unmirrored photo (checked on a real portrait: right eye x < left eye x).
LANDMARK_NAMES = ("right_eye", "left_eye", "nose_tip", "mouth", "right_ear", "left_ear")


@dataclass(frozen=True)
class Face:
    """A face found by a detector.

    Attributes
    ----------
    box : (x, y, w, h) in pixels, clipped to the image, w and h > 0.
    score : detector confidence; a probability in [0, 1] for BlazeFace,
        1.0 for detectors without a calibrated score (Haar).
    landmarks : ((x, y), ...) in pixels, in ``LANDMARK_NAMES`` order; not
        clipped, since an ear may lie outside the frame. Empty when the detector
        has no landmarks.
    """

    box: tuple[int, int, int, int]
    score: float
    landmarks: tuple[tuple[float, float], ...] = ()

    @property
    def area(self) -> int:
        """Box area in square pixels."""
        return self.box[2] * self.box[3]
