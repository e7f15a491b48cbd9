"""The campaign dashboard and the state view at state scale (issue 5): server time and queries.

A fresh database is filled by `samvad generate --scale state` (41 districts, 2,000 departments,
1,000,000 staff, 500,000 posts, a year of daily snapshots; its time, peak RSS and size are
recorded too), then Django's test Client asks, in this process, for
- every begun campaign's dashboard in turn, logged in as that district's admin (gen-<code>-admin),
- the state view, logged in as the state observer (gen-rajasthan-observer), sorted by each column
  in turn,
`requests` times each after one warm-up request (the cold figure), timing each request from the
Client's call to its answer (middleware, view, queries and template: the server's time, without a
network) and counting its SQL queries with CaptureQueriesContext. Each htmx poll (the scoreboard
alone, every 30 seconds) is measured the same way.

The baseline is the same figures computed from the raw tables on every request -- what the pages
would do without the rolled-up CampaignDay/DepartmentDay rows: for a dashboard, the campaign's days
and its departments counted from the posts, post-metric days, account days, reposts and staff
(rollup.campaign_days and department_days); for the state view, that for every district's
campaign. It is measured in the same run, on the same data, fewer times (it is slow).

`database` (a URL) measures an already generated database instead of making one (not dropped).
"""

import logging
import os
import statistics
import sys

from bench import harness

PARAMS = {"scale": "state", "seed": 1, "requests": 200, "baseline_requests": 10, "database": ""}
TARGETS = {
    "dashboard_p95_ms": ("<=", 150),
    "dashboard_queries": ("<=", 20),
    "state_p95_ms": ("<=", 150),
    "state_queries": ("<=", 20),
}
OBSERVER = "gen-rajasthan-observer"


def _generate(url: str, scale: str, seed: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    cmd = [sys.executable, "-m", "samvad", "generate", "--scale", scale, "--seed", str(seed)]
    measured = harness.run_measured(cmd, env)
    return {
        "generate_s": round(measured.seconds, 1),
        "generate_peak_rss_mb": round(measured.peak_rss / 2**20, 1),
        "db_size_mb": round(harness.database_size(url) / 2**20, 1),
        "generate_output": measured.output.strip().splitlines()[-6:],
    }


def _captured(func, *args, **kwargs) -> tuple[float, int, object]:
    """(milliseconds, queries, result) of one call."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # The query log keeps the last 9,000 queries only: once full, a capture would count none.
    reset_queries()
    with CaptureQueriesContext(connection) as queries, harness.timer() as t:
        result = func(*args, **kwargs)
    return t.seconds * 1000, len(queries), result


def _timed(client, path: str, **headers) -> tuple[float, int]:
    """(milliseconds, queries) of one request, which must answer 200."""
    ms, queries, response = _captured(client.get, path, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return ms, queries


def _summary(samples: list[tuple[float, int]]) -> dict:
    times = [ms for ms, _ in samples]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(harness.percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "queries": max(q for _, q in samples),
        "requests": len(samples),
    }


def _clients():
    """A logged-in Client per persona: each begun campaign's district admin, and the observer."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from samvad.campaigns.models import Campaign
    from samvad.org.models import User

    # force_login skips the password and the second step, as the tests' `login` does; without
    # this the unverified admin would be sent to set up two-step verification.
    settings.SAMVAD_MFA_REQUIRED_ROLES = []
    logging.getLogger("axes").setLevel(logging.WARNING)  # no line per force_login
    # No collectstatic here: static URLs without the manifest's hashes, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    campaigns = list(Campaign.objects.filter(starts_on__lte=timezone.localdate())
                     .select_related("district").order_by("district"))  # fmt: skip
    admins = []
    for campaign in campaigns:
        client = Client()
        client.force_login(User.objects.get(username=f"gen-{campaign.district.code}-admin"))
        admins.append((client, f"/campaigns/{campaign.pk}/"))
    observer = Client()
    observer.force_login(User.objects.get(username=OBSERVER))
    return campaigns, admins, observer


