"""What X says about staff: handle lookups, the official account's followers, and who reposted
its posts, with the fewest calls the contract allows (100 users per lookup, 1000 followers per
page, incremental). X is only ever called through the platform's client.

The follower reconciliation is set-based, so that a million followers against two hundred thousand
staff takes seconds: a full pass streams the ids into a staging table (COPY on PostgreSQL) and
settles new, returned and gone followers with three statements, whatever their number.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from math import ceil

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from samvad.advocacy.models import (
    DepartmentSnapshot,
    Follower,
    FollowerSighting,
    FollowerSync,
    StaffHandle,
    StaffRepost,
)
from samvad.advocacy.selectors import FIGURES, department_figures
from samvad.org.models import Department, OfficialAccount
from samvad.platforms.x.client import XClient, pages

logger = logging.getLogger(__name__)

LOOKUP_BATCH = 100
FOLLOWERS_PAGE = 1000  # X's largest page: a full pass reads every follower anyway
SMALLEST_PAGE = 20  # an incremental pass reads at least this many, so one page usually ends it
# A page all new: the next is twice as large. X bills every follower a page returns (each once a
# UTC day), so a pass that reads past the new ones pays again for followers of earlier days;
# doubling keeps that to about as many as the new ones. (Tenfold put bench/cost's bill at 1.23
# times the contract's minimum.)
GROWTH = 2
RECENT = timedelta(hours=3)  # followers come with the hours of the day: the last hours predict
STAGE_BATCH = 50_000  # ids staged per statement: one commit per page would cost more than X
Status = StaffHandle.Status


# -- handles -------------------------------------------------------------------------------------
def verify_handles(
    district, *, client: XClient, recheck: bool = False, now: datetime | None = None
) -> int:
    """Look the district's handles up, 100 per call: exists, not suspended, not protected.
    Returns how many handles were looked up."""
    handles = StaffHandle.objects.filter(district=district).order_by("pk")
    if not recheck:
        handles = handles.filter(status=Status.UNVERIFIED)
    handles = list(handles)
    for start in range(0, len(handles), LOOKUP_BATCH):
        batch = handles[start : start + LOOKUP_BATCH]
        page = client.users_by_usernames([h.handle for h in batch])
        _apply_lookup(batch, page, now=now)
    return len(handles)


def _apply_lookup(batch: list[StaffHandle], page, *, now: datetime | None = None) -> None:
    found = {u.username.lower(): u for u in page.items}
    suspended = {
        str(e.get("value", "")).lower()
        for e in page.errors
        if "suspend" in (e.get("detail", "") + e.get("title", "")).lower()
    }
    now = now or timezone.now()
    for handle in batch:
        key = handle.handle.lower()
        handle.checked_at = now
        if user := found.get(key):
            handle.x_user_id = user.id
            handle.handle = user.username  # X's own spelling
            handle.status = Status.PROTECTED if user.raw.get("protected") else Status.VERIFIED
        else:
            handle.x_user_id = ""
            handle.status = Status.SUSPENDED if key in suspended else Status.NOT_FOUND
    StaffHandle.objects.bulk_update(batch, ["x_user_id", "handle", "status", "checked_at"])


# -- followers -----------------------------------------------------------------------------------
def sync_followers(
    account: OfficialAccount, *, client: XClient, full: bool, now: datetime | None = None
) -> FollowerSync:
    """One pass over the account's followers, then the staff's follow state and today's record.

    X lists followers newest first and bills each one it returns (once a UTC day). Incremental:
    pages sized to the new followers expected, stopping at the first page that holds a follower
    already known. Full: every page of 1000, then anyone no longer listed has stopped following;
    it is the only way to see unfollows, and costs a read per follower (see `full_pass_cost`)."""
    size = FOLLOWERS_PAGE if full else expected_page(account, now=now)

    def id_pages():
        token, page_size = None, size
        while True:
            page = client.followers(
                account.x_user_id, max_results=page_size, pagination_token=token
            )
            yield [user.id for user in page.items]
            if not (token := page.next_token):
                return
            page_size = min(FOLLOWERS_PAGE, page_size * GROWTH)

    return record_pass(account, id_pages(), full=full, now=now)


def expected_page(account: OfficialAccount, *, now: datetime | None = None) -> int:
    """A page size for an incremental pass: the new followers the last hours' passes found per
    hour, times the hours since the last pass, with room to spare, and a known one to stop at."""
    now = now or timezone.now()
    runs = FollowerSync.objects.filter(
        account=account, error="", finished__isnull=False, started__lt=now
    )
    last = runs.order_by("-started").first()
    if last is None:
        return FOLLOWERS_PAGE
    recent = runs.filter(started__gte=now - RECENT, kind=FollowerSync.Kind.INCREMENTAL)
    hours = max(
        (now - min((r.started for r in recent), default=last.started)).total_seconds() / 3600, 1
    )
    per_hour = sum(r.added for r in recent) / hours
    since_last = max((now - last.started).total_seconds() / 3600, 0.25)
    return max(SMALLEST_PAGE, min(FOLLOWERS_PAGE, ceil(per_hour * since_last * 1.5) + 1))


def full_pass_cost(account: OfficialAccount) -> tuple[int, Decimal, FollowerSync | None]:
    """What a full pass would read and cost now: every follower known, at the price X bills for
    reading this account's followers (each once a UTC day, so an estimate from above)."""
    from samvad.platforms.x.ledger import price
    from samvad.platforms.x.models import Connection

    followers = Follower.objects.filter(account=account, until__isnull=True).count()
    owned = Connection.objects.filter(account=account, owns_app=True).exists()
    cost = followers * price("owned_read" if owned else "follow_read")
    last = (
        FollowerSync.objects.filter(
            account=account, kind=FollowerSync.Kind.FULL, error="", finished__isnull=False
        )
        .order_by("-started")
        .first()
    )
    return followers, cost, last


