"""POST /api/v1/feedback (a like, skip or 1–5 rating) and GET /api/v1/feedback?user_id=… (a listener's history).

What is stored here personalises that listener's recommendations (``user_id`` in POST /api/v1/recommend).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from moodtune.errors import InputError
from moodtune.music.feedback import MAX_USER_ID, feedback_for, record_feedback

from ..deps import DatabaseDep, StateDep
from ..schemas import ErrorResponse, FeedbackIn, FeedbackList, FeedbackOut

router = APIRouter(tags=["feedback"])


@router.post(
    "/feedback",
    response_model=FeedbackOut,
    status_code=201,
    summary="Record that a listener liked, skipped or rated (1-5) a track",
    responses={422: {"model": ErrorResponse, "description": "malformed body or unknown track"}},
)
def post_feedback(body: FeedbackIn, db: DatabaseDep, state: StateDep) -> FeedbackOut:
    if body.track_id not in state.track_ids:
        raise InputError(f"unknown track {body.track_id!r}")
    event = record_feedback(body.user_id, body.track_id, body.action, body.emotion, rating=body.rating, db=db)
    return FeedbackOut(**vars(event))


@router.get("/feedback", response_model=FeedbackList, summary="A listener's likes, skips and ratings, newest first")
def get_feedback(
    db: DatabaseDep,
    user_id: Annotated[str, Query(min_length=1, max_length=MAX_USER_ID, pattern=r"^[A-Za-z0-9_.:-]+$")],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> FeedbackList:
    events = feedback_for(user_id, db=db, limit=limit)
    return FeedbackList(user_id=user_id, events=[FeedbackOut(**vars(e)) for e in events])
