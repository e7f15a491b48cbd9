"""The demo's training sessions. The directive has the officers trained, and the demo's System
Analyst (`sysanalyst`, DoIT&C) is the one who trains: on the campaign's second day the thirteen
departments' officers (one of them absent), tomorrow every department's staff, and in three days
the three departments citizens write to most. The trainer's home counts the two to come.

Idempotent: each session is found by its district and topic, and its times are set only when it is
created, so a later start of the demo keeps what a visitor changed."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samvad.campaigns.figures import IST
from samvad.demo.campaign import DAYS_BEHIND
from samvad.demo.dausa import DIRECTIVE_DEPARTMENTS
from samvad.org.models import Department, Person, Role
from samvad.training.models import Session

TRAINER = "sysanalyst"
PLACE = "कलक्ट्रेट सभागार, दौसा"
EVERY_DEPARTMENT = ()  # a session that names no department invites all of the district's
ABSENT = "labour"  # the department whose officer missed the first session

# (topic, days from today, hour in IST, invited departments, invited roles)
SESSIONS = [
    ("ट्विटर (X) के उपयोग पर प्रशिक्षण: अकाउंट, हैंडल और @DmDausa को फ़ॉलो करना",
     -(DAYS_BEHIND - 1), 11, tuple(d.code for d in DIRECTIVE_DEPARTMENTS), [Role.OFFICER]),
    ("हर कर्मचारी के लिए: आधिकारिक पोस्ट रीपोस्ट करना और अफ़वाह पहचानना",
     1, 11, EVERY_DEPARTMENT, [Role.OFFICER, Role.EMPLOYEE]),
    ("नागरिकों के प्रश्नों के उत्तर: इनबॉक्स, समय-सीमा और तथ्य जाँच",
     3, 15, ("phed", "electricity", "health"), [Role.OFFICER]),
]  # fmt: skip


@transaction.atomic
def seed_training() -> int:
    """Create Dausa's demo sessions, with who attended those already held. Returns how many
    sessions this run created."""
    trainer = Person.objects.select_related("district", "user").get(user__username=TRAINER)
    today, created = timezone.localdate(), 0
    for topic, days, hour, departments, roles in SESSIONS:
        starts_at = datetime.combine(today + timedelta(days=days), time(hour), IST)
        session, new = Session.objects.get_or_create(
            district=trainer.district,
            topic=topic,
            defaults={"trainer": trainer, "starts_at": starts_at, "place": PLACE,
                      "invited_roles": roles, "created_by": trainer.user},
        )  # fmt: skip
        if not new:
            continue
        created += 1
        session.invited_departments.set(
            Department.objects.filter(district=trainer.district, code__in=departments)
        )
        if starts_at < timezone.now():
            present = session.invitees().exclude(department__code=ABSENT)
            session.mark_present(present, by=trainer.user)
    return created
