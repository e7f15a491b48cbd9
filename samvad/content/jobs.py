"""Content's background work: what follows a publication, outside the publisher's step."""

from django.urls import reverse

from samvad.content.models import Post
from samvad.jobs.registry import job
from samvad.notifications import notify


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