def _measure_pages(requests: int) -> dict:
    from samvad.campaigns import scoreboard

    campaigns, admins, observer = _clients()
    sorts = [f"{sign}{key}" for key in scoreboard.SORTS for sign in ("", "-")]
    cold = {"dashboard": _timed(*admins[0]), "state": _timed(observer, "/campaigns/state/")}
    dashboard, poll, state, state_poll = [], [], [], []
    for i in range(requests):
        client, path = admins[i % len(admins)]
        dashboard.append(_timed(client, path))
        poll.append(_timed(client, path, HTTP_HX_REQUEST="true"))
        sort = sorts[i % len(sorts)]
        state.append(_timed(observer, f"/campaigns/state/?sort={sort}"))
        state_poll.append(
            _timed(observer, f"/campaigns/state/?sort={sort}", HTTP_HX_REQUEST="true")
        )
    return {
        "campaigns": len(campaigns),
        "cold": cold,
        "dashboard": _summary(dashboard),
        "dashboard_poll": _summary(poll),
        "state": _summary(state),
        "state_poll": _summary(state_poll),
    }


def _raw_figures(campaign, now) -> None:
    """What a dashboard would count on each request without the rolled-up rows."""
    from samvad.campaigns import rollup

    today = min(now.date(), campaign.ends_on)
    rollup.campaign_days(campaign, today=today, now=now)
    rollup.department_days(campaign, day=today, now=now)


def _raw_state(campaigns, now) -> None:
    for campaign in campaigns:
        _raw_figures(campaign, now)


def _measure_baseline(requests: int) -> dict:
    from django.utils import timezone

    from samvad.campaigns.models import Campaign

    campaigns = list(Campaign.objects.filter(starts_on__lte=timezone.localdate())
                     .select_related("district").order_by("district"))  # fmt: skip
    now = timezone.localtime()
    dashboard = [_captured(_raw_figures, campaigns[i % len(campaigns)], now)[:2]
                 for i in range(requests + 1)]  # fmt: skip
    state = [_captured(_raw_state, campaigns, now)[:2]
             for _ in range(max(2, requests // 5) + 1)]  # fmt: skip
    # The first of each warmed the caches; it is not counted.
    return {"dashboard": _summary(dashboard[1:]), "state": _summary(state[1:])}


def _measure(url: str, params: dict) -> dict:
    harness.django_setup(url)
    return {
        "pages": _measure_pages(params["requests"]),
        "baseline": _measure_baseline(params["baseline_requests"]),
    }


def run(params: dict) -> dict:
    if params["database"]:
        generated = {"db_size_mb": round(harness.database_size(params["database"]) / 2**20, 1)}
        measured = _measure(params["database"], params)
    else:
        with harness.postgres_database("bench_dashboard") as url:
            generated = _generate(url, params["scale"], params["seed"])
            measured = _measure(url, params)
    pages, baseline = measured["pages"], measured["baseline"]
    return {
        "figures": {
            "dashboard_p50_ms": pages["dashboard"]["p50_ms"],
            "dashboard_p95_ms": pages["dashboard"]["p95_ms"],
            "dashboard_queries": pages["dashboard"]["queries"],
            "state_p50_ms": pages["state"]["p50_ms"],
            "state_p95_ms": pages["state"]["p95_ms"],
            "state_queries": pages["state"]["queries"],
            "dashboard_cold_ms": round(pages["cold"]["dashboard"][0], 1),
            "state_cold_ms": round(pages["cold"]["state"][0], 1),
            "dashboard_speedup_p50": round(
                baseline["dashboard"]["p50_ms"] / pages["dashboard"]["p50_ms"], 1
            ),
            "state_speedup_p50": round(baseline["state"]["p50_ms"] / pages["state"]["p50_ms"], 1),
            "campaigns": pages["campaigns"],
            "pages": {k: pages[k] for k in ("dashboard", "dashboard_poll", "state", "state_poll")},
            **generated,
        },
        "baseline": {
            "method": "the same figures counted from the raw tables on each request "
            "(rollup.campaign_days and department_days; for the state view, for every "
            "district's campaign), without rendering",
            "dashboard": baseline["dashboard"],
            "state": baseline["state"],
        },
        "notes": (
            "Server time is Django's test Client in this process, from the call to the answer "
            "(middleware, view, SQL, template), as the district admin (dashboards of every begun "
            "campaign in turn) and the state observer (every sort in turn); queries are the most "
            "any one request made. p50/p95 over `requests` requests after one cold request each. "
            "The database was made by `samvad generate` in the same run (generate_s, db_size_mb)."
        ),
    }
