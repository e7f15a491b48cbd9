"""The content app's reads that other apps' pages ask for: each role's waiting work."""

from datetime import datetime, time, timedelta

from samvad.content.models import IST, WAITING, Post, Submission


def submissions_waiting(districts):
    """Submissions that the DIPR has still to review."""
    return Submission.objects.filter(
        department__district__in=districts, state=Submission.State.SUBMITTED
    )


def submissions_returned(departments):
    """Submissions the DIPR sent back to the department for changes."""
    return Submission.objects.filter(
        department__in=departments, state=Submission.State.CHANGES_REQUESTED
    )


def replies_waiting(districts):
    """Answers to citizens that a department drafted and the DIPR has still to approve."""
    return Post.objects.filter(district__in=districts, state=Post.State.SUBMITTED).exclude(
        in_reply_to_x_post_id=""
    )


def posts_in_trouble(districts):
    """Posts that did not reach X (failed), or may or may not have (uncertain)."""
    return Post.objects.filter(
        district__in=districts, state__in=[Post.State.FAILED, Post.State.UNCERTAIN]
    )


def scheduled_on(districts, day):
    """Posts approved to go out on that day (IST)."""
    begin = datetime.combine(day, time.min, IST)
    return Post.objects.filter(
        district__in=districts,
        state__in=WAITING,
        scheduled_at__gte=begin,
        scheduled_at__lt=begin + timedelta(days=1),
    )
