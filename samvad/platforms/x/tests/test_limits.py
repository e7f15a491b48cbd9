"""X's two kinds of 429 (Acceptance 5): the usage cap stops every call for the account until an
admin clears it; a rate limit is waited out until X's reset, with no request before it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from samvad.conftest import x_requests
from samvad.org.access import admin_districts
from samvad.platforms.x.client import CreditsExhausted, RateLimited, XClient
from samvad.platforms.x.models import Connection


def test_usage_cap_stops_every_further_call_for_the_account(connected, sandbox, login, world):
    x = XClient(connected.account)
    sandbox.fault(kind="usage_cap", count=1)
    with pytest.raises(CreditsExhausted) as caught:
        x.create_post("पहली पोस्ट")
    assert caught.value.permanent
    connected.refresh_from_db()
    assert connected.usage_capped_at is not None
    assert "Usage cap exceeded" in connected.problem
    sandbox.clear_requests()
    for call in (lambda: x.me(), lambda: x.create_post("दूसरी पोस्ट")):
        with pytest.raises(CreditsExhausted):
            call()
    assert x_requests(sandbox) == []


def test_usage_cap_shows_an_alert_until_an_admin_clears_it(connected, sandbox, login, world):
    sandbox.fault(kind="usage_cap", count=1)
    with pytest.raises(CreditsExhausted):
        XClient(connected.account).me()
    assert "x-alert" not in login(world.alwar_admin).get(reverse("home")).content.decode()
    assert "x-alert" not in login(world.editor).get(reverse("home")).content.decode()
    client = login(world.admin)
    home = client.get(reverse("home")).content.decode()
    assert "x-alert" in home and "@DmDausa" in home
    assert "x-alert" in client.get(reverse("x:ledger")).content.decode()
    assert client.post(reverse("x:clear_cap", args=[connected.account.pk])).status_code == 302
    assert "x-alert" not in client.get(reverse("home")).content.decode()
    assert XClient(connected.account).me().username == "DmDausa"


def test_another_district_admin_cannot_clear_the_alert(connected, login, world):
    Connection.objects.filter(pk=connected.pk).update(usage_capped_at=datetime.now(UTC))
    response = login(world.alwar_admin).post(reverse("x:clear_cap", args=[connected.account.pk]))
    assert response.status_code == 404
    connected.refresh_from_db()
    assert connected.usage_capped_at is not None


def test_a_rate_limit_is_waited_out_until_xs_reset(connected, sandbox):
    x = XClient(connected.account)
    start = datetime.now(UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        sandbox.fault(kind="rate_limit", count=1, path="/2/users/me")
        with pytest.raises(RateLimited) as caught:
            x.me()
        reset_at = caught.value.reset_at
        assert reset_at > start and not caught.value.permanent
        refused_at = x_requests(sandbox, status=429)[-1]["id"]
        clock.shift(60)
        with pytest.raises(RateLimited):
            x.me()
        clock.move_to(reset_at + timedelta(seconds=1))
        assert x.me().username == "DmDausa"
    after = [r for r in x_requests(sandbox, path="/2/users/me") if r["id"] > refused_at]
    assert len(after) == 1
    assert after[0]["time"] >= reset_at.timestamp()


@pytest.mark.parametrize("state", ["connected", "needs_reconnect", "capped"])
def test_the_alerts_written_out_are_alerting_in_the_admins_districts(connected, world, state):
    from django.utils import timezone

    from samvad.platforms.x.templatetags.x_alerts import alerting

    if state == "needs_reconnect":
        connected.status = Connection.Status.NEEDS_RECONNECT
    if state == "capped":
        connected.usage_capped_at = timezone.now()
    connected.save()
    for user in (world.admin, world.alwar_admin, world.editor):
        orm = Connection.objects.alerting().filter(account__district__in=admin_districts(user))
        expected = [{"account": str(c.account), "capped": bool(c.usage_capped_at)} for c in orm]
        assert alerting(user) == expected
    assert (alerting(world.admin) != []) == (state != "connected")
