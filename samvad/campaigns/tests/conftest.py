"""Campaign tests: the personas of samvad/conftest.py, the X sandbox over loopback, and a few
builders for published posts and measured days."""

from datetime import datetime, time
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from cryptography.fernet import Fernet

from samvad.campaigns.figures import IST
from samvad.campaigns.models import AccountDay, Campaign
from samvad.org.models import OfficialAccount
from samvad.platforms.x import transport
from samvad.xsandbox.testing import check_response, xsandbox  # noqa: F401 (the fixture)

CLIENT_ID = "samvad-test"


@pytest.fixture
def sandbox(xsandbox, settings, monkeypatch):  # noqa: F811
    settings.SAMVAD_X_API_BASE_URL = xsandbox.base_url
    settings.SAMVAD_X_AUTHORIZE_URL = xsandbox.base_url + "/i/oauth2/authorize"
    settings.SAMVAD_X_CLIENT_ID = CLIENT_ID
    settings.SAMVAD_X_CLIENT_SECRET = ""
    settings.SAMVAD_TOKEN_KEYS = [Fernet.generate_key().decode()]
    checked = httpx.Client(timeout=transport.TIMEOUT, event_hooks={"response": [check_response]})
    monkeypatch.setattr(transport, "HTTP", checked)
    yield xsandbox
    checked.close()


@pytest.fixture
def connected(sandbox, world):
    """@DmDausa connected through the OAuth 2.0 flow, as the district admin would."""
    from samvad.platforms.x import oauth
    from samvad.platforms.x.connect import connect_oauth2

    verifier, redirect_uri = "v" * 50, "http://testserver/x/callback/"
    sandbox.create_user("DmDausa")
    form = {"client_id": CLIENT_ID, "redirect_uri": redirect_uri, "scope": oauth.SCOPES,
            "state": "s", "code_challenge": oauth.challenge(verifier),
            "code_challenge_method": "S256", "username": "DmDausa", "decision": "allow"}
    answer = sandbox.control.post("/i/oauth2/authorize", data=form)
    code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
    account = OfficialAccount.objects.get(handle="DmDausa")
    connect_oauth2(account, code=code, verifier=verifier, redirect_uri=redirect_uri,
                   by=world.admin)
    account.refresh_from_db()
    return account


def at(day, hour=10) -> datetime:
    return datetime.combine(day, time(hour), IST)


@pytest.fixture
def make_campaign(world):
    def make(district=None, *, starts_on, days=15, **targets):
        district = district or world.dausa
        campaign = Campaign.objects.create(
            district=district, name="15 दिवसीय ट्विटर अभियान", starts_on=starts_on,
            ends_on=starts_on.fromordinal(starts_on.toordinal() + days - 1), **targets)
        campaign.accounts.set(OfficialAccount.objects.filter(district=district,
                                                             department__isnull=True))
        return campaign

    return make


@pytest.fixture
def publish(world):
    """publish(x_id, when, department=None): a published post of the district's account."""
    from samvad.content.models import Post

    def make(x_id, when, *, department=None, district=None, text="हर घर जल"):
        district = district or world.dausa
        account = OfficialAccount.objects.get(district=district, department__isnull=True)
        return Post.objects.create(
            district=district, department=department, account=account, text=text,
            state="published", x_post_id=str(x_id), published_at=when, created_by=world.admin)

    return make


def measured(account, day, followers):
    AccountDay.objects.update_or_create(account=account, day=day, defaults={
        "district_id": account.district_id, "followers": followers})
