"""Follow compliance at district scale: a full pass of 1,000,000 followers reconciled against
200,000 registered staff (store the followers, carry them over to the staff, write every
department's record), in a forked child so that its own peak RSS is measured.

The data before the pass: 60% of staff follow, plus citizens; the pass then brings new followers,
returning ones and people who stopped following, on both sides. The baseline is the naive way
(one get_or_create per follower, one save per change, one query per staff member) timed on a
sample district of `baseline_followers` followers and extrapolated linearly.
"""

from bench import harness

PARAMS = {
    "followers": 1_000_000,
    "staff": 200_000,
    "departments": 40,
    "baseline_followers": 10_000,
}
TARGETS = {"reconcile_s": ("<=", 60), "peak_rss_mb": ("<=", 1024), "speedup": (">=", 10)}

STAFF_BASE = 10**12
CITIZEN_BASE = 2 * 10**12
PAGE = 1000


def _shape(followers: int, staff: int) -> dict:
    """Who follows before and after the pass (as id ranges), sized to `followers` after."""
    following_after = [i for i in range(staff) if 1 <= i % 10 <= 6]  # 60%; 10% left, 10% joined
    citizens_after = followers - len(following_after)
    churn = max(1, citizens_after // 20)
    return {
        "staff_before": lambda i: i % 10 <= 5,
        "staff_after": following_after,
        "citizens_before": range(0, citizens_after),
        "citizens_after": range(churn, churn + citizens_after),
    }


def _copy(table: str, columns: tuple, rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, list(rows))


def _seed(code: str, followers: int, staff: int, departments: int):
    """A district with its account, departments, staff with verified handles, and the followers
    known before the pass. Returns (account, the pass's id pages as a generator factory)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from samvad.advocacy import sync
    from samvad.advocacy.models import Follower, StaffHandle
    from samvad.org.models import Department, District, OfficialAccount, Person, State

    state, _ = State.objects.get_or_create(
        code="rajasthan", defaults={"name_hi": "राजस्थान", "name_en": "Rajasthan"}
    )
    district = District.objects.create(state=state, code=code, name_hi=code, name_en=code)
    account = OfficialAccount.objects.create(
        district=district, handle=f"Dm{code}"[:15], x_user_id="1"
    )
    depts = Department.objects.bulk_create(
        Department(
            district=district,
            code=f"d{i}",
            name_hi=f"विभाग {i}",
            name_en=f"Dept {i}",
            head_designation_hi="-",
            head_designation_en="-",
        )
        for i in range(departments)
    )
    shape = _shape(followers, staff)
    offset = 0 if code == "big" else 5 * 10**11  # the sample district has ids of its own
    now = timezone.now()
    with transaction.atomic():
        _copy(
            Person._meta.db_table,
            (
                "district_id",
                "department_id",
                "name",
                "designation",
                "employee_code",
                "email",
                "mobile",
            ),
            (
                (district.pk, depts[i % departments].pk, f"कार्मिक {i}", "लिपिक", f"E{i}", "", "")
                for i in range(staff)
            ),
        )
        first = (
            Person.objects.filter(district=district)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        _copy(
            StaffHandle._meta.db_table,
            (
                "person_id",
                "district_id",
                "handle",
                "x_user_id",
                "status",
                "on_leaderboard",
                "created",
            ),
            (
                (
                    first + i,
                    district.pk,
                    f"s{code}{i}"[:15],
                    str(offset + STAFF_BASE + i),
                    "verified",
                    False,
                    now,
                )
                for i in range(staff)
            ),
        )
        # X ids are text, as X gives them.
        before = [str(offset + STAFF_BASE + i) for i in range(staff) if shape["staff_before"](i)]
        before += [str(offset + CITIZEN_BASE + j) for j in shape["citizens_before"]]
        _copy(
            Follower._meta.db_table,
            ("account_id", "x_user_id", "since"),
            ((account.pk, i, now) for i in before),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    sync.refresh_follow_state(account)

    def id_pages():
        ids = [str(offset + STAFF_BASE + i) for i in shape["staff_after"]]
        ids += [str(offset + CITIZEN_BASE + j) for j in shape["citizens_after"]]
        for start in range(0, len(ids), PAGE):
            yield ids[start : start + PAGE]

    return account, id_pages


def _reconcile(account_pk: int, followers: int, staff: int) -> dict:
    """In the measured child: the full pass, exactly as the periodic job records it."""
    from samvad.advocacy import sync
    from samvad.advocacy.models import StaffHandle
    from samvad.advocacy.selectors import department_figures
    from samvad.org.models import Department, OfficialAccount

    account = OfficialAccount.objects.get(pk=account_pk)
    shape = _shape(followers, staff)
    ids = [str(STAFF_BASE + i) for i in shape["staff_after"]]
    ids += [str(CITIZEN_BASE + j) for j in shape["citizens_after"]]
    del shape

    def id_pages():
        for start in range(0, len(ids), PAGE):
            yield ids[start : start + PAGE]

    with harness.timer() as t:
        run = sync.record_pass(account, id_pages(), full=True)
    figures = department_figures(Department.objects.filter(district=account.district_id))
    return {
        "reconcile_s": t.seconds,
        "calls": run.calls,
        "seen": run.seen,
        "added": run.added,
        "gone": run.gone,
        "staff_following": StaffHandle.objects.filter(district=account.district_id)
        .following()
        .count(),
        "staff_following_by_departments": sum(f["following"] for f in figures.values()),
    }


def _naive(account, id_pages) -> float:
    """The per-row way: what the reconciliation would be without set-based SQL."""
    from django.utils import timezone

    from samvad.advocacy.models import DepartmentSnapshot, Follower, StaffHandle
    from samvad.org.models import Department, Person

    now = timezone.now()
    with harness.timer() as t:
        seen = set()
        for ids in id_pages():
            for x_id in ids:
                follower, created = Follower.objects.get_or_create(
                    account=account, x_user_id=x_id, defaults={"since": now}
                )
                if not created and follower.until is not None:
                    follower.since, follower.until = now, None
                    follower.save()
                seen.add(x_id)
        for follower in Follower.objects.filter(account=account, until__isnull=True):
            if follower.x_user_id not in seen:
                follower.until = now
                follower.save()
        for handle in StaffHandle.objects.filter(district=account.district):
            active = Follower.objects.filter(
                account=account, x_user_id=handle.x_user_id, until__isnull=True
            ).first()
            if active and not handle.is_following:
                handle.following_since, handle.stopped_following_at = active.since, None
                handle.save()
            elif not active and handle.is_following:
                handle.stopped_following_at = now
                handle.save()
        for department in Department.objects.filter(district=account.district):
            people = Person.objects.filter(department=department)
            DepartmentSnapshot.objects.update_or_create(
                department=department,
                day=now.date(),
                defaults={
                    "staff": people.count(),
                    "following": sum(
                        1
                        for p in people.select_related("x_handle")
                        if getattr(p, "x_handle", None) and p.x_handle.is_following
                    ),
                },
            )
    return t.seconds


def run(params: dict) -> dict:
    followers, staff = params["followers"], params["staff"]
    with harness.postgres_database("bench_compliance") as url:
        harness.django_setup(url)
        with harness.timer() as seeding:
            account, _pages = _seed("big", followers, staff, params["departments"])
        result, child_s, peak_rss = harness.in_child(_reconcile, account.pk, followers, staff)

        # The baseline on a sample district of the same shape, extrapolated by follower count.
        sample = params["baseline_followers"]
        sample_staff = max(10, staff * sample // followers)
        small, small_pages = _seed("sample", sample, sample_staff, params["departments"])
        naive_s = _naive(small, small_pages)
        engine = harness._database_server(url)["engine"]

    expected_following = len(_shape(followers, staff)["staff_after"])
    naive_full_s = naive_s * followers / sample
    return {
        "figures": {
            "reconcile_s": round(result["reconcile_s"], 2),
            "child_wall_s": round(child_s, 2),
            "peak_rss_mb": round(peak_rss / 2**20, 1),
            "followers": result["seen"],
            "staff": staff,
            "follower_pages": result["calls"],
            "added": result["added"],
            "gone": result["gone"],
            "staff_following": result["staff_following"],
            "correct": result["staff_following"]
            == expected_following
            == result["staff_following_by_departments"],
            "speedup": round(naive_full_s / result["reconcile_s"], 1),
            "seed_s": round(seeding.seconds, 1),
            "engine": engine,
        },
        "baseline": {
            "method": "per-row get_or_create/save and one query per staff member",
            "sample_followers": sample,
            "sample_staff": sample_staff,
            "sample_s": round(naive_s, 2),
            "extrapolated_s": round(naive_full_s, 1),
        },
    }
