"""Content's background work: what follows a publication, outside the publisher's step."""

from samvad.jobs.registry import job


@job(max_attempts=3)
def tell_officer_published(*, post_id: int) -> None:
    # A separate job (DESIGN.md, invariant 4): a slow or failing mail server must never sit
    # between X's answer and the post's fenced outcome.
    from samvad.content.models import Post
    from samvad.content.notify import notify_published

    post = Post.objects.select_related("submission__created_by").filter(pk=post_id).first()
    if post is not None:
        notify_published(post)
