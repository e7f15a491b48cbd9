"""Who sees which training session and whose attendance: the pages look every object up through
these scopes, so anything outside them answers 404."""

from django.db.models import Q

from samvad.org import access
from samvad.org.models import Department, Role
from samvad.training.models import Attendance, Session


def managed_sessions(user):
    """Sessions a user may create, edit and mark attendance for: a district admin's own."""
    return Session.objects.filter(district__in=access.admin_districts(user))


def visible_sessions(user):
    """An admin sees the district's sessions; an officer those that invited or trained their
    department; an employee those that invited their department or that they attended."""
    departments = access.officer_departments(user) | {
        a.department_id for a in access.assignments(user) if a.role == Role.EMPLOYEE
    }
    own = Q(attendances__person__user=user) if user.is_authenticated else Q(pk__in=[])
    # A session that names no department invites every department of its district.
    their_districts = Department.objects.filter(id__in=departments).values("district")
    ids = Session.objects.filter(
        Q(district__in=access.admin_districts(user))
        | Q(invited_departments__in=departments)
        | Q(invited_departments__isnull=True, district__in=their_districts)
        | Q(attendances__person__department__in=access.officer_departments(user))
        | own
    ).values("id")
    # A subquery rather than distinct(), so that callers may still order and annotate.
    return Session.objects.filter(id__in=ids)


def visible_attendances(user):
    """The attendance rows a user may see: all of an admin's district, an officer's own
    department, and one's own."""
    own = Q(person__user=user) if user.is_authenticated else Q(pk__in=[])
    return Attendance.objects.filter(
        Q(session__district__in=access.admin_districts(user))
        | Q(person__department__in=access.officer_departments(user))
        | own
    )
