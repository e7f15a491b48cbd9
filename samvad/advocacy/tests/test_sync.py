"""Handle lookups, followers and reposts against the sandbox, with the calls counted from its
request log."""

from math import ceil

import pytest
from django.utils import timezone

from samvad.advocacy import sync
from samvad.advocacy.models import (
    DepartmentSnapshot,
    Follower,
    FollowerSighting,
    StaffHandle,
    StaffRepost,
)
from samvad.advocacy.selectors import leaderboard, onboarding_facts
from samvad.advocacy.tests.conftest import x_calls
from samvad.org.models import Person
from samvad.platforms.x.client import Page


@pytest.fixture(autouse=True)
def _ample_budget(settings):
    settings.SAMVAD_X_DAILY_BUDGET_INR = 100_000  # thousands of followers and handles read


def make_staff(world, n, *, department=None, prefix="staff", start=1):
    department = department or world.water
    people = Person.objects.bulk_create(
        Person(
            district=world.dausa,
            department=department,
            name=f"{prefix} {i}",
            designation="लिपिक",
            employee_code=f"{prefix}-{i}",
        )
        for i in range(start, start + n)
    )
    StaffHandle.objects.bulk_create(
        StaffHandle(person=p, district=world.dausa, handle=f"{prefix}{i}")
        for i, p in enumerate(people, start=start)
    )
    return people


def fans(sandbox, count, prefix="fan", start=1, follow="DmDausa"):
    sandbox.call(
        "POST", "users", json={"count": count, "prefix": prefix, "start": start, "follow": follow}
    )


def test_verifying_e_handles_makes_ceil_e_over_100_lookups(world, sandbox, xclient):
    make_staff(world, 250)
    sandbox.call(
        "POST",
        "users",
        json={"users": [{"username": f"staff{i}", "protected": i == 7} for i in range(1, 231)]},
    )
    sandbox.clear_requests()
    assert sync.verify_handles(world.dausa, client=xclient) == 250
    assert len(x_calls(sandbox, r"^/2/users/by$")) == ceil(250 / 100)
    statuses = dict(StaffHandle.objects.values_list("handle", "status"))
    assert statuses["staff1"] == "verified"
    assert statuses["staff7"] == "protected"
    assert statuses["staff240"] == "not_found"
    assert (
        StaffHandle.objects.get(handle="staff1").x_user_id
        == sandbox.store.user(username="staff1")["id"]
    )
    # Checked handles are not looked up again unless asked.
    sandbox.clear_requests()
    sync.verify_handles(world.dausa, client=xclient)
    assert x_calls(sandbox, r"^/2/users/by$") == []


def test_a_suspended_account_is_recognised_from_xs_error():
    handle = StaffHandle(handle="gone")
    handle.save = lambda: None
    page = Page(
        [],
        errors=[
            {"value": "gone", "detail": "User has been suspended: [gone].", "title": "Forbidden"}
        ],
    )
    StaffHandle.objects.bulk_update = lambda *a, **k: None  # no database needed here
    try:
        sync._apply_lookup([handle], page)
    finally:
        del StaffHandle.objects.bulk_update
    assert handle.status == "suspended"


def test_a_full_sync_of_f_followers_makes_ceil_f_over_1000_calls(world, sandbox, dausa, xclient):
    fans(sandbox, 2500)
    sandbox.clear_requests()
    run = sync.sync_followers(dausa, client=xclient, full=True)
    calls = x_calls(sandbox, r"/followers$")
    assert len(calls) == ceil(2500 / 1000)
    assert all("max_results=1000" in c["query"] for c in calls)
    assert (run.seen, run.added, run.gone) == (2500, 2500, 0)
    assert Follower.objects.filter(account=dausa, until__isnull=True).count() == 2500
    assert not FollowerSighting.objects.exists()  # the staging rows are cleared


