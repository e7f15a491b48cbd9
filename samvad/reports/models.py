"""Who receives a district's daily report, and which reports went out."""

from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.org.models import District, Role, User


class Recipient(models.Model):
    """A person who receives the district's daily report by email (the Collector, the ADC, ...)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"), max_length=8, default="hi", choices=[("hi", "हिन्दी"), ("en", "English")]
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["district", "email"], name="report_recipient_unique")
        ]

    def __str__(self) -> str:
        return self.email

    @classmethod
    @transaction.atomic
    def replace(cls, district, emails: list[tuple[str, str]], *, by) -> None:
        """The district's recipients become exactly these (email, language) pairs."""
        current = cls.objects.filter(district=district)
        before = sorted(current.values_list("email", "language"))
        current.delete()
        cls.objects.bulk_create(
            [cls(district=district, email=email, language=language) for email, language in emails]
        )
        audit.record(
            actor=by,
            action="report.recipients",
            obj=district,
            district=district,
            before={"recipients": [list(pair) for pair in before]},
            after={"recipients": sorted(list(pair) for pair in emails)},
        )


class SentReport(models.Model):
    """A daily report emailed: the scheduled run sends each campaign's day once."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    scheduled = models.BooleanField(default=True)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["campaign", "day"], name="sent_report_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


def recipients_fill_defaults(district) -> int:
    """Add the people who must read the daily report: the district's admins and DIPR editors, and
    the state's observers, each in their own language. Someone already listed keeps their entry;
    anyone can be removed afterwards on the recipients page. Returns how many were added."""
    people = (
        User.objects.filter(
            models.Q(roles__role__in=[Role.DISTRICT_ADMIN, Role.EDITOR], roles__district=district)
            | models.Q(roles__role=Role.STATE_OBSERVER, roles__state=district.state_id),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
    listed = set(Recipient.objects.filter(district=district).values_list("email", flat=True))
    added = [
        Recipient(district=district, email=user.email.lower(), language=user.language or "hi")
        for user in people
        if user.email.lower() not in listed
    ]
    Recipient.objects.bulk_create(added, ignore_conflicts=True)
    return len(added)


@receiver(post_save, sender="campaigns.Campaign")
def _recipients_for_a_new_campaign(sender, instance, created, raw=False, **kwargs):
    """The 18:00 report must reach someone from a campaign's first day. A signal, because reports
    builds on campaigns and not the other way round."""
    if created and not raw:
        recipients_fill_defaults(instance.district)
