"""Every figure this app takes from another app, each behind one small function.

The other app is imported inside the function: a district can run Samvad without it, and the
scoreboard then shows "—" for that figure (see `available`). Each function is one grouped query,
scoped to one district, so the rollup job's cost does not grow with the number of districts.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

IST = ZoneInfo("Asia/Kolkata")
SOURCES = {
    "posts": "samvad.content",
    "submissions": "samvad.content",
    "reposts": "samvad.advocacy",
    "following": "samvad.advocacy",
    "spend": "samvad.platforms.x",
}


def available(figure: str) -> bool:
    return apps.is_installed(SOURCES[figure])


def _by_day(queryset, field: str, value=None) -> dict[date, int]:
    rows = (
        queryset.annotate(d=TruncDate(field, tzinfo=IST))
        .values("d")
        .annotate(n=value or Count("pk"))
        .values_list("d", "n")
    )
    return dict(rows)


# Posts and submissions (content) ----------------------------------------------------------------


@dataclass(frozen=True)
class CampaignPost:
    x_post_id: str
    account_id: int
    department_id: int | None
    published_at: datetime
    text: str


def _published(account_ids, start: datetime, end: datetime):
    from samvad.content.models import Post

    return Post.objects.filter(
        account_id__in=account_ids,
        state=Post.State.PUBLISHED,
        x_post_id__isnull=False,
        published_at__gte=start,
        published_at__lt=end,
    )


def campaign_posts(account_ids, start: datetime, end: datetime) -> list[CampaignPost]:
    """The accounts' published posts in the period, oldest first."""
    if not available("posts"):
        return []
    rows = (
        _published(account_ids, start, end)
        .order_by("published_at")
        .values_list("x_post_id", "account_id", "department_id", "published_at", "text")
    )
    return [CampaignPost(x, a, d, p, t[:300]) for x, a, d, p, t in rows]


def posts_by_day(account_ids, start: datetime, end: datetime) -> dict[date, int]:
    if not available("posts"):
        return {}
    return _by_day(_published(account_ids, start, end), "published_at")


def posts_by_department(account_ids, start: datetime, end: datetime) -> dict[int, int]:
    if not available("posts"):
        return {}
    rows = (
        _published(account_ids, start, end)
        .filter(department__isnull=False)
        .values("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
    )
    return dict(rows)


def _submissions(district, start: datetime, end: datetime):
    from samvad.content.models import Submission

    return Submission.objects.filter(
        department__district=district, created__gte=start, created__lt=end
    )


def submissions_by_day(district, start: datetime, end: datetime) -> dict[date, int]:
    if not available("submissions"):
        return {}
    return _by_day(_submissions(district, start, end), "created")


def submissions_by_department(district, start: datetime, end: datetime) -> dict[int, int]:
    if not available("submissions"):
        return {}
    rows = (
        _submissions(district, start, end)
        .values("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
    )
    return dict(rows)


def set_post_engagement(engagement: dict[str, int]) -> None:
    """Give content's posts their engagement (it ranks the best hours to post)."""
    if not engagement or not available("posts"):
        return
    from samvad.content.models import Post

    posts = list(Post.objects.filter(x_post_id__in=list(engagement)))
    for post in posts:
        post.engagement = engagement[post.x_post_id]
    Post.objects.bulk_update(posts, ["engagement"])


# Staff (advocacy) ---------------------------------------------------------------------------------


def _staff_reposts(district, start: datetime, end: datetime):
    from samvad.advocacy.models import StaffRepost

    return StaffRepost.objects.filter(
        person__district=district, seen_at__gte=start, seen_at__lt=end
    )


def staff_reposts_by_day(district, start: datetime, end: datetime) -> dict[date, int]:
    if not available("reposts"):
        return {}
    return _by_day(_staff_reposts(district, start, end), "seen_at")


def staff_reposts_by_department(district, start: datetime, end: datetime) -> dict[int, int]:
    if not available("reposts"):
        return {}
    rows = (
        _staff_reposts(district, start, end)
        .values("person__department")
        .annotate(n=Count("pk"))
        .values_list("person__department", "n")
    )
    return {d: n for d, n in rows if d is not None}


def record_staff(district, *, day: date) -> None:
    """Have advocacy write its record of the district's departments for `day` (today) now, so
    that the scoreboard's staff figures are as fresh as its measurements."""
    if not available("following"):
        return
    from samvad.advocacy.sync import snapshot_departments

    snapshot_departments(district, day=day)


def staff_following(departments, day: date) -> dict[int, tuple[int, int]]:
    """Each department's (staff, staff following the district account) at the end of `day`, from
    advocacy's daily record of the department (the last one before, if that day has none)."""
    if not available("following"):
        return {}
    from samvad.advocacy.selectors import latest_snapshots

    return {pk: (s.staff, s.following) for pk, s in latest_snapshots(departments, day).items()}


# X spend (platforms.x ledger) -------------------------------------------------------------------


def x_spend_by_day(district, start: datetime, end: datetime) -> dict[date, Decimal]:
    if not available("spend"):
        return {}
    from samvad.platforms.x.models import LedgerEntry

    entries = LedgerEntry.objects.filter(district=district, at__gte=start, at__lt=end)
    return _by_day(entries, "at", Sum("cost"))


# Citizens' questions (inbox) --------------------------------------------------------------------


def questions_answered_on_time(district, start: datetime, end: datetime) -> tuple[int, int] | None:
    """(answered on time, asked) in the period, or None while the inbox cannot say.

    Asks the inbox app's `answered_on_time(district, start=, end=)` selector when it has one."""
    if not apps.is_installed("samvad.inbox"):
        return None
    from samvad.inbox.selectors import answered_on_time

    return answered_on_time(district, start=start, end=end)
