"""The demo's campaign: Dausa's "15 दिवसीय ट्विटर अभियान" with the directive's kind of targets.
Idempotent: run again, it finds the campaign by district and name and changes nothing."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samvad.campaigns.figures import IST
from samvad.campaigns.models import DEFAULT_DAYS, Campaign, DepartmentTarget
from samvad.org.models import OfficialAccount, User
from samvad.platforms.x.models import post_url

NAME = "15 दिवसीय ट्विटर अभियान"
TARGETS = {
    "target_followers": 1500,
    "target_posts": 60,
    "target_reposts": 600,
    "target_submissions": 5,
}
# Departments with more to tell are asked for more.
DEPARTMENT_SUBMISSIONS = {"phed": 8, "electricity": 8, "health": 8, "agriculture": 6}


@transaction.atomic
def seed_campaign(district, *, starts_on: date | None = None, by=None) -> Campaign:
    starts_on = starts_on or timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        district=district,
        name=NAME,
        defaults={
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=DEFAULT_DAYS - 1),
            "created_by": by,
            **TARGETS,
        },
    )
    if created:
        campaign.accounts.set(
            OfficialAccount.objects.filter(district=district, department__isnull=True)
        )
        for department in district.departments.filter(code__in=DEPARTMENT_SUBMISSIONS):
            DepartmentTarget.objects.get_or_create(
                campaign=campaign,
                department=department,
                defaults={"submissions": DEPARTMENT_SUBMISSIONS[department.code]},
            )
    return campaign


# The campaign's past days, replayed on the sandbox's accelerated world ---------------------------

DAYS_BEHIND = 10  # the demo opens on day 11 of 15, so the projection has something to say
POST_HOURS = (10, 13, 18)  # the DIPR posts three times a day
HISTORY = [
    ("phed", "scheme", "जल जीवन मिशन: {n} और गाँवों में हर घर नल से जल पहुँचा। #DausaJal"),
    (
        "electricity",
        "advisory",
        "बिजली कटौती की सूचना: कल सुबह 9 से 11 बजे तक वार्ड {n} में रखरखाव का काम होगा। #Dausa",
    ),
    ("health", "event", "मौसमी बीमारियों से बचाव के लिए {n} गाँवों में स्वास्थ्य शिविर लगाए गए। #स्वस्थ_दौसा"),
    (
        "agriculture",
        "scheme",
        "पीएम किसान: दौसा के {n} हज़ार किसानों के खातों में किस्त पहुँची। e-KYC अवश्य कराएँ। #Dausa",
    ),
    ("pwd", "achievement", "{n} किलोमीटर ग्रामीण सड़कों की मरम्मत पूरी हुई। #DausaVikas"),
    ("social-justice", "scheme", "सामाजिक सुरक्षा पेंशन: {n} नए लाभार्थियों की पेंशन स्वीकृत। #Dausa"),
]


def replay_history(campaign: Campaign, base_url: str, *, by, days: int = DAYS_BEHIND) -> bool:
    """Start the demo's campaign `days` days ago and live those days on the sandbox's world, a day
    at a time, with the same measurement and staff syncs the worker runs: the sandbox's clock is
    set to each moment, its citizens follow, repost and like in between, staff follow and repost
    a few at a time, and each evening the account, the posts and the staff are measured with
    that evening as `now`. Only for a campaign not yet measured.

    The posts of those days stand for what the DIPR published before the demo started: they are
    put on the sandbox directly and recorded as published, the way an import of past posts would
    be, not sent through the publisher (whose clock is the real one)."""
    import httpx

    from samvad.campaigns import measure, rollup
    from samvad.campaigns.models import AccountDay
    from samvad.demo.models import Replay

    if AccountDay.objects.filter(account__in=campaign.accounts.all()).exists():
        Replay.objects.filter(done=False).update(done=True)  # an interrupted replay stays partial
        return False
    Replay.objects.update_or_create(pk=1, defaults={"day": 1, "days": days, "done": False})
    today = timezone.localdate()
    starts_on = today - timedelta(days=days)
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=starts_on, ends_on=starts_on + timedelta(days=DEFAULT_DAYS - 1)
    )
    campaign.refresh_from_db()
    accounts = list(campaign.accounts.all())
    with httpx.Client(base_url=base_url, timeout=60) as sandbox:

        def at(day, hour):
            return datetime.combine(day, time(hour), IST)

        def clock(moment):
            sandbox.post("/_sandbox/clock", json={"set": moment.timestamp(), "factor": 1})

        start = at(starts_on, 9)
        # Every sandbox request first steps the world to the clock: so the clock goes back first.
        clock(start)
        sandbox.post("/_sandbox/world", json={"stepped_to": start.timestamp()})
        measure.snapshot_accounts(accounts, now=start)
        staff = _staff_register(campaign, sandbox, now=start)
        _staff_sync(campaign, now=start, first=True)
        for number in range(days):
            Replay.objects.filter(pk=1).update(day=number + 1)
            day = starts_on + timedelta(days=number)
            for slot, hour in enumerate(POST_HOURS):
                moment = at(day, hour)
                clock(moment)
                x_id = _past_post(campaign, sandbox, moment, number * len(POST_HOURS) + slot, by=by)
                _staff_act(campaign, sandbox, staff, number, days, x_id, slot)
            evening = at(day, 21)
            clock(evening)
            measure.snapshot_accounts(accounts, now=evening)
            measure.take_baseline(campaign)
            measure.sync_post_metrics(campaign, now=evening)
            _staff_sync(campaign, now=evening)
            rollup.rollup(campaign, today=day, now=evening)
        sandbox.post("/_sandbox/clock", json={"set": timezone.now().timestamp()})
    Replay.objects.filter(pk=1).update(done=True)
    return True


def _staff_register(campaign: Campaign, sandbox, *, now) -> dict:
    """Three in five of the district's staff registered their X handle as the campaign began.
    Returns {person: handle} of those who did."""
    from samvad.advocacy.models import StaffHandle
    from samvad.org.models import Person

    staff = list(
        Person.objects.filter(
            district=campaign.district, department__isnull=False, x_handle__isnull=True
        ).order_by("pk")
    )
    handles = {p: f"dausa_staff{p.pk}" for p in staff if p.pk % 5 < 3}
    if handles:
        sandbox.post("/_sandbox/users", json={"users": [{"username": h} for h in handles.values()]})
    StaffHandle.objects.bulk_create(
        [
            StaffHandle(
                person=p,
                district=campaign.district,
                handle=h,
                consent_at=now,
                created=now,
                on_leaderboard=p.pk % 3 == 0,
            )
            for p, h in handles.items()
        ]
    )
    return handles


def _staff_act(
    campaign: Campaign, sandbox, staff: dict, number: int, days: int, x_id, slot: int
) -> None:
    """Five in six of the registered staff follow the official account, a few more on each day
    replayed; about a third of those following by then repost each post."""
    official = campaign.accounts.first().handle
    followers = [h for p, h in staff.items() if p.pk % 6 != 0]
    if slot == 0 and (joining := followers[number::days]):
        sandbox.post("/_sandbox/follows", json={"followee": official, "followers": joining})
    following = [h for i, h in enumerate(followers) if i % days <= number]
    if reposting := following[slot % 3 :: 3]:
        sandbox.post("/_sandbox/retweets", json={"tweet_id": x_id, "usernames": reposting})


def _staff_sync(campaign: Campaign, *, now, first: bool = False) -> None:
    """What the worker's staff syncs do, as of `now`: handles checked, followers read (a full
    pass the first time), reposts of the last days' posts read, and the day's department record."""
    from samvad.advocacy import sync
    from samvad.advocacy.jobs import REPOST_WINDOW
    from samvad.advocacy.selectors import official_posts
    from samvad.platforms.x.client import XClient

    account = campaign.accounts.first()
    client = XClient(account)
    sync.verify_handles(campaign.district, client=client, now=now)
    sync.sync_followers(account, client=client, full=first, now=now)
    recent = [
        p.x_post_id
        for p in official_posts(campaign.district, since=now - REPOST_WINDOW)
        if p.published_at <= now
    ]
    sync.sync_reposts(account, recent, client=client, now=now)
    sync.snapshot_departments(campaign.district, day=timezone.localdate(now))


def campaign_x_posts(campaign: Campaign) -> list[str]:
    from samvad.content.models import Post

    return list(
        Post.objects.filter(account__in=campaign.accounts.all(), state="published")
        .order_by("published_at")
        .values_list("x_post_id", flat=True)
    )


def _past_post(campaign: Campaign, sandbox, moment: datetime, number: int, *, by) -> None:
    from samvad.content.models import Post, Submission

    code, kind, text = HISTORY[number % len(HISTORY)]
    department = campaign.district.departments.get(code=code)
    account = campaign.accounts.first()
    text = text.format(n=3 + number % 17)
    officer = User.objects.filter(roles__department=department).first() or by
    submission = Submission.objects.create(
        department=department,
        created_by=officer,
        kind=kind,
        title=text[:60],
        body=text,
        state=Submission.State.ACCEPTED,
        created=moment - timedelta(hours=3),
        updated=moment,
    )
    answer = sandbox.post(
        "/_sandbox/tweets",
        json={"username": account.handle, "text": text, "at": moment.timestamp()},
    ).json()["data"]
    post = Post(
        district=campaign.district,
        department=department,
        submission=submission,
        account=account,
        text=text,
        state=Post.State.PUBLISHED,
        approved_by=by,
        x_post_id=answer["id"],
        published_at=moment,
        scheduled_at=moment,
        x_url=post_url(account.handle, answer["id"]),
        created_by=by,
        created=moment - timedelta(hours=2),
    )
    post.save()
    post.content_hash = post.approved_hash = post.compute_hash()
    post.save(update_fields=["content_hash", "approved_hash"])
    return answer["id"]
