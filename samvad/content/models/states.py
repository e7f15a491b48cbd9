"""A post's states, the sets of them the rules use, and the errors of its state machine."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class PostState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    RETRY_WAIT = "retry_wait", _("Waiting to retry")
    UNCERTAIN = "uncertain", _("Uncertain")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


# Content can be edited in these states; an edit of approved content sends it back to review.
EDITABLE = {
    PostState.DRAFT,
    PostState.SUBMITTED,
    PostState.CHANGES_REQUESTED,
    PostState.APPROVED,
    PostState.RETRY_WAIT,
    PostState.FAILED,
}
# Once a post may have reached X, only the publisher and the reconciler may touch it.
ON_X_OR_MAYBE = {PostState.PUBLISHING, PostState.PUBLISHED, PostState.UNCERTAIN}


# Stored untranslated in last_error, translated where it is shown (like the publisher's own).
LEASE_EXPIRED = gettext_noop("The worker stopped before X answered; Samvad looks for it on X.")


class FourEyesError(Exception):
    """The approver wrote or last edited the post, and the district requires a second person."""


class TransitionError(Exception):
    """A transition that the state machine does not allow from the post's current state."""
