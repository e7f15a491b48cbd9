"""Citizens' mentions of the official accounts, the tickets they become, the routing rules that
give each ticket its department, and the fact-check desk's cases.

Every state change is a method here that writes an audit row (samvad/audit). A reply to a
citizen is an ordinary content Post that answers the mention's X id: it is approved by the DIPR
editor and published by the one exactly-once publisher, like every other post.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.content.models import Post
from samvad.inbox import routing
from samvad.org.models import (
    MAX_BODY_LENGTH,
    MAX_COMMENT_LENGTH,
    Department,
    District,
    OfficialAccount,
    length_cap,
)
from samvad.platforms.x.models import post_url


class InboxSettings(models.Model):
    """A district's service level and whether its fact checks have a public page."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="+")
    reply_hours = models.PositiveIntegerField(
        _("answer within (hours)"),
        default=24,
        help_text=_("The deadline of a ticket whose department has no service level of its own."),
    )
    public_fact_checks = models.BooleanField(_("public page of fact checks"), default=False)

    def __str__(self) -> str:
        return str(self.district)

    @classmethod
    def of(cls, district) -> "InboxSettings":
        """The district's settings, or the defaults (unsaved) until its admin first saves them: a
        fetch of mentions only reads them."""
        return cls.objects.filter(district=district).first() or cls(district=district)

    def snapshot(self) -> dict:
        return {"reply_hours": self.reply_hours, "public_fact_checks": self.public_fact_checks}


