"""The demo's campaign lives its first days on the sandbox's world before the demo opens."""

from datetime import datetime, time, timedelta

from django.test import Client
from django.utils import timezone

from samvad.advocacy import jobs as advocacy_jobs
from samvad.advocacy.models import Follower, StaffHandle, StaffRepost
from samvad.advocacy.sync import first_pass_at
from samvad.campaigns.figures import IST
from samvad.campaigns.models import Campaign, CampaignDay, PostMetricDay
from samvad.content.models import Post
from samvad.demo.campaign import DAYS_BEHIND, POST_HOURS
from samvad.demo.dausa import connect_demo_accounts, seed_dausa, start_demo_campaign
from samvad.demo.models import Replay
from samvad.org.models import Department, OfficialAccount, Person, User


def test_the_demo_campaign_is_replayed_day_by_day_on_the_sandbox_world(db, xsandbox, tmp_path):
    seed_dausa(employees_per_department=3)
    xsandbox.call("POST", "world", json={"preset": "dausa"})
    before = xsandbox.store.now()

    connect_demo_accounts(str(tmp_path / "xsandbox"), xsandbox.base_url)
    start_demo_campaign(xsandbox.base_url)

    # The pages read how far the replay got: every day, and done.
    assert Replay.running() is None
    assert (Replay.objects.get().day, Replay.objects.get().days) == (DAYS_BEHIND, DAYS_BEHIND)
    campaign = Campaign.objects.get(district__code="dausa")
    today = timezone.localdate()
    assert campaign.starts_on == today - timedelta(days=DAYS_BEHIND)
    assert (campaign.ends_on - campaign.starts_on).days == 14
    days = list(CampaignDay.objects.filter(campaign=campaign).order_by("day"))
    assert [d.day for d in days][:DAYS_BEHIND] == [
        campaign.starts_on + timedelta(days=n) for n in range(DAYS_BEHIND)
    ]
    # The world's citizens followed day after day, and the posts of each day were measured.
    # The world's 3,000, less those whose follow is dated within the replayed days.
    assert 2800 <= campaign.baseline_followers < 3000
    assert sum(d.followers_gained for d in days) > 100
    assert all(d.posts == len(POST_HOURS) for d in days[:DAYS_BEHIND])
    assert days[DAYS_BEHIND - 1].followers > days[0].followers
    published = Post.objects.filter(state=Post.State.PUBLISHED, account__handle="DmDausa")
    assert published.count() == DAYS_BEHIND * len(POST_HOURS)
    assert PostMetricDay.objects.filter(reposts__gt=0).exists()
    # The sandbox's clock is back at the present and runs fast again for the live demo.
    clock = xsandbox.call("GET", "clock")
    assert clock["now"] >= before and clock["factor"] > 1

    # Staff followed and reposted day by day, and the replayed days' staff syncs saw it: both
    # grow on every day, with no jump on the day the demo opens.
    replayed = days[:DAYS_BEHIND]
    assert all(d.reposts > 0 for d in replayed), [d.reposts for d in replayed]
    following = [d.following for d in replayed]
    assert all(b > a for a, b in zip(following, following[1:], strict=False)), following

    # Every follower is dated when Samvad first saw them: at the first check (already following
    # then, labelled so) or on the evening of a replayed day, never today.
    account = OfficialAccount.objects.get(handle="DmDausa")
    first = first_pass_at(account)
    evenings = {datetime.combine(d.day, time(21), IST) for d in replayed}
    sinces = set(Follower.objects.filter(account=account).values_list("since", flat=True))
    assert first in sinces and sinces <= {first} | evenings
    admin = Client()
    admin.force_login(User.objects.get(username="adc"))
    for department in Department.objects.filter(district__code="dausa"):
        page = admin.get(f"/advocacy/departments/{department.pk}/").content.decode()
        following_cells = page.count('data-since="')
        assert (
            following_cells
            == StaffHandle.objects.following().filter(person__department=department).count()
        )
        assert following_cells == page.count('data-since="first-seen"') + page.count(
            'data-since="before-first-check"'
        )

    # Three in five staff registered a handle; the worker's own syncs keep finding them on X.
    handles = StaffHandle.objects.filter(district__code="dausa")
    assert (
        0.5
        < handles.count()
        / Person.objects.filter(district__code="dausa", department__isnull=False).count()
        < 0.7
    )
    slot = timezone.now().isoformat()
    advocacy_jobs.verify_new_handles(slot=slot)
    advocacy_jobs.followers_full(slot=slot)
    advocacy_jobs.reposts(slot=slot)
    assert handles.following().count() >= handles.count() * 0.8
    assert StaffRepost.objects.exists()

    # Run again (the demo restarted): nothing is replayed twice.
    connect_demo_accounts(str(tmp_path / "xsandbox"), xsandbox.base_url)
    start_demo_campaign(xsandbox.base_url)
    assert published.count() == DAYS_BEHIND * len(POST_HOURS)
