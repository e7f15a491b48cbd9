"""The demo's campaign: Dausa's "15 दिवसीय ट्विटर अभियान" with the directive's kind of targets.
Idempotent: run again, it finds the campaign by district and name and changes nothing."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samvad.campaigns.figures import IST
from samvad.campaigns.models import DEFAULT_DAYS, Campaign, DepartmentTarget
from samvad.org.models import OfficialAccount, User
from samvad.reports.models import recipients_fill_defaults

NAME = "15 दिवसीय ट्विटर अभियान"
TARGETS = {"target_followers": 1500, "target_posts": 60, "target_reposts": 600,
           "target_submissions": 5}
# Departments with more to tell are asked for more.
DEPARTMENT_SUBMISSIONS = {"phed": 8, "electricity": 8, "health": 8, "agriculture": 6}


@transaction.atomic
def seed_campaign(district, *, starts_on: date | None = None, by=None) -> Campaign:
    starts_on = starts_on or timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        district=district, name=NAME,
        defaults={"starts_on": starts_on, "ends_on": starts_on + timedelta(days=DEFAULT_DAYS - 1),
                  "created_by": by, **TARGETS},
    )
    if created:
        campaign.accounts.set(OfficialAccount.objects.filter(district=district,
                                                             department__isnull=True))
        for department in district.departments.filter(code__in=DEPARTMENT_SUBMISSIONS):
            DepartmentTarget.objects.get_or_create(
                campaign=campaign, department=department,
                defaults={"submissions": DEPARTMENT_SUBMISSIONS[department.code]})
        recipients_fill_defaults(district)  # as campaign_save does for a campaign made on screen
    return campaign


# The campaign's past days, replayed on the sandbox's accelerated world ---------------------------

DAYS_BEHIND = 10  # the demo opens on day 11 of 15, so the projection has something to say
POST_HOURS = (10, 13, 18)  # the DIPR posts three times a day
HISTORY = [
    ("phed", "scheme", "जल जीवन मिशन: {n} और गाँवों में हर घर नल से जल पहुँचा। #DausaJal"),
    ("electricity", "advisory", "बिजली कटौती की सूचना: कल सुबह 9 से 11 बजे तक वार्ड {n} में "
                                "रखरखाव का काम होगा। #Dausa"),
    ("health", "event", "मौसमी बीमारियों से बचाव के लिए {n} गाँवों में स्वास्थ्य शिविर लगाए गए। "
                        "#स्वस्थ_दौसा"),
    ("agriculture", "scheme", "पीएम किसान: दौसा के {n} हज़ार किसानों के खातों में किस्त पहुँची। "
                              "e-KYC अवश्य कराएँ। #Dausa"),
    ("pwd", "achievement", "{n} किलोमीटर ग्रामीण सड़कों की मरम्मत पूरी हुई। #DausaVikas"),
    ("social-justice", "scheme", "सामाजिक सुरक्षा पेंशन: {n} नए लाभार्थियों की पेंशन स्वीकृत। "
                                 "#Dausa"),
]


def replay_history(campaign: Campaign, base_url: str, *, by, days: int = DAYS_BEHIND) -> bool:
    """Start the demo's campaign `days` days ago and live those days on the sandbox's world, a day
    at a time, with the same measurement code the worker runs every 15 minutes: the sandbox's
    clock is set to each moment, its citizens follow, repost and like in between, and the
    official account is measured at the end of each day. Only for a campaign not yet measured.

    The posts of those days stand for what the DIPR published before the demo started: they are
    put on the sandbox directly and recorded as published, the way an import of past posts would
    be, not sent through the publisher (whose clock is the real one)."""
    import httpx

    from samvad.campaigns import measure, rollup
    from samvad.campaigns.models import AccountDay

    if AccountDay.objects.filter(account__in=campaign.accounts.all()).exists():
        return False
    today = timezone.localdate()
    starts_on = today - timedelta(days=days)
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=starts_on, ends_on=starts_on + timedelta(days=DEFAULT_DAYS - 1))
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
        for number in range(days):
            day = starts_on + timedelta(days=number)
            for slot, hour in enumerate(POST_HOURS):
                moment = at(day, hour)
                clock(moment)
                _past_post(campaign, sandbox, moment, number * len(POST_HOURS) + slot, by=by)
            evening = at(day, 21)
            clock(evening)
            measure.snapshot_accounts(accounts, now=evening)
            measure.take_baseline(campaign)
            measure.sync_post_metrics(campaign, now=evening)
            rollup.rollup(campaign, today=day, now=evening)
        sandbox.post("/_sandbox/clock", json={"set": timezone.now().timestamp()})
        _staff_join(campaign, sandbox)
    return True


def _staff_join(campaign: Campaign, sandbox) -> None:
    """Three in five of the district's staff have registered their X handle; most of those follow
    the official account and some reposted its latest posts. The worker's own syncs (verify
    handles, followers, reposted-by) find this on the sandbox once the demo runs, so the
    staff figures fill in live."""
    from samvad.advocacy.models import StaffHandle
    from samvad.org.models import Person

    staff = list(Person.objects.filter(district=campaign.district, department__isnull=False,
                                       x_handle__isnull=True).order_by("pk"))
    joined = [p for p in staff if p.pk % 5 < 3]
    if not joined:
        return
    handles = {p: f"dausa_staff{p.pk}" for p in joined}
    sandbox.post("/_sandbox/users", json={"users": [{"username": h} for h in handles.values()]})
    official = campaign.accounts.first().handle
    sandbox.post("/_sandbox/follows", json={
        "followee": official, "followers": [h for p, h in handles.items() if p.pk % 10 != 0]})
    latest = campaign_x_posts(campaign)[-3:]
    for x_id in latest:
        sandbox.post("/_sandbox/retweets", json={
            "tweet_id": x_id, "usernames": [h for p, h in handles.items() if p.pk % 2 == 0]})
    now = timezone.now()
    StaffHandle.objects.bulk_create([
        StaffHandle(person=p, district=campaign.district, handle=h, consent_at=now,
                    on_leaderboard=p.pk % 3 == 0)
        for p, h in handles.items()])


def campaign_x_posts(campaign: Campaign) -> list[str]:
    from samvad.content.models import Post

    return list(Post.objects.filter(account__in=campaign.accounts.all(), state="published")
                .order_by("published_at").values_list("x_post_id", flat=True))


def _past_post(campaign: Campaign, sandbox, moment: datetime, number: int, *, by) -> None:
    from samvad.content.models import Post, Submission

    code, kind, text = HISTORY[number % len(HISTORY)]
    department = campaign.district.departments.get(code=code)
    account = campaign.accounts.first()
    text = text.format(n=3 + number % 17)
    officer = User.objects.filter(roles__department=department).first() or by
    submission = Submission.objects.create(
        department=department, created_by=officer, kind=kind, title=text[:60], body=text,
        state=Submission.State.ACCEPTED, created=moment - timedelta(hours=3), updated=moment)
    answer = sandbox.post("/_sandbox/tweets", json={
        "username": account.handle, "text": text, "at": moment.timestamp()}).json()["data"]
    post = Post(district=campaign.district, department=department, submission=submission,
                account=account, text=text, state=Post.State.PUBLISHED, approved_by=by,
                x_post_id=answer["id"], published_at=moment, scheduled_at=moment,
                x_url=f"https://x.com/{account.handle}/status/{answer['id']}",
                created_by=by, created=moment - timedelta(hours=2))
    post.save()
    post.content_hash = post.approved_hash = post.compute_hash()
    post.save(update_fields=["content_hash", "approved_hash"])