class RoutingRule(models.Model):
    """A department's keywords, in Hindi, English and romanised Hindi, and its service level."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    department = models.OneToOneField(
        Department,
        on_delete=models.CASCADE,
        related_name="routing_rule",
        verbose_name=_("department"),
    )
    keywords = models.TextField(
        _("keywords"),
        help_text=_(
            "Words in Hindi, English or romanised Hindi, separated by "
            "commas: बिजली, bijli, electricity."
        ),
        max_length=MAX_COMMENT_LENGTH,
    )
    reply_hours = models.PositiveIntegerField(_("answer within (hours)"), null=True, blank=True)

    class Meta:
        ordering = ["department__name_en"]
        constraints = [length_cap("routingrule", "keywords", MAX_COMMENT_LENGTH)]

    def __str__(self) -> str:
        return str(self.department)

    def keyword_list(self) -> list[str]:
        return routing.parse_keywords(self.keywords)

    def snapshot(self) -> dict:
        return {
            "department": self.department_id,
            "keywords": self.keywords,
            "reply_hours": self.reply_hours,
        }


class MentionCursor(models.Model):
    """Where the last fetch of an account's mentions stopped (X's since_id), and whether X's reach
    of 800 mentions may have left a gap before it."""

    account = models.OneToOneField(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    newest_id = models.CharField(max_length=32, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # Mentions posted between these two moments may never have reached Samvad.
    gap_from = models.DateTimeField(null=True, blank=True)
    gap_to = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.account} > {self.newest_id}"


class Mention(models.Model):
    """A post that mentions one of the district's official accounts, as X showed it."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="+")
    # The X ids' columns keep their old names for a release: the previous release reads them
    # (docs/deploy.md, upgrading).
    x_post_id = models.CharField(max_length=32, db_column="x_id")
    author_x_user_id = models.CharField(max_length=32, db_column="author_x_id")
    author_username = models.CharField(max_length=15, blank=True)
    author_name = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    posted_at = models.DateTimeField(null=True, blank=True)
    conversation_id = models.CharField(max_length=32, blank=True)
    in_reply_to_x_post_id = models.CharField(
        max_length=32, blank=True, db_column="in_reply_to_x_id"
    )
    # The posts it replies to or quotes, as X expanded them: [{id, type, username, text}].
    context = models.JSONField(default=list)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Length("x_post_id").desc(), "-x_post_id"]  # newest first: ids are numbers
        constraints = [
            # The same post may mention two of the district's accounts: it is one mention.
            models.UniqueConstraint(
                fields=["district", "x_post_id"], name="mention_once_per_district"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def x_url(self) -> str:
        return post_url(self.author_username or "i", self.x_post_id)


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Ticket.OPEN)

    def overdue(self, now=None):
        return self.open().filter(deadline__lte=now or timezone.now())

    def to_escalate(self, now=None):
        return self.overdue(now).filter(escalated_at__isnull=True)

    def triage(self):
        return self.filter(department__isnull=True)

    def newest_first_overdue_on_top(self, now=None):
        """The inbox's order: overdue tickets pinned on top (the most overdue first), then the
        newest first, so that a new mention is never at the end of page 2."""
        overdue = Q(status__in=Ticket.OPEN, deadline__lte=now or timezone.now())
        return self.annotate(
            pinned=Case(When(overdue, then=Value(0)), default=Value(1)),
            pinned_deadline=Case(When(overdue, then=F("deadline"))),
        ).order_by("pinned", "pinned_deadline", "-created", "-id")


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        NO_ACTION = "no_action", _("No action needed")

    class Route(models.TextChoices):
        KEYWORD = "keyword", _("keyword")
        CONVERSATION = "conversation", _("same conversation as an earlier ticket")
        ACCOUNT = "account", _("the department's own account was mentioned")
        MANUAL = "manual", _("assigned by hand")
        TRIAGE = "triage", _("no rule matched: DIPR triage")

    OPEN = (Status.NEW, Status.IN_PROGRESS)

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    mention = models.OneToOneField(Mention, on_delete=models.PROTECT, related_name="ticket")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )  # none: waiting in DIPR triage
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.TRIAGE)
    matched_keyword = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    deadline = models.DateTimeField()
    created = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)  # the department's first draft
    resolved_at = models.DateTimeField(null=True, blank=True)  # answered on X, closed or no action
    escalated_at = models.DateTimeField(null=True, blank=True)
    reply = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["district", "status", "deadline"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.mention.text[:50]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline <= timezone.now()

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "department": self.department_id,
            "route": self.route,
            "deadline": self.deadline,
            "reply": self.reply_id,
            "escalated_at": self.escalated_at,
        }

    def _change(self, *, by, action: str, **fields) -> None:
        before = self.snapshot()
        for name, value in fields.items():
            setattr(self, name, value)
        self.save()
        audit.record(actor=by, action=action, obj=self, before=before, after=self.snapshot())

    def assign(self, department, *, by) -> None:
        """Manual reassignment: the deadline follows the new department's service level, counted
        from when the mention arrived (the citizen has been waiting since)."""
        self._change(
            by=by,
            action="ticket.assign",
            department=department,
            route=self.Route.MANUAL,
            matched_keyword="",
            deadline=self.created + service_level(self.district, department),
        )

    def start(self, *, by) -> None:
        """The department's first draft: the first response."""
        fields = {"status": self.Status.IN_PROGRESS}
        if self.first_response_at is None:
            fields["first_response_at"] = timezone.now()
        self._change(by=by, action="ticket.draft", **fields)

    def set_reply(self, post: Post, *, by) -> None:
        self._change(by=by, action="ticket.reply", reply=post)

    def mark_answered(self, *, at) -> None:
        """The approved reply is on X (the publisher published it)."""
        self._change(
            by=None,
            action="ticket.answered",
            status=self.Status.ANSWERED,
            resolved_at=self.resolved_at or at,
        )

    def close(self, *, by, no_action: bool = False) -> None:
        status = self.Status.NO_ACTION if no_action else self.Status.CLOSED
        self._change(
            by=by,
            action="ticket.no_action" if no_action else "ticket.close",
            status=status,
            resolved_at=self.resolved_at or timezone.now(),
        )

    def reopen(self, *, by) -> None:
        """Back to work; a reply already on X stays in the history, a new one is needed."""
        reply = None if self.reply and self.reply.state == Post.State.PUBLISHED else self.reply
        self._change(
            by=by,
            action="ticket.reopen",
            resolved_at=None,
            reply=reply,
            status=self.Status.IN_PROGRESS if reply else self.Status.NEW,
        )

    def escalate(self, now=None) -> bool:
        """Escalate once, at the deadline: only if still open, overdue and not yet escalated."""
        now = now or timezone.now()
        updated = Ticket.objects.to_escalate(now).filter(pk=self.pk).update(escalated_at=now)
        if updated:
            before = self.snapshot()
            self.refresh_from_db()
            audit.record(
                actor=None, action="ticket.escalate", obj=self, before=before, after=self.snapshot()
            )
        return bool(updated)


