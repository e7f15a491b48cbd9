"""Staff on X for `samvad generate` (the contract is at the top of samvad/demo/generate.py).

For each district, in the shapes advocacy's sync writes them:
- a handle for a share of its staff (the scale's `handle_share`), registered during the period,
  most verified, most of those following the district's account, a few who stopped;
- the district account's followers as bare X ids: the following staff plus citizens, `followers`
  of the scale in all (split evenly over the districts), and one in fifty gone again;
- staff reposts of the district's posts of the last thirty days;
- each department's compliance record for every day of the period, counted from the rows above
  (so the trend and today's figures agree with what the pages count live);
- the last full follower pass of each district account.

Everything about one district is decided and written before the next, so memory stays at one
district's handles whatever the scale.
"""

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from samvad.advocacy.models import (
    DepartmentSnapshot,
    Follower,
    FollowerSync,
    StaffHandle,
    StaffRepost,
)
from samvad.demo import generate as synthetic

# Synthetic X user ids, far above any real one's range: staff by person id, citizens counted.
STAFF_X_ID_BASE = 8 * 10**18
CITIZEN_X_ID_BASE = 7 * 10**18
STATUSES = [
    (StaffHandle.Status.VERIFIED, 0.90),
    (StaffHandle.Status.UNVERIFIED, 0.04),
    (StaffHandle.Status.NOT_FOUND, 0.03),
    (StaffHandle.Status.PROTECTED, 0.02),
    (StaffHandle.Status.SUSPENDED, 0.01),
]
FOLLOWING_SHARE = 0.7  # of verified handles
STOPPED_SHARE = 0.05  # of those who followed
GONE_SHARE = 50  # one follower row in this many has stopped following
FOLLOWED_BEFORE = 0.55  # citizens following before the period began
LEADERBOARD_SHARE = 0.3
REPOST_DAYS = 30  # posts of these last days have been checked for staff reposts
REPOSTS_PER_POST = 8  # on average, while enough staff follow
ASCII_NAMES = ["ramesh", "sunita", "mahesh", "kavita", "suresh", "pooja", "anil", "rekha",
               "vijay", "meena", "rakesh", "geeta", "manoj", "seema", "ashok", "neha"]  # fmt: skip


def handles_per_district(scale: synthetic.Scale) -> list[int]:
    return synthetic.split(int(scale.people * scale.handle_share), scale.districts)


def followers_per_district(scale: synthetic.Scale) -> list[int]:
    """Active followers of each district account (at least its following staff, see below)."""
    return synthetic.split(scale.followers, scale.districts)


