"""What X bills a district for a 15-day campaign, against the contract's minimum for the same
events, on the local sandbox (served from a thread of this process), with both clocks moved by
time-machine: nothing sleeps, and a bench day is a UTC day, the day X bills by.

The district: `followers` followers known before the campaign (a full pass read them), `posts_a_day`
posts at 10:00, 13:00 and 18:00 IST, `new_a_day` new followers a day spread over the hours of an
Indian day (few at night), every post's metrics measured every hour (the worker measures every 15
minutes; X bills a post once a UTC day either way). Two strategies live the same events, each with
its own account and district on the sandbox:

- today's strategy: the hourly incremental follower read with pages sized to the followers
  expected, stopping at the first page holding a known follower; a full pass only at the campaign's
  start and end (the weekly one falls due on neither day here);
- the baseline, the sync strategy before issue 15: an incremental read every 15 minutes in pages of
  1000 that goes on while a page holds anyone new, and a full pass every day.

The contract minimum, from the run's own events: each new follower read once, each post created
once, each post's metrics read once a UTC day. The two full passes (unfollows can be seen no other
way) are reported beside it, not hidden in it. Prices are X's owned-read prices (the district's
own app reading its own account), as `SAMVAD_X_PRICES` has them.

A second phase runs the real worker loop at real speed: `credits` staff tap their follow link and
follow on the sandbox a few seconds apart, and the seconds until Samvad shows each follow credited
are measured.

    python -m bench.runner cost
    python -m bench.runner cost -p followers=5000 -p credits=3     # quicker
"""

import statistics
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench import harness

PARAMS = {"followers": 50_000, "staff": 400, "days": 15, "posts_a_day": 3, "new_a_day": 400,
          "credits": 5, "credit_timeout_s": 600}  # fmt: skip
TARGETS = {"ratio_to_minimum": ("<=", 1.2), "max_routine_day_usd": ("<=", 2.0),
           "median_follow_to_credit_s": ("<=", 300)}  # fmt: skip
POST_HOURS = (10, 13, 18)
START = datetime(2026, 3, 1, tzinfo=UTC)  # 05:30 IST on the campaign's first day
IST = timedelta(hours=5, minutes=30)


def _district(box, code: str):
    from samvad.org.models import District, OfficialAccount
    from samvad.org.models import State as OrgState
    from samvad.platforms.x.models import Connection
    from samvad.publishing.tests.crash import connect

    state = OrgState.objects.get_or_create(
        code="rajasthan", defaults={"name_hi": "राजस्थान", "name_en": "Rajasthan"}
    )[0]
    district = District.objects.create(state=state, code=code, name_hi=code, name_en=code)
    account = OfficialAccount.objects.create(district=district, handle=f"Dm{code.title()}")
    connect(box, account)
    Connection.objects.filter(account=account).update(owns_app=True)
    return account


