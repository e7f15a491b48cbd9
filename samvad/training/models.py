"""Training sessions and who attended them. Attendance is the one onboarding fact that a person
marks by hand; every other step of the checklist is read from data (see checklist.py)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.org.models import Department, District, Person, Role, User

# Roles a session can invite; the state observer is not trained by a district.
INVITABLE_ROLES = [Role.OFFICER, Role.EMPLOYEE, Role.EDITOR, Role.DISTRICT_ADMIN]


class Session(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="sessions_given", verbose_name=_("trainer")
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    invited_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("invited departments")
    )
    invited_roles = models.JSONField(_("invited roles"), default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.topic

    def invitees(self):
        """The people a session invites: those of the chosen departments (all of the district's
        when none is chosen) who hold one of the chosen roles (any role when none is chosen)."""
        people = Person.objects.filter(district=self.district)
        departments = list(self.invited_departments.all())
        if departments:
            people = people.filter(department__in=departments)
        if self.invited_roles:
            held = Q(user__roles__role__in=self.invited_roles)
            if Role.EMPLOYEE in self.invited_roles:
                # Staff brought in from a department's list have no login yet: they are employees.
                held |= Q(user__isnull=True)
            people = people.filter(id__in=Person.objects.filter(held).values("id"))
        return people

    def invited_role_labels(self) -> list[str]:
        return [Role(r).label for r in self.invited_roles if r in Role.values]

    @transaction.atomic
    def mark_present(self, people, *, by) -> int:
        """Mark people as present (adding to whoever is already marked); returns how many are new.
        People of another district are never marked."""
        already = set(self.attendances.values_list("person_id", flat=True))
        new = [
            Attendance(session=self, person=p, marked_by=by)
            for p in people
            if p.id not in already and p.district_id == self.district_id
        ]
        Attendance.objects.bulk_create(new, ignore_conflicts=True)
        return len(new)

    @transaction.atomic
    def set_attendance(self, people, *, by) -> tuple[int, int]:
        """Make exactly these people the attendees; returns (added, removed)."""
        wanted = {p.id for p in people}
        removed, _ = self.attendances.exclude(person_id__in=wanted).delete()
        return self.mark_present(people, by=by), removed


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    marked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once"),
            models.CheckConstraint(
                name="attendance_rating_1_to_5",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"
