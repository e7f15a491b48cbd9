"""Content's background work: what follows a publication, outside the publisher's step."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samvad.content.models import Media, Post
from samvad.jobs.registry import job, periodic
from samvad.notifications import notify

UNSENT_KEPT = timedelta(days=1)


@job(max_attempts=3)
def tell_officer_published(*, post_id: int) -> None:
    """A post made from the officer's submission is on X."""
    # A separate job (DESIGN.md, invariant 4): a slow or failing mail server must never sit
    # between X's answer and the post's fenced outcome.
    post = (
        Post.objects.select_related("submission__created_by")
        .filter(pk=post_id, submission__isnull=False)
        .first()
    )
    if post is not None:
        link = reverse("content:submission_detail", args=[post.submission_id])
        context = {"post": post, "submission": post.submission}
        notify(post.submission.created_by, "content/email/published", context, link)


@periodic(every=timedelta(hours=6), name="content.forget_unsent_photos")
def forget_unsent_photos(*, slot: str) -> None:
    """Photos kept from a form that was never sent (Media.keep) are forgotten after a day."""
    unsent = Media.objects.filter(
        submission__isnull=True, postmedia__isnull=True, created__lt=timezone.now() - UNSENT_KEPT
    )
    for media in unsent:
        media.file.delete(save=False)
        media.delete()