def service_level(district, department) -> timedelta:
    """How long a department has to answer: its own rule's hours, else the district's."""
    rule = RoutingRule.objects.filter(department=department).first() if department else None
    if rule and rule.reply_hours:
        return timedelta(hours=rule.reply_hours)
    return timedelta(hours=InboxSettings.of(district).reply_hours)


# Fact-check desk --------------------------------------------------------------------------------


class FactCheckQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FactCheck.Status.PUBLISHED)


class FactCheck(models.Model):
    """A rumour the editor is rebutting: the claim, its evidence, and the clarification."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being checked")
        SENT = "sent", _("Clarification approved, going out")
        PUBLISHED = "published", _("Clarification published")
        DISMISSED = "dismissed", _("Dismissed")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    mention = models.ForeignKey(
        Mention, on_delete=models.PROTECT, null=True, blank=True, related_name="fact_checks"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    claim = models.TextField(_("the claim"), max_length=MAX_COMMENT_LENGTH)
    claim_url = models.URLField(_("where it was seen"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    clarification = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = FactCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [length_cap("factcheck", "claim", MAX_COMMENT_LENGTH)]

    def __str__(self) -> str:
        return self.claim[:60]

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "department": self.department_id,
            "clarification": self.clarification_id,
            "published_at": self.published_at,
        }

    def _change(self, *, by, action: str, **fields) -> None:
        before = self.snapshot()
        for name, value in fields.items():
            setattr(self, name, value)
        self.save()
        audit.record(actor=by, action=action, obj=self, before=before, after=self.snapshot())

    @property
    def statement(self) -> "Evidence | None":
        return self.evidence.filter(kind=Evidence.Kind.STATEMENT).order_by("-added_at").first()

    def send(self, post: Post, *, by) -> None:
        self._change(by=by, action="factcheck.send", status=self.Status.SENT, clarification=post)

    def mark_published(self, *, at) -> None:
        self._change(
            by=None, action="factcheck.published", status=self.Status.PUBLISHED, published_at=at
        )

    def dismiss(self, *, by) -> None:
        self._change(by=by, action="factcheck.dismiss", status=self.Status.DISMISSED)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        DOCUMENT = "document", _("Document")
        STATEMENT = "statement", _("Department's statement")

    case = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("link"), blank=True)
    document = models.FileField(_("document"), upload_to="inbox/evidence/", blank=True)
    text = models.TextField(_("text"), blank=True, max_length=MAX_BODY_LENGTH)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [length_cap("evidence", "text", MAX_BODY_LENGTH)]

    def __str__(self) -> str:
        return self.text[:60] or self.url or self.document.name

    @property
    def district(self):
        return self.case.district


def published_replies():
    """Tickets and cases whose reply or clarification the publisher has put on X since."""
    published = Q(reply__state=Post.State.PUBLISHED)
    return (
        Ticket.objects.open().filter(published).select_related("reply"),
        FactCheck.objects.filter(
            status=FactCheck.Status.SENT, clarification__state=Post.State.PUBLISHED
        ).select_related("clarification"),
    )


@transaction.atomic
def record_published_replies() -> int:
    """Mark answered the tickets whose reply is on X, and published the fact checks whose
    clarification is; the time is the post's own. Returns how many were marked."""
    tickets, cases = published_replies()
    for ticket in tickets:
        ticket.mark_answered(at=ticket.reply.published_at)
    for case in cases:
        case.mark_published(at=case.clarification.published_at)
    return len(tickets) + len(cases)
