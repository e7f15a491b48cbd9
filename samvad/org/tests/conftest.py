"""One object of each kind that a URL can name, all belonging to Dausa (district A) and its water
department (department A): what the access matrix and the hostile-input sweep request."""

import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from PIL import Image

IST = ZoneInfo("Asia/Kolkata")


def jpeg_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def district_a(world, media_root):
    """Dausa's connected account, submissions (one with a photo), post, blackout, campaign,
    staff import, training session, invitation and an employee's task link."""
    from samvad.advocacy.models import StaffImport
    from samvad.advocacy.task_links import task_token
    from samvad.campaigns.models import Campaign
    from samvad.content.models import Blackout, Media, Post, Submission
    from samvad.org.models import Invitation, OfficialAccount, Role
    from samvad.platforms.x.models import Connection
    from samvad.training.tests.helpers import make_session

    account = OfficialAccount.objects.get(handle="DmDausa")
    submission = Submission.objects.create(
        department=world.water,
        created_by=world.officer_a,
        kind=Submission.Kind.SCHEME,
        title="हर घर जल",
        body="हर घर को नल से जल",
        details={"scheme_name": "हर घर जल"},
    )
    # A second one, returned for changes: the only state in which its officer may edit it.
    returned = Submission.objects.create(
        department=world.water,
        created_by=world.officer_a,
        kind=Submission.Kind.MEETING,
        title="समीक्षा बैठक",
        state=Submission.State.CHANGES_REQUESTED,
        details={"chair": "जिला कलक्टर", "meeting_date": "2025-01-02", "decisions": "-"},
    )
    Connection.objects.create(account=account, status=Connection.Status.CONNECTED)
    media = Media.objects.create(
        district=world.dausa,
        submission=submission,
        uploaded_by=world.officer_a,
        file=ContentFile(jpeg_bytes(), name="photo.jpg"),
        sha256="0" * 64,
        content_type="image/jpeg",
        size=100,
        width=64,
        height=48,
        alt_text="नल",
    )
    post = Post.create_thread(
        by=world.editor,
        district=world.dausa,
        texts=["एक पोस्ट"],
        account=account,
        department=world.water,  # not made of `submission`, which would accept it
    )
    blackout = Blackout.objects.create(
        district=world.dausa,
        starts_at=datetime(2030, 1, 1, tzinfo=IST),
        ends_at=datetime(2030, 1, 2, tzinfo=IST),
        reason="आचार संहिता",
        created_by=world.admin,
    )
    campaign = Campaign.objects.create(
        district=world.dausa,
        name="15 दिवसीय ट्विटर अभियान",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 1, 15),
        created_by=world.admin,
    )
    campaign.accounts.set([account])
    staff_import = StaffImport.objects.create(
        district=world.dausa,
        department=world.water,
        uploaded_by=world.officer_a,
        filename="staff.xlsx",
        content=b"",
        status=StaffImport.Status.CHECKED,
    )
    _, invitation_token = Invitation.issue(
        email="new@example.gov.in",
        name="नया अधिकारी",
        role=Role.OFFICER,
        district=world.dausa,
        department=world.water,
        invited_by=world.admin,
    )
    return SimpleNamespace(
        **_inbox_objects(world, account),
        account=account,
        submission=submission,
        returned=returned,
        media=media,
        post=post,
        blackout=blackout,
        campaign=campaign,
        staff_import=staff_import,
        invitation_token=invitation_token,
        session=make_session(world, departments=[world.water]),
        person=world.employee.person,
        task_token=task_token(world.employee.person),
    )


def _inbox_objects(world, account) -> dict:
    """A ticket routed to water, a routing rule, a fact-check case with a document (issue 7)."""
    from django.apps import apps
    from django.utils import timezone

    if not apps.is_installed("samvad.inbox"):
        return {}
    from samvad.inbox.models import Evidence, FactCheck, Mention, RoutingRule, Ticket

    mention = Mention.objects.create(
        district=world.dausa,
        account=account,
        x_post_id="9001",
        author_x_user_id="42",
        text="@DmDausa हमारे गाँव में पानी नहीं",
    )
    ticket = Ticket.objects.create(
        district=world.dausa,
        mention=mention,
        department=world.water,
        route=Ticket.Route.KEYWORD,
        deadline=timezone.now() + timedelta(hours=24),
    )
    case = FactCheck.objects.create(
        district=world.dausa, claim="योजना बंद हो गई", department=world.water, opened_by=world.editor
    )
    evidence = Evidence.objects.create(
        case=case,
        kind=Evidence.Kind.DOCUMENT,
        added_by=world.editor,
        document=ContentFile(b"%PDF-1.4\n", name="statement.pdf"),
    )
    rule = RoutingRule.objects.create(
        district=world.dausa, department=world.water, keywords="पानी, pani, water"
    )
    return {"ticket": ticket, "fact_check": case, "evidence": evidence, "rule": rule}


@pytest.fixture
def objects(world, district_a):
    """The personas and district A's objects under one name, for URLs that name either."""
    return SimpleNamespace(**vars(world), **vars(district_a))