def first_pass_at(account_or_id) -> datetime | None:
    """When Samvad first finished reading the account's followers: everyone it found then was
    already following, since a date it cannot know."""
    return (
        FollowerSync.objects.filter(account=account_or_id, finished__isnull=False, error="")
        .order_by("started")
        .values_list("finished", flat=True)
        .first()
    )


def record_pass(
    account: OfficialAccount,
    id_pages: Iterable[list[str]],
    *,
    full: bool,
    now: datetime | None = None,
):
    """Take in pages of follower ids as they are read (a generator: an incremental pass stops
    reading, and so calling X, as soon as it has what it needs). `now`: the moment the pass
    stands for (the demo's replayed days); the real clock when not given."""
    replayed, now = now is not None, now or timezone.now()
    run = FollowerSync.objects.create(
        account=account,
        kind=FollowerSync.Kind.FULL if full else FollowerSync.Kind.INCREMENTAL,
        started=now,
    )
    pending: list[str] = []
    try:
        for ids in id_pages:
            run.calls += 1
            run.seen += len(ids)
            if full:
                pending.extend(ids)
                if len(pending) >= STAGE_BATCH:
                    stage(run, pending)
                    pending = []
            elif _add_new(account, ids, run, now=now):
                break  # this page reached followers already known: the rest are known too
        if full:
            stage(run, pending)
            reconcile_full(account, run, now=now)
    except Exception as exc:
        run.error = str(exc)[:2000]
        raise
    finally:
        FollowerSighting.objects.filter(sync=run).delete()
        run.finished = now if replayed else timezone.now()
        run.save()
    settle_district(account, now=now)
    return run


def _add_new(account, ids: list[str], run: FollowerSync, *, now: datetime) -> bool:
    """Record the page's new followers, first seen now; True when the page reached followers
    already known (its last one is known: someone who left and came back may be known and still
    listed among the newest, so a known id above new ones does not end the pass)."""
    known = set(
        Follower.objects.filter(account=account, until__isnull=True, x_user_id__in=ids).values_list(
            "x_user_id", flat=True
        )
    )
    new = [i for i in dict.fromkeys(ids) if i not in known]
    # A follower who had left and came back gets a new `since`.
    Follower.objects.bulk_create(
        [Follower(account=account, x_user_id=i, since=now) for i in new],
        update_conflicts=True,
        unique_fields=["account", "x_user_id"],
        update_fields=["since", "until"],
    )
    run.added += len(new)
    return not ids or ids[-1] in known