def _hourly_arrivals(new_a_day: int) -> list[int]:
    """New followers in each hour of an IST day: few at night, most in the day and evening."""
    weights = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6, 5, 5, 5, 6, 7, 7, 6, 4, 2, 1]
    total = sum(weights)
    counts = [new_a_day * w // total for w in weights]
    counts[12] += new_a_day - sum(counts)
    return counts


def _old_incremental(account, client, now) -> None:
    """The strategy before issue 15: pages of 1000, on while a page holds anyone new."""
    from samvad.advocacy import sync
    from samvad.advocacy.models import FollowerSync
    from samvad.platforms.x.client import pages

    run = FollowerSync.objects.create(account=account, kind="incremental", started=now)
    for page in pages(client.followers, account.x_user_id, max_results=1000):
        before = run.added
        sync._add_new(account, [u.id for u in page.items], run, now=now)
        if run.added == before:
            break
    run.finished = now
    run.save()


def _ledger(account) -> dict:
    """The account's X spend by UTC day, and by endpoint over the run."""
    from django.db.models import Sum
    from django.db.models.functions import TruncDate

    from samvad.platforms.x.models import LedgerEntry

    rows = LedgerEntry.objects.filter(account=account)
    by_day = (
        rows.annotate(day=TruncDate("at", tzinfo=UTC))
        .values("day")
        .annotate(usd=Sum("cost"))
        .order_by("day")
    )
    by_endpoint = rows.values("endpoint").annotate(usd=Sum("cost")).order_by("endpoint")
    return {
        "by_day": {str(r["day"]): float(r["usd"]) for r in by_day},
        "by_endpoint": {r["endpoint"]: round(float(r["usd"]), 4) for r in by_endpoint},
    }


class Strategy:
    """One district living the campaign's events with one follower-sync strategy."""

    def __init__(self, name: str, box, params: dict):
        from samvad.advocacy import sync
        from samvad.campaigns.models import Campaign
        from samvad.platforms.x.client import XClient

        self.name, self.box = name, box
        self.account = _district(box, name)
        self.client = XClient(self.account)
        self.full_passes, self.full_usd = 0, Decimal(0)
        self.full_by_day = defaultdict(Decimal)
        self.new_followers(params["followers"], f"{name[0]}fan")
        self.campaign = Campaign.objects.create(
            district=self.account.district,
            name="15 दिवसीय ट्विटर अभियान",
            starts_on=(START + IST).date(),
            ends_on=(START + IST).date() + timedelta(days=params["days"] - 1),
        )
        self.campaign.accounts.set([self.account])
        # Samvad knew the followers before the campaign; that reading is not counted.
        sync.sync_followers(self.account, client=self.client, full=True)

    def new_followers(self, count: int, prefix: str) -> None:
        self.box.call(
            "POST",
            "users",
            json={"count": count, "prefix": prefix, "follow": self.account.handle},
        )

    def post(self, text: str, moment: datetime) -> None:
        _record_post(self.account, self.client.create_post(text), moment)

    def full_pass(self, moment: datetime) -> None:
        from samvad.advocacy import sync

        before = _spent(self.account)
        sync.sync_followers(self.account, client=self.client, full=True)
        cost = _spent(self.account) - before
        self.full_usd += cost
        self.full_by_day[str(moment.date())] += cost
        self.full_passes += 1

    def hour(self, clock, moment: datetime, *, first: bool, last: bool) -> None:
        """The hour's follower reads: today's strategy or the baseline's."""
        from django.utils import timezone

        from samvad.advocacy import sync

        if self.name == "today":
            clock.move_to(moment + timedelta(minutes=20))
            if first or last:  # the campaign's first and last day
                self.full_pass(moment)
            else:
                sync.sync_followers(self.account, client=self.client, full=False)
            return
        for quarter in range(4):
            clock.move_to(moment + timedelta(minutes=15 * quarter))
            _old_incremental(self.account, self.client, timezone.now())
        if moment.hour == 23:  # the daily full pass, still inside the UTC day
            clock.move_to(moment + timedelta(minutes=48))
            self.full_pass(moment)

    def measure(self, clock, moment: datetime) -> None:
        from samvad.campaigns.measure import sync_post_metrics

        clock.move_to(moment + timedelta(minutes=55))
        sync_post_metrics(self.campaign)

    def result(self) -> dict:
        ledger = _ledger(self.account)
        total = sum(ledger["by_day"].values())
        return {
            "by_day_usd": {d: round(v, 4) for d, v in ledger["by_day"].items()},
            "by_endpoint_usd": ledger["by_endpoint"],
            "total_usd": round(total, 4),
            "full_passes": self.full_passes,
            "full_passes_usd": round(float(self.full_usd), 4),
            "routine_usd": round(total - float(self.full_usd), 4),
            "routine_by_day_usd": {
                d: round(v - float(self.full_by_day.get(d, 0)), 4)
                for d, v in ledger["by_day"].items()
            },
        }


def _campaign(params: dict, base: str) -> dict:
    """Both strategies over the same days and events; returns their ledgers and the minimum.
    A bench day is a UTC day, as X bills: every call of a day's hours falls inside it."""
    import time_machine
    from django.conf import settings

    from samvad.platforms.x.ledger import price
    from samvad.platforms.x.models import BilledResource, LedgerEntry
    from samvad.xsandbox.server import Running
    from samvad.xsandbox.testing import Sandbox

    arrivals = _hourly_arrivals(params["new_a_day"])
    with time_machine.travel(START - timedelta(days=1), tick=False) as clock:
        box = Sandbox(Running(Path(base) / "campaign"))
        box.control = box.client(timeout=900)  # 50,000 followers are made in one request
        settings.SAMVAD_X_API_BASE_URL = box.base_url
        strategies = [Strategy(name, box, params) for name in ("today", "baseline")]
        LedgerEntry.objects.all().delete()
        BilledResource.objects.all().delete()

        events = {"new_followers": 0, "posts": 0, "metric_reads": 0}
        minimum_by_day = {}
        for day in range(params["days"]):
            before = dict(events)
            for hour in range(24):
                moment = START + timedelta(days=day, hours=hour)
                ist_hour = (moment + IST).hour
                clock.move_to(moment)
                if count := arrivals[ist_hour]:
                    for s in strategies:
                        s.new_followers(count, f"{s.name[0]}{day}_{hour}_")
                    events["new_followers"] += count
                if ist_hour in POST_HOURS[: params["posts_a_day"]]:
                    clock.move_to(moment + timedelta(minutes=10))
                    for s in strategies:
                        s.post(f"दिन {day + 1}, {ist_hour} बजे: जिला प्रशासन की सूचना", moment)
                    events["posts"] += 1
                for s in strategies:
                    first, last = day == hour == 0, day == params["days"] - 1 and hour == 23
                    s.hour(clock, moment, first=first, last=last)
                    s.measure(clock, moment)
            events["metric_reads"] += events["posts"]  # each post's metrics once this UTC day
            today = {k: events[k] - before[k] for k in events}
            minimum_by_day[str((START + timedelta(days=day)).date())] = float(_minimum(today))
        box.control.close()
        box.running.stop()
    for s in strategies:  # their X is gone: the credit phase's worker must not call it
        s.account.x_connection.forget_tokens(status="disconnected")

    standard = events["new_followers"] * (price("follow_read") - price("owned_read"))
    return {
        "events": events,
        "minimum_usd": float(_minimum(events)),
        "minimum_by_day_usd": minimum_by_day,
        "minimum_standard_usd": float(_minimum(events) + standard),
        **{s.name: s.result() for s in strategies},
    }


def _minimum(events: dict) -> Decimal:
    """The contract's minimum for these events: each new follower read once (owned read), each
    post created once, each post's metrics read once a UTC day."""
    from samvad.platforms.x.ledger import price

    return (
        events["new_followers"] * price("owned_read")
        + events["posts"] * price("post_create")
        + events["metric_reads"] * price("post_read")
    )


def _spent(account) -> Decimal:
    from samvad.platforms.x.models import LedgerEntry

    return LedgerEntry.objects.filter(account=account).spend()


def _record_post(account, post, moment) -> None:
    """The post just created on X, recorded as published (the campaign measures it)."""
    from samvad.content.models import Post
    from samvad.org.models import User

    editor = User.objects.get_or_create(username=f"editor-{account.district.code}")[0]
    Post.objects.create(
        district=account.district,
        account=account,
        text=post.text,
        state="published",
        x_post_id=post.id,
        published_at=moment,
        created_by=editor,
    )


def _credit_latency(params: dict, base: str) -> list[float]:
    """Real speed: the worker loop runs in a thread; staff tap, follow, and are credited."""
    from django.conf import settings

    from samvad.advocacy import task_links
    from samvad.advocacy.models import StaffHandle
    from samvad.jobs.worker import loop
    from samvad.org.models import Department, Person
    from samvad.xsandbox.server import Running
    from samvad.xsandbox.testing import Sandbox

    box = Sandbox(Running(Path(base) / "credit"))
    settings.SAMVAD_X_API_BASE_URL = box.base_url
    account = _district(box, "credit")
    box.call("POST", "users", json={"count": 2000, "prefix": "fan", "follow": account.handle})
    department = Department.objects.create(
        district=account.district, code="phed", name_hi="जलदाय", name_en="Water"
    )
    people = []
    for i in range(params["staff"]):
        person = Person.objects.create(
            district=account.district,
            department=department,
            name=f"कार्मिक {i}",
            designation="लिपिक",
            employee_code=f"C{i}",
        )
        StaffHandle.objects.create(person=person, district=account.district, handle=f"staff{i}")
        people.append(person)
    box.call("POST", "users", json={"count": params["staff"], "prefix": "staff", "start": 0})
    from samvad.advocacy import sync
    from samvad.platforms.x.client import XClient

    sync.verify_handles(account.district, client=XClient(account))
    sync.sync_followers(account, client=XClient(account), full=True)

    stop = threading.Event()
    worker = threading.Thread(target=loop, kwargs={"stop": stop, "poll": 1.0}, daemon=True)
    worker.start()
    followed = {}
    try:
        for person in people[: params["credits"]]:
            task_links.task_click_record(person, kind="follow")
            box.call(
                "POST",
                "follows",
                json={"followee": account.handle, "follower": person.x_handle.handle},
            )
            followed[person.pk] = time.time()
            time.sleep(7)  # staff follow a few seconds apart
        credited = {}
        deadline = time.time() + params["credit_timeout_s"]
        while len(credited) < len(followed) and time.time() < deadline:
            for pk in (
                StaffHandle.objects.filter(person__in=followed)
                .following()
                .values_list("person_id", flat=True)
            ):
                credited.setdefault(pk, time.time())
            time.sleep(1)
    finally:
        stop.set()
        worker.join(timeout=60)
        box.control.close()
        box.running.stop()
    return [credited[pk] - at for pk, at in followed.items() if pk in credited]


def run(params: dict) -> dict:
    import os

    # The bench measures what the strategies cost; no budget may stop them part-way.
    os.environ["SAMVAD_X_DAILY_BUDGET_INR"] = "100000000"
    with harness.postgres_database("bench_cost") as url, tempfile.TemporaryDirectory() as base:
        harness.django_setup(url)
        cpu = time.process_time()
        with harness.timer() as campaign_t:
            found = _campaign(params, base)
        cpu = time.process_time() - cpu  # this process's, the sandbox's thread with it
        latencies = _credit_latency(params, base)

    today, baseline = found["today"], found["baseline"]
    figures = {
        "days": params["days"],
        "followers_before": params["followers"],
        "events": found["events"],
        "spend_by_day_usd": today["by_day_usd"],
        "minimum_by_day_usd": found["minimum_by_day_usd"],
        "spend_by_endpoint_usd": today["by_endpoint_usd"],
        "total_usd": today["total_usd"],
        "full_passes": today["full_passes"],
        "full_passes_usd": today["full_passes_usd"],
        "routine_usd": today["routine_usd"],
        "minimum_usd": round(found["minimum_usd"], 4),
        "minimum_standard_price_usd": round(found["minimum_standard_usd"], 4),
        "ratio_to_minimum": round(today["routine_usd"] / found["minimum_usd"], 3),
        "ratio_to_minimum_with_full_passes": round(today["total_usd"] / found["minimum_usd"], 2),
        "routine_by_day_usd": today["routine_by_day_usd"],
        "max_routine_day_usd": max(today["routine_by_day_usd"].values()),
        "median_follow_to_credit_s": round(statistics.median(latencies), 1) if latencies else None,
        "follow_to_credit_s": [round(s, 1) for s in latencies],
        "credited": f"{len(latencies)}/{params['credits']}",
        "campaign_simulation_s": round(campaign_t.seconds, 1),
        "campaign_simulation_cpu_s": round(cpu, 1),
    }
    return {
        "figures": figures,
        "baseline": {
            "method": "incremental every 15 minutes in pages of 1000 while a page holds anyone "
            "new, and a full pass every day",
            "spend_by_day_usd": baseline["by_day_usd"],
            "spend_by_endpoint_usd": baseline["by_endpoint_usd"],
            "total_usd": baseline["total_usd"],
            "full_passes_usd": baseline["full_passes_usd"],
            "ratio_to_minimum": round(baseline["total_usd"] / found["minimum_usd"], 2),
        },
        "notes": "Owned-read prices. Days are UTC days, as X bills. routine_by_day_usd is each "
        "day's spend less the full passes made that day (start and end). Handle "
        "checks and reposted-by reads are not in the contract minimum and not simulated "
        "here.",
    }