def test_an_incremental_sync_after_k_new_followers_stops_early(world, sandbox, dausa, xclient):
    fans(sandbox, 2500)
    sync.sync_followers(dausa, client=xclient, full=True)
    fans(sandbox, 1200, prefix="new")
    sandbox.clear_requests()
    run = sync.sync_followers(dausa, client=xclient, full=False)
    # Pages of 20, 40, 80, ... 640: X bills each follower returned, so it reads past the new
    # ones by no more than their own number, in a handful of calls.
    assert len(x_calls(sandbox, r"/followers$")) <= 7
    assert run.seen < 2 * 1200
    assert run.added == 1200
    assert Follower.objects.filter(account=dausa, until__isnull=True).count() == 3700
    # Nothing new: one call.
    sandbox.clear_requests()
    sync.sync_followers(dausa, client=xclient, full=False)
    assert len(x_calls(sandbox, r"/followers$")) == 1


def test_staff_following_is_tracked_per_person_and_department(world, sandbox, dausa, xclient):
    make_staff(world, 4)
    make_staff(world, 2, department=world.power, prefix="power")
    fans(sandbox, 4, prefix="staff", follow="")
    fans(sandbox, 2, prefix="power", follow="")
    sync.verify_handles(world.dausa, client=xclient)
    sandbox.call(
        "POST", "follows", json={"followers": ["staff1", "staff2", "power1"], "followee": "DmDausa"}
    )
    fans(sandbox, 50)
    sync.sync_followers(dausa, client=xclient, full=False)
    following = set(StaffHandle.objects.following().values_list("handle", flat=True))
    assert following == {"staff1", "staff2", "power1"}
    today = DepartmentSnapshot.objects.get(department=world.water, day=timezone.localdate())
    # The water department also has officer_a and the employee persona.
    assert (today.staff, today.registered, today.verified, today.following) == (6, 4, 4, 2)
    # staff1 unfollows: only a full pass can see it.
    sandbox.call(
        "POST", "follows", json={"follower": "staff1", "followee": "DmDausa", "unfollow": True}
    )
    sync.sync_followers(dausa, client=xclient, full=False)
    assert StaffHandle.objects.get(handle="staff1").is_following
    run = sync.sync_followers(dausa, client=xclient, full=True)
    assert run.gone == 1
    staff1 = StaffHandle.objects.get(handle="staff1")
    assert staff1.stopped_following_at is not None and not staff1.is_following
    facts = onboarding_facts([staff1.person_id, StaffHandle.objects.get(handle="staff2").person_id])
    assert facts[staff1.person_id].following_since is None
    assert all(f.handle_verified for f in facts.values())
    # And following again is seen too.
    sandbox.call("POST", "follows", json={"follower": "staff1", "followee": "DmDausa"})
    sync.sync_followers(dausa, client=xclient, full=False)
    assert StaffHandle.objects.get(handle="staff1").is_following


def test_reposts_by_staff_are_counted_and_others_are_not_kept(world, sandbox, dausa, xclient):
    people = make_staff(world, 3)
    fans(sandbox, 3, prefix="staff", follow="")
    fans(sandbox, 5, prefix="citizen", follow="")
    sync.verify_handles(world.dausa, client=xclient)
    post = sandbox.call("POST", "tweets", json={"username": "DmDausa", "text": "हर घर जल"})
    post_id = post["data"]["id"]
    sandbox.call(
        "POST",
        "retweets",
        json={"tweet_id": post_id, "usernames": ["staff1", "staff2", "citizen1", "citizen2"]},
    )
    assert sync.sync_reposts(dausa, [post_id], client=xclient) == 2
    assert sync.sync_reposts(dausa, [post_id], client=xclient) == 0  # idempotent
    assert StaffRepost.objects.count() == 2
    StaffHandle.objects.filter(person=people[0]).update(on_leaderboard=True)
    board = leaderboard(world.dausa)
    assert [(r["named"], r["reposts"]) for r in board] == [(True, 1), (False, 1)]
    assert board[0]["name"] == "staff 1" and board[1]["name"] == ""
    facts = onboarding_facts([p.pk for p in people])
    assert facts[people[0].pk].first_repost_at is not None
    assert facts[people[2].pk].first_repost_at is None