def estimate(scale: synthetic.Scale) -> dict[str, int]:
    """Exact but for the reposts (which depend on how many staff happen to follow)."""
    followers = followers_per_district(scale)
    from samvad.demo.generators.content import posts_per_day

    recent = sum(sum(days[-REPOST_DAYS:]) for days in posts_per_day(scale))
    return {
        "advocacy.StaffHandle": int(scale.people * scale.handle_share),
        "advocacy.Follower": sum(f + f // GONE_SHARE for f in followers),
        "advocacy.StaffRepost": recent * REPOSTS_PER_POST,
        "advocacy.DepartmentSnapshot": scale.departments * scale.days,
        "advocacy.FollowerSync": scale.districts,
    }


@dataclass
class Handle:
    person_id: int
    department_id: int
    created: datetime
    status: str
    following_since: datetime | None = None
    stopped_at: datetime | None = None


def generate(ctx: synthetic.Context) -> None:
    handles = handles_per_district(ctx.scale)
    followers = followers_per_district(ctx.scale)
    citizen = CITIZEN_X_ID_BASE
    for index, district_id in enumerate(ctx.district_ids):
        chosen = _handles(ctx, district_id, handles[index])
        ctx.copy_rows(StaffHandle, HANDLE_FIELDS, _handle_rows(ctx, district_id, chosen))
        account_id = ctx.district_accounts[district_id]
        active, rows = _followers(ctx, account_id, chosen, followers[index], citizen)
        citizen += ctx.copy_rows(Follower, ["account_id", "x_user_id", "since", "until"], rows)
        reposts = _reposts(ctx, district_id, chosen)
        ctx.copy_rows(StaffRepost, ["person_id", "x_post_id", "seen_at"], (
            (person_id, x_post_id, seen_at) for person_id, _, x_post_id, seen_at in reposts
        ))  # fmt: skip
        ctx.copy_rows(
            DepartmentSnapshot, SNAPSHOT_FIELDS, _snapshots(ctx, district_id, chosen, reposts)
        )
        finished = ctx.moment(ctx.today, 6)
        ctx.copy_rows(FollowerSync, [
            "account_id", "kind", "started", "finished", "calls", "seen", "added", "gone", "error",
        ], [(account_id, FollowerSync.Kind.FULL, finished - timedelta(minutes=4), finished,
             -(-active // 1000), active, 0, 0, "")])  # fmt: skip


def _instant(ctx, rng, first_day: int = 0) -> datetime:
    """A moment on a day of the period from `first_day` on (an index), in office hours, later
    days a little likelier (programmes gather pace)."""
    span = ctx.scale.days - first_day
    day = first_day + int(span * rng.random() ** 0.8)
    return ctx.moment(ctx.start + timedelta(days=min(day, ctx.scale.days - 1)),
                      rng.randint(9, 19), rng.randrange(60))  # fmt: skip


def _day_index(ctx, moment: datetime) -> int:
    return (moment.astimezone(synthetic.TIME_ZONE).date() - ctx.start).days


def _handles(ctx, district_id: int, count: int) -> list[Handle]:
    """Who of the district's staff registered, and what became of their handle."""
    rng = ctx.random
    people = ctx.district_people[district_id]
    department_of = {}
    for department_id in ctx.departments[district_id]:
        for_department = ctx.people.get(department_id, range(0))
        if len(for_department):
            department_of[for_department.start] = department_id
    starts = sorted(department_of)
    statuses, weights = zip(*STATUSES, strict=True)
    chosen = []
    for person_id in sorted(rng.sample(people, min(count, len(people)))):
        department_id = department_of[starts[bisect_right(starts, person_id) - 1]]
        created = _instant(ctx, rng)
        handle = Handle(person_id, department_id, created, rng.choices(statuses, weights)[0])
        if handle.status == StaffHandle.Status.VERIFIED and rng.random() < FOLLOWING_SHARE:
            since_day = _day_index(ctx, created)
            handle.following_since = max(created, _instant(ctx, rng, since_day))
            if rng.random() < STOPPED_SHARE:
                handle.stopped_at = handle.following_since + timedelta(days=rng.uniform(0.5, 60))
        chosen.append(handle)
    return chosen


HANDLE_FIELDS = [
    "person_id", "district_id", "handle", "x_user_id", "status", "checked_at", "consent_at",
    "on_leaderboard", "following_since", "stopped_following_at", "created",
]  # fmt: skip


def _handle_rows(ctx, district_id: int, chosen: list[Handle]) -> Iterator[tuple]:
    rng, now = ctx.random, ctx.moment(ctx.today, 6)
    for h in chosen:
        known = h.status in (StaffHandle.Status.VERIFIED, StaffHandle.Status.PROTECTED)
        checked = (
            None
            if h.status == StaffHandle.Status.UNVERIFIED
            else min(h.created + timedelta(hours=1), now)
        )
        yield (
            h.person_id, district_id, f"{rng.choice(ASCII_NAMES)}{h.person_id}",
            str(STAFF_X_ID_BASE + h.person_id) if known else "", h.status, checked, h.created,
            rng.random() < LEADERBOARD_SHARE, h.following_since, _stopped(ctx, h), h.created,
        )  # fmt: skip


def _stopped(ctx, h: Handle) -> datetime | None:
    """When they stopped following, if that has happened by the end of the period."""
    end = ctx.moment(ctx.today, 6)
    return h.stopped_at if h.stopped_at is not None and h.stopped_at <= end else None


def _followers(ctx, account_id: int, chosen: list[Handle], active: int, first_citizen: int):
    """(active followers, rows): the following staff, then citizens up to `active`; one row in
    GONE_SHARE is someone who followed and left (staff who stopped count among them)."""
    rng, end = ctx.random, ctx.moment(ctx.today, 5)
    staff = [h for h in chosen if h.following_since is not None]
    following = [h for h in staff if _stopped(ctx, h) is None]
    left = [h for h in staff if _stopped(ctx, h) is not None]
    active = max(active, len(following))
    gone = active // GONE_SHARE
    citizens = active - len(following)
    citizens_gone = max(0, gone - len(left))

    def rows():
        for h in staff:
            yield (
                account_id,
                str(STAFF_X_ID_BASE + h.person_id),
                h.following_since,
                _stopped(ctx, h),
            )
        for n in range(citizens + citizens_gone):
            if rng.random() < FOLLOWED_BEFORE:
                since = ctx.moment(ctx.start, 12) - timedelta(days=rng.uniform(1, 1500))
            else:
                since = _instant(ctx, rng)
            until = None
            if n >= citizens:  # the ones who left, at some time after they came
                earliest = max(since, ctx.moment(ctx.start, 12))
                until = earliest + (end - earliest) * rng.random()
            yield account_id, str(first_citizen + n), since, until

    return active, rows()


def _reposts(ctx, district_id: int, chosen: list[Handle]) -> list[tuple]:
    """(person, department, X post id, seen at) for the district's recent posts."""
    from samvad.content.models import Post

    rng, end = ctx.random, ctx.moment(ctx.today, 23, 59)
    since = ctx.moment(ctx.today - timedelta(days=REPOST_DAYS - 1), 0)
    posts = (Post.objects.filter(district_id=district_id, state=Post.State.PUBLISHED,
                                 published_at__gte=since)
             .order_by("published_at").values_list("x_post_id", "published_at"))  # fmt: skip
    followers = sorted((h for h in chosen if h.following_since),
                       key=lambda h: h.following_since)  # fmt: skip
    since_list = [h.following_since for h in followers]
    rows = []
    for x_post_id, published_at in posts.iterator(chunk_size=5000):
        # Only staff who followed by then (and had not stopped) see the post.
        fans = bisect_right(since_list, published_at)
        for i in rng.sample(range(fans), min(fans, rng.randint(0, 2 * REPOSTS_PER_POST))):
            h = followers[i]
            if h.stopped_at is None or h.stopped_at > published_at:
                seen = min(published_at + timedelta(minutes=rng.randint(2, 600)), end)
                rows.append((h.person_id, h.department_id, x_post_id, seen))
    return rows


SNAPSHOT_FIELDS = [
    "department_id", "day", "staff", "registered", "verified", "following", "reposters",
    "reposts_total",
]  # fmt: skip


def _snapshots(ctx, district_id: int, chosen: list[Handle], reposts: list[tuple]):
    """Each department's record on every day, counted from the handles and reposts: a day's
    record holds what was true at its end."""
    days = ctx.scale.days
    by_department = {d: {k: [0] * (days + 1) for k in SNAPSHOT_FIELDS[3:]}
                     for d in ctx.departments[district_id]}  # fmt: skip

    def mark(department_id, key, moment, step=1):
        if moment is not None:
            index = max(0, _day_index(ctx, moment))
            if index < days:
                by_department[department_id][key][index] += step

    for h in chosen:
        mark(h.department_id, "registered", h.created)
        if h.status == StaffHandle.Status.VERIFIED:
            mark(h.department_id, "verified", h.created)
        mark(h.department_id, "following", h.following_since)
        mark(h.department_id, "following", _stopped(ctx, h), -1)
    first_repost = {}
    for person_id, department_id, _, seen in reposts:
        mark(department_id, "reposts_total", seen)
        if person_id not in first_repost or seen < first_repost[person_id][1]:
            first_repost[person_id] = (department_id, seen)
    for department_id, seen in first_repost.values():
        mark(department_id, "reposters", seen)
    for department_id in ctx.departments[district_id]:
        staff = len(ctx.people.get(department_id, range(0)))
        counts = by_department[department_id]
        running = dict.fromkeys(counts, 0)
        for index in range(days):
            for key, steps in counts.items():
                running[key] += steps[index]
            yield (department_id, ctx.start + timedelta(days=index), staff, running["registered"],
                   running["verified"], running["following"], running["reposters"],
                   running["reposts_total"])  # fmt: skip
