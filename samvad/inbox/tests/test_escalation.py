"""Acceptance 2: an overdue ticket is escalated at its deadline (time frozen), once; and the
figures that the inbox page and the campaign's reports show."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samvad.audit.models import AuditEvent
from samvad.inbox.jobs import follow_up
from samvad.inbox.models import Ticket
from samvad.inbox.selectors import answered_on_time, response_times
from samvad.inbox.services import escalate_overdue, ticket_approve_reply, ticket_draft_reply
from samvad.inbox.tests.conftest import citizen_posts, fetch, publish_and_follow_up
from samvad.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(dm, sandbox):
    citizen_posts(sandbox, "@DmDausa bijli nahi hai")
    citizen_posts(sandbox, "@DmDausa पानी नहीं आया")
    return fetch(dm)


def test_an_overdue_ticket_is_escalated_at_its_deadline_once(tickets, world, login):
    power, water = tickets
    with time_machine.travel(power.deadline - timedelta(seconds=1), tick=False):
        assert escalate_overdue() == []
    for ticket in (power, water):
        with time_machine.travel(ticket.deadline, tick=False):
            follow_up(slot=timezone.now().isoformat())
            assert Ticket.objects.get(escalated_at=timezone.now()) == ticket
    with time_machine.travel(water.deadline + timedelta(hours=1), tick=False):
        assert escalate_overdue() == []  # once only
    assert AuditEvent.objects.filter(action="ticket.escalate").count() == 2
    # The district admin is told, in the app and by e-mail; the inbox shows it.
    assert Notification.objects.filter(user=world.admin).count() == 2
    assert {m.to[0] for m in mail.outbox} == {world.admin.email}
    page = login(world.admin).get(reverse("inbox:inbox"), {"show": "escalated"})
    assert page.context["tickets"].paginator.count == 2


def test_an_answered_ticket_is_not_escalated(tickets, world):
    power, water = tickets
    ticket_draft_reply(ticket=power, by=world.officer_b, text="बिजली शाम तक आ जाएगी")
    ticket_approve_reply(ticket=power, by=world.editor)
    publish_and_follow_up()
    with time_machine.travel(power.deadline + timedelta(minutes=1), tick=False):
        assert [t.pk for t in escalate_overdue()] == [water.pk]


def test_figures_count_answers_on_time_and_the_response_times(tickets, world):
    power, water = tickets
    start = timezone.now() - timedelta(hours=1)
    with time_machine.travel(power.created + timedelta(hours=2)):
        ticket_draft_reply(ticket=power, by=world.officer_b, text="बिजली शाम तक आ जाएगी")
    with time_machine.travel(power.created + timedelta(hours=3)):
        ticket_approve_reply(ticket=power, by=world.editor)
        publish_and_follow_up()
    end = timezone.now() + timedelta(hours=4)
    assert answered_on_time(world.dausa, start=start, end=end) == (1, 2)
    rows = {row.department: row for row in response_times(world.dausa, end=end)}
    assert rows[world.power].first_response_hours == 2.0
    assert rows[world.power].resolution_hours == pytest.approx(3.0, abs=0.1)
    assert rows[world.power].on_time == 1
    assert rows[world.water].open == 1 and rows[world.water].first_response_hours is None
    # The campaign's daily report reads the same figure through its seam.
    from samvad.campaigns.figures import questions_answered_on_time

    assert questions_answered_on_time(world.dausa, start, end) == (1, 2)


def test_no_action_tickets_are_not_questions(tickets, world):
    power, water = tickets
    water.close(by=world.editor, no_action=True)
    start, end = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)
    assert answered_on_time(world.dausa, start=start, end=end) == (0, 1)
    assert answered_on_time(world.alwar, start=start, end=end) == (0, 0)


def test_the_campaign_dashboard_can_show_the_inbox_figures(tickets, world):
    from datetime import date

    from django.template import Context, Template

    from samvad.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        district=world.dausa,
        name="अभियान",
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=13),
        created_by=world.admin,
    )
    html = Template("{% load inbox %}{% inbox_response_times campaign %}").render(
        Context({"campaign": campaign})
    )
    assert world.power.name in html and world.water.name in html
    only = Template("{% load inbox %}{% inbox_response_times campaign departments %}").render(
        Context({"campaign": campaign, "departments": [world.water]})
    )
    assert world.water.name in only and world.power.name not in only
