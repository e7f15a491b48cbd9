"""What this app needs from other apps, each behind one small named function."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from samvad import audit

# An official post is an employee's task to repost for this long after it is published.
TASK_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class OfficialPost:
    x_post_id: str
    text: str
    published_at: datetime


def official_posts(district, *, since: datetime) -> list[OfficialPost]:
    """The district account's posts published since then, newest first."""
    from samvad.content.models import Post

    posts = Post.objects.filter(
        district=district,
        state=Post.State.PUBLISHED,
        x_post_id__isnull=False,
        published_at__gte=since,
        account__department__isnull=True,
    ).order_by("-published_at")
    return [OfficialPost(p.x_post_id, p.text, p.published_at) for p in posts]


def repost_tasks_waiting(person, *, since: datetime):
    """The district account's posts published since then that the person has not reposted."""
    from samvad.advocacy.models import StaffRepost
    from samvad.content.models import Post

    reposted = StaffRepost.objects.filter(person=person).values("x_post_id")
    return Post.objects.filter(
        district=person.district_id,
        state=Post.State.PUBLISHED,
        x_post_id__isnull=False,
        published_at__gte=since,
        account__department__isnull=True,
    ).exclude(x_post_id__in=reposted)


def record_export(*, user, district, rows: int) -> None:
    """Exports of personal data go into the district's audit log as well as our own register."""
    from samvad.advocacy.models import PersonalDataExport

    export = PersonalDataExport.objects.create(user=user, district=district, rows=rows)
    audit.record(
        actor=user,
        action="advocacy.staff_export",
        obj=export,
        district=district,
        after={"rows": rows},
    )
