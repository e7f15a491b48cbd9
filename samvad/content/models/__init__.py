"""Department submissions, posts and threads, media, the review workflow and the calendar."""

from .post import Post
from .states import (
    EDITABLE,
    IST,
    LEASE_EXPIRED,
    ON_X_OR_MAYBE,
    WAITING,
    Blackout,
    DistrictSettings,
    FourEyesError,
    PostQuerySet,
    PostState,
    TransitionError,
    blackout_at,
)
from .submission import Media, PostMedia, PostVersion, Submission

__all__ = [
    "EDITABLE",
    "IST",
    "LEASE_EXPIRED",
    "ON_X_OR_MAYBE",
    "Blackout",
    "DistrictSettings",
    "FourEyesError",
    "Media",
    "Post",
    "PostMedia",
    "PostQuerySet",
    "PostState",
    "PostVersion",
    "Submission",
    "WAITING",
    "TransitionError",
    "blackout_at",
]
