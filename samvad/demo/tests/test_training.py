"""The demo's training: the System Analyst has trained the officers once and has two sessions to
come, one of them for every department, which every officer and employee can see."""

from django.utils import timezone

from samvad.demo.dausa import seed_dausa
from samvad.demo.training import seed_training
from samvad.home.queues import home_context
from samvad.org.models import Person, Role, User
from samvad.training.access import visible_sessions
from samvad.training.checklist import checklists_for
from samvad.training.models import Attendance, Session


def test_the_system_analyst_trained_the_officers_and_has_two_sessions_to_come(db):
    seed_dausa(employees_per_department=2)

    assert seed_training() == 3

    analyst = User.objects.get(username="sysanalyst")
    now = timezone.now()
    [held] = Session.objects.filter(starts_at__lt=now)
    assert {s.trainer.user for s in Session.objects.all()} == {analyst}
    # Twelve of the thirteen officers came; the labour officer did not, nor did any staff.
    officers = Person.objects.filter(user__username__startswith="officer-")
    trained = [c.person.user.username for c in checklists_for(officers) if c.step("trained").done]
    assert len(trained) == 12 and "officer-labour" not in trained
    assert set(Attendance.objects.values_list("session", flat=True)) == {held.pk}
    assert home_context(analyst, Role.DISTRICT_ADMIN)["training_count"] == 2

    # The session for every department names none, and every officer and employee sees it.
    [everyone] = Session.objects.filter(invited_departments__isnull=True)
    for username in ("officer-labour", "officer-pwd", "employee"):
        assert visible_sessions(User.objects.get(username=username)).filter(pk=everyone.pk)


def test_it_creates_no_session_twice(db):
    seed_dausa(employees_per_department=0)
    seed_training()

    assert seed_training() == 0
    assert Session.objects.count() == 3