def stage(run: FollowerSync, ids: list[str]) -> None:
    """Put a page of follower ids into the staging table."""
    table = FollowerSighting._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One block of text per page: a Python call per id would cost more than the COPY.
            with cursor.copy(f"COPY {table} (sync_id, x_user_id) FROM STDIN") as copy:
                copy.write("".join(f"{run.pk}\t{i}\n" for i in ids))
        else:
            cursor.executemany(
                f"INSERT INTO {table} (sync_id, x_user_id) VALUES (%s, %s)",  # noqa: S608
                [(run.pk, i) for i in ids],
            )


def reconcile_full(account: OfficialAccount, run: FollowerSync, now: datetime | None = None):
    """Settle the staged sighting of every follower against what was known, set-based."""
    now = now or timezone.now()
    f, s = Follower._meta.db_table, FollowerSighting._meta.db_table
    seen = f"SELECT 1 FROM {s} s WHERE s.sync_id = %(run)s AND s.x_user_id = {f}.x_user_id"  # noqa: S608
    params = {"account": account.pk, "run": run.pk, "now": now}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A million fresh rows: without fresh statistics the planner takes them for a few
            # and picks nested loops over hash joins.
            cursor.execute(f"ANALYZE {s}")
        cursor.execute(
            f"UPDATE {f} SET since = %(now)s, until = NULL"  # noqa: S608
            f" WHERE account_id = %(account)s AND until IS NOT NULL AND EXISTS ({seen})",
            params,
        )
        returned = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {f} (account_id, x_user_id, since)"  # noqa: S608
            f" SELECT DISTINCT %(account)s, s.x_user_id, %(now)s FROM {s} s"
            f" WHERE s.sync_id = %(run)s AND NOT EXISTS (SELECT 1 FROM {f}"
            f" WHERE {f}.account_id = %(account)s AND {f}.x_user_id = s.x_user_id)",
            params,
        )
        run.added = returned + cursor.rowcount
        cursor.execute(
            f"UPDATE {f} SET until = %(now)s"  # noqa: S608
            f" WHERE account_id = %(account)s AND until IS NULL AND NOT EXISTS ({seen})",
            params,
        )
        run.gone = cursor.rowcount


def settle_district(account: OfficialAccount, *, now: datetime | None = None) -> None:
    """Carry the followers over to the staff's handles, then write today's department record."""
    refresh_follow_state(account, now=now)
    snapshot_departments(account.district, day=timezone.localdate(now) if now else None)


def refresh_follow_state(account: OfficialAccount, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    active = Follower.objects.filter(
        account=account, until__isnull=True, x_user_id=OuterRef("x_user_id")
    )
    handles = StaffHandle.objects.filter(district=account.district_id)
    handles.exclude(x_user_id="").filter(
        Q(following_since__isnull=True) | Q(stopped_following_at__isnull=False), Exists(active)
    ).update(following_since=Subquery(active.values("since")[:1]), stopped_following_at=None)
    handles.filter(following_since__isnull=False, stopped_following_at__isnull=True).filter(
        ~Exists(active)
    ).update(stopped_following_at=now)


def snapshot_departments(district, *, day: date | None = None) -> None:
    """Today's row for every department of the district, in one upsert."""
    day = day or timezone.localdate()
    figures = department_figures(Department.objects.filter(district=district))
    DepartmentSnapshot.objects.bulk_create(
        [
            DepartmentSnapshot(department_id=pk, day=day, **{k: row[k] for k in FIGURES})
            for pk, row in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["department", "day"],
        update_fields=list(FIGURES),
    )


# -- reposts -------------------------------------------------------------------------------------
def sync_reposts(
    account: OfficialAccount, post_ids: list[str], *, client: XClient, now: datetime | None = None
) -> int:
    """Who of the staff reposted each post. Reposters who are not staff are not kept. X does
    not say when a repost was made, so each is dated when Samvad first saw it."""
    now = now or timezone.now()
    added = 0
    for post_id in post_ids:
        reposters = set()
        for page in pages(client.reposted_by, post_id, max_results=100):
            reposters.update(user.id for user in page.items)
        staff = set(
            StaffHandle.objects.filter(
                district=account.district_id, x_user_id__in=reposters
            ).values_list("person_id", flat=True)
        )
        staff -= set(
            StaffRepost.objects.filter(x_post_id=post_id, person_id__in=staff).values_list(
                "person_id", flat=True
            )
        )
        StaffRepost.objects.bulk_create(
            [StaffRepost(person_id=p, x_post_id=post_id, seen_at=now) for p in staff],
            ignore_conflicts=True,
        )
        added += len(staff)
    return added
