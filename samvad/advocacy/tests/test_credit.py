"""Credit within minutes: a handle is checked as soon as it is registered; a tap on a task link
is followed, a minute or three later, by one check of X for the whole district; the incremental
follower read costs what the new followers cost, and the full pass comes only when it is due."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from samvad.advocacy import jobs, sync, task_links
from samvad.advocacy.models import Follower, FollowerSync, StaffHandle, StaffRepost, TaskClick
from samvad.advocacy.tests.conftest import x_calls
from samvad.advocacy.tests.test_sync import fans, make_staff
from samvad.jobs.models import Job
from samvad.jobs.worker import claim, run
from samvad.platforms.x.models import LedgerEntry

NOON = timezone.make_aware(timezone.datetime(2026, 3, 2, 12, 0, 30))


@pytest.fixture(autouse=True)
def _ample_budget(settings):
    settings.SAMVAD_X_DAILY_BUDGET_INR = 100_000  # these tests read thousands of followers


def run_queued() -> None:
    """Run the queued jobs that are due, as the worker does, without its periodic rounds."""
    while job := claim("test-worker"):
        run(job)


@pytest.fixture
def publish_post(world, sandbox, dausa):
    """publish_post(text): a post of @DmDausa on the sandbox, recorded as published now."""
    from samvad.content.models import Post

    def make(text):
        answer = sandbox.call("POST", "tweets", json={"username": "DmDausa", "text": text})
        Post.objects.create(
            district=world.dausa,
            account=dausa,
            text=text,
            state="published",
            x_post_id=answer["data"]["id"],
            published_at=timezone.now(),
            created_by=world.editor,
        )
        return answer["data"]["id"]

    return make


def test_registering_a_handle_queues_its_check_at_once(client, world, sandbox, dausa):
    sandbox.create_user("Ram_Lal")
    path = task_links.task_path(world.employee.person)
    client.post(path + "handle/", {"handle": "@Ram_Lal", "consent": "on"})
    assert Job.objects.filter(name="advocacy.verify_handles").exists()
    run_queued()
    assert StaffHandle.objects.get(person=world.employee.person).status == "verified"
    assert 'id="handle-state" data-state="credited"' in client.get(path).content.decode()


def test_clicks_of_a_window_share_one_check_of_x(client, world, sandbox, dausa, xclient):
    people = make_staff(world, 5)
    fans(sandbox, 5, prefix="staff", follow="")
    fans(sandbox, 300)
    sync.verify_handles(world.dausa, client=xclient)
    sync.sync_followers(dausa, client=xclient, full=True)
    with time_machine.travel(NOON, tick=False) as clock:
        for person in people:
            client.get(task_links.task_path(person) + "follow/")
        checks = Job.objects.filter(name="advocacy.credit_check")
        assert checks.count() == 1  # one per district per window, not one per click
        check_at = checks.get().run_after
        assert timedelta(minutes=1) <= check_at - NOON <= timedelta(minutes=3)
        page = client.get(task_links.task_path(people[0])).content.decode()
        assert 'id="follow-state" data-state="waiting"' in page
        assert timezone.localtime(check_at).strftime("%H:%M") in page

        sandbox.call(
            "POST",
            "follows",
            json={"followee": "DmDausa", "followers": ["staff1", "staff2", "staff3"]},
        )
        sandbox.clear_requests()
        run_queued()
        assert x_calls(sandbox, r"/followers$") == []  # not due yet
        clock.move_to(check_at)
        run_queued()
        assert len(x_calls(sandbox, r"/followers$")) == 1
        assert set(StaffHandle.objects.following().values_list("handle", flat=True)) == {
            "staff1",
            "staff2",
            "staff3",
        }
        page = client.get(task_links.task_path(people[0])).content.decode()
        assert 'id="follow-state" data-state="credited"' in page
        assert "पहली बार देखा गया" in page
        # staff4 tapped but did not follow: after the check the task is to do again.
        page = client.get(task_links.task_path(people[3])).content.decode()
        assert 'id="follow-state" data-state="todo"' in page


def test_a_repost_click_checks_reposted_by_for_that_post_only(
    client, world, sandbox, dausa, xclient, publish_post
):
    people = make_staff(world, 2)
    fans(sandbox, 2, prefix="staff", follow="")
    sync.verify_handles(world.dausa, client=xclient)
    clicked, other = publish_post("हर घर जल"), publish_post("बिजली")
    client.get(task_links.task_path(people[0]) + f"repost/{clicked}/")
    assert client.get(task_links.task_path(people[0]) + "repost/12345/").status_code == 404
    sandbox.call("POST", "retweets", json={"tweet_id": clicked, "usernames": ["staff1"]})
    sandbox.clear_requests()
    with time_machine.travel(Job.objects.get(name="advocacy.credit_check").run_after):
        run_queued()
    assert [c["path"] for c in x_calls(sandbox, r"retweeted_by")] == [
        f"/2/tweets/{clicked}/retweeted_by"
    ]
    assert StaffRepost.objects.filter(x_post_id=clicked).count() == 1
    assert TaskClick.objects.get().x_post_id == clicked and other


def test_an_incremental_pass_reads_a_page_sized_to_the_new_followers(
    world, sandbox, dausa, xclient
):
    with time_machine.travel(NOON - timedelta(hours=3), tick=False) as clock:
        fans(sandbox, 3000)
        sync.sync_followers(dausa, client=xclient, full=True)
        for hour in (2, 1):  # two hourly passes, 12 new followers each
            clock.move_to(NOON - timedelta(hours=hour))
            fans(sandbox, 12, prefix=f"h{hour}")
            sync.sync_followers(dausa, client=xclient, full=False)
        clock.move_to(NOON)
        fans(sandbox, 12, prefix="now")
        LedgerEntry.objects.all().delete()
        sandbox.clear_requests()
        run = sync.sync_followers(dausa, client=xclient, full=False)
    calls = x_calls(sandbox, r"/followers$")
    assert len(calls) == 1 and run.added == 12
    size = int(calls[0]["query"].split("max_results=")[1].split("&")[0])
    assert 12 < size <= 40  # the dozen expected, with room, not a page of 1000
    assert run.seen == size


def test_the_full_pass_comes_at_a_campaigns_start_and_end_and_otherwise_weekly(world, dausa):
    from samvad.campaigns.jobs import full_follower_pass
    from samvad.campaigns.models import Campaign

    start = date(2026, 3, 10)
    Campaign.objects.create(
        district=world.dausa, name="अभियान", starts_on=start, ends_on=start + timedelta(days=14)
    )
    full_passes = Job.objects.filter(name="advocacy.sync_followers", args__full=True)

    def campaigns_ask_at(moment) -> bool:
        """Whether the campaigns' daily round at `moment` queued a full pass."""
        before = full_passes.count()
        with time_machine.travel(moment, tick=False):
            full_follower_pass(slot=moment.isoformat())
        return full_passes.count() > before

    at = timezone.make_aware(timezone.datetime(2026, 3, 5, 9))
    assert jobs.full_pass_due(dausa, now=at)  # never run
    FollowerSync.objects.create(account=dausa, kind="full", started=at, finished=at)
    assert not jobs.full_pass_due(dausa, now=at + timedelta(days=3))
    assert not campaigns_ask_at(at + timedelta(days=3))
    assert campaigns_ask_at(at + timedelta(days=5))  # the campaign starts
    assert jobs.full_pass_due(dausa, now=at + timedelta(days=7, hours=1))  # a week
    on_the_last_day = timezone.make_aware(timezone.datetime(2026, 3, 24, 9))
    FollowerSync.objects.create(
        account=dausa,
        kind="full",
        started=on_the_last_day - timedelta(days=1),
        finished=on_the_last_day,
    )
    assert campaigns_ask_at(on_the_last_day)
    FollowerSync.objects.create(account=dausa, kind="full", started=on_the_last_day)
    assert not campaigns_ask_at(on_the_last_day + timedelta(hours=1))  # one pass a day is enough


def test_the_admin_sees_the_full_pass_cost_before_starting_it(world, login, dausa):
    Follower.objects.bulk_create(
        Follower(account=dausa, x_user_id=str(i), since=timezone.now()) for i in range(1, 5001)
    )
    assert login(world.officer_a).get("/advocacy/full-check/").status_code == 403
    client = login(world.admin)
    page = client.get("/advocacy/full-check/").content.decode()
    assert "5,000" in page and "$50.00" in page  # 5,000 follower reads at $0.01
    client.post("/advocacy/full-check/")
    assert Job.objects.filter(name="advocacy.sync_followers", args__full=True).count() == 1
    client.post("/advocacy/full-check/")  # a second click the same day adds nothing
    assert Job.objects.filter(name="advocacy.sync_followers").count() == 1
