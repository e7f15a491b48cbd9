from datetime import datetime
from zoneinfo import ZoneInfo

from samvad.org.models import Person
from samvad.training.models import Session

IST = ZoneInfo("Asia/Kolkata")


def make_session(world, *, trainer=None, departments=(), roles=("officer",), **fields) -> Session:
    trainer = trainer or Person.objects.create(
        district=world.dausa, name="प्रशिक्षक", designation="सिस्टम एनालिस्ट", employee_code="T-1"
    )
    session = Session.objects.create(
        district=fields.pop("district", world.dausa),
        topic=fields.pop("topic", "X पर अकाउंट और फ़ॉलो"),
        trainer=trainer,
        starts_at=fields.pop("starts_at", datetime(2025, 1, 10, 11, 0, tzinfo=IST)),
        place=fields.pop("place", "कलक्ट्रेट सभागार"),
        invited_roles=list(roles),
        **fields,
    )
    session.invited_departments.set(departments)
    return session
