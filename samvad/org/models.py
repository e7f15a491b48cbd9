"""The organisation: state → district → department → person, who may do what, and the official
X accounts the district runs; and the caps on free text that every app's models share."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# How long the free text people type may be, in every app: one cap per kind of text (a post's
# text is platforms.x.text.MAX_TEXT_LENGTH). Forms check a field's max_length first, with a
# translated message; length_cap() puts the same number in the database, which refuses more
# whatever path the text took: a form, the API, a service or the shell (issue 16, build item 10).
MAX_BODY_LENGTH = 10_000  # a description, a department's statement
MAX_COMMENT_LENGTH = 2_000  # a reviewer's comment or reason, a claim, a list of keywords


def length_cap(model: str, field: str, length: int) -> models.CheckConstraint:
    """A TextField's max_length as a constraint (a CharField's is its column's size)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), length), name=f"{model}_{field}_length_capped"
    )


class Bilingual(models.Model):
    """A name kept in Hindi and English; `name` answers in the active language."""

    name_hi = models.CharField(_("name in Hindi"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return getattr(self, self.name_field())

    @staticmethod
    def name_field() -> str:
        """The column `name` reads in the active language, for queries that read names alone."""
        return "name_en" if translation.get_language() == "en" else "name_hi"


class User(AbstractUser):
    language = models.CharField(_("language"), max_length=8, default="hi")


class State(Bilingual):
    code = models.SlugField(unique=True)


class District(Bilingual):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    code = models.SlugField(unique=True)

    class Meta:
        ordering = ["name_en"]

    def admins(self):
        """The district's active admins: whom the district's work tells when it needs a person
        (an overdue ticket, an X account to reconnect)."""
        return User.objects.filter(
            roles__role=Role.DISTRICT_ADMIN, roles__district=self, is_active=True
        ).distinct()


class Department(Bilingual):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="departments")
    code = models.SlugField()
    head_designation_hi = models.CharField(_("head's designation (Hindi)"), max_length=200)
    head_designation_en = models.CharField(_("head's designation (English)"), max_length=200)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="department_code_unique")
        ]

    @property
    def head_designation(self) -> str:
        if translation.get_language() == "en":
            return self.head_designation_en
        return self.head_designation_hi


class Person(models.Model):
    """An officer or employee. Only what features need is kept; email and mobile are optional."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="people")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name = models.CharField(_("name"), max_length=200)
    designation = models.CharField(_("designation"), max_length=200)
    employee_code = models.CharField(_("employee code"), max_length=40)
    email = models.EmailField(_("email"), blank=True)
    mobile = models.CharField(_("mobile"), max_length=15, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "employee_code"], name="person_employee_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STATE_OBSERVER = "state_observer", _("State observer (CM-SDC)")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    EDITOR = "editor", _("DIPR editor")
    OFFICER = "officer", _("Department officer")
    EMPLOYEE = "employee", _("Employee")


class RoleAssignment(models.Model):
    """A role held within a scope: the state for observers, a district for admins and editors, a
    department for officers and employees."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "state", "district", "department"],
                name="role_assignment_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                name="role_assignment_scoped",
                condition=(
                    models.Q(role="state_observer", state__isnull=False)
                    | models.Q(role__in=["district_admin", "editor"], district__isnull=False)
                    | models.Q(
                        role__in=["officer", "employee"],
                        district__isnull=False,
                        department__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class OfficialAccount(models.Model):
    """An X account the administration runs: the district's (such as @DmDausa) or a department's."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="accounts")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    handle = models.CharField(_("X handle"), max_length=15, unique=True)
    x_user_id = models.CharField(max_length=32, blank=True)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("owner")
    )

    class Meta:
        ordering = ["department_id", "handle"]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def is_district_account(self) -> bool:
        return self.department_id is None


def district_account(district) -> OfficialAccount | None:
    """The district's own account (such as @DmDausa): the one that belongs to no department."""
    own = OfficialAccount.objects.filter(district=district, department__isnull=True)
    return own.order_by("pk").first()  # the oldest, should a second one ever be added


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, expires__gt=timezone.now())

    def by_token(self, token: str):
        return self.open().filter(token_hash=_token_hash(token)).first()


class Invitation(models.Model):
    """An invitation to join with a role. Only a hash of the link's token is stored."""

    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)
    designation = models.CharField(_("designation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    VALID_FOR = timedelta(days=7)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @classmethod
    def issue(cls, **fields) -> tuple["Invitation", str]:
        """Create an invitation and return it with the token for its link (shown once)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            token_hash=_token_hash(token), expires=timezone.now() + cls.VALID_FOR, **fields
        )
        return invitation, token

    @transaction.atomic
    def accept(self, *, username: str, password: str, language: str) -> User:
        """The invited person's account, person record and role; the link works once."""
        user = User.objects.create_user(username, self.email, password, language=language)
        # The link may complete a record from the department's own staff list that has no
        # account yet; it never renames, moves or re-links anyone else's (they get a record of
        # their own).
        person = Person.objects.filter(
            district=self.district,
            department=self.department,
            email__iexact=self.email,
            user__isnull=True,
        ).first()
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        else:
            Person.objects.create(
                user=user,
                district=self.district,
                department=self.department,
                email=self.email,
                name=self.name,
                designation=self.designation,
                employee_code=f"INV-{self.pk}",
            )
        RoleAssignment.objects.create(
            user=user, role=self.role, district=self.district, department=self.department
        )
        self.accepted_at = timezone.now()
        self.save(update_fields=["accepted_at"])
        return user
