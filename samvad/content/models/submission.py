"""What a department sends the DIPR office (a submission and its photos), and what a post carries
(its photos with alt text) with every version of it that was saved."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.notifications import notify
from samvad.org.models import MAX_BODY_LENGTH, MAX_COMMENT_LENGTH, Department, District, length_cap
from samvad.platforms.x import text as xtext


def _label(choices, value):
    """What Django's get_FOO_display answers: the choice's label, or the value when it is none."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Submission(models.Model):
    class Kind(models.TextChoices):
        SCHEME = "scheme", _("Welfare scheme")
        MEETING = "meeting", _("Meeting")
        ACHIEVEMENT = "achievement", _("Achievement")
        EVENT = "event", _("Event")
        ADVISORY = "advisory", _("Advisory")

    class Language(models.TextChoices):
        HINDI = "hi", _("Hindi")
        ENGLISH = "en", _("English")
        BOTH = "both", _("Hindi and English")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        HIGH = 1, _("High")
        URGENT = 2, _("Urgent")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), blank=True, max_length=MAX_BODY_LENGTH)
    details = models.JSONField(default=dict)  # the fields of the kind's own form
    language = models.CharField(
        _("language"), max_length=4, choices=Language.choices, default=Language.HINDI
    )
    priority = models.IntegerField(_("priority"), choices=Priority.choices, default=0)
    preferred_date = models.DateField(_("preferred date"), null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    editor_comment = models.TextField(
        _("editor's comment"), blank=True, max_length=MAX_COMMENT_LENGTH
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]
        constraints = [
            length_cap("submission", "body", MAX_BODY_LENGTH),
            length_cap("submission", "editor_comment", MAX_COMMENT_LENGTH),
        ]

    def __str__(self) -> str:
        return self.title

    # Django's own get_FOO_display translates every choice of the field to find one label, and a
    # list of fifty submissions paid for that on each row; these translate only the label shown.
    def get_kind_display(self) -> str:
        return _label(self.Kind, self.kind)

    def get_priority_display(self) -> str:
        return _label(self.Priority, self.priority)

    def get_state_display(self) -> str:
        return _label(self.State, self.state)

    @property
    def district(self):
        return self.department.district

    @classmethod
    def send(cls, *, by, kind: str, via: str = "", **fields) -> "Submission":
        """A department's new material for the DIPR, with its audit row; `via` names the channel
        when it is not the page."""
        submission = cls.objects.create(created_by=by, kind=kind, **fields)
        after = {"title": submission.title, "kind": cls.Kind(kind).value}
        audit.record(
            actor=by,
            action="submission.create",
            obj=submission,
            after=after | ({"via": via} if via else {}),
        )
        return submission

    def _move(self, state: str, *, by, action: str, comment: str = "") -> None:
        before = {"state": self.state, "editor_comment": self.editor_comment}
        self.state, self.updated = state, timezone.now()
        if comment:
            self.editor_comment = comment
        self.save(update_fields=["state", "editor_comment", "updated"])
        after = {"state": self.state, "editor_comment": self.editor_comment}
        audit.record(actor=by, action=action, obj=self, before=before, after=after)

    def edit(self, *, by, details: dict, **fields) -> None:
        """The officer's changes to a returned submission, recorded with what they replaced."""
        before = {"title": self.title, "body": self.body, "details": self.details}
        for name, value in fields.items():
            setattr(self, name, value)
        self.details = details
        self.save()
        after = {"title": self.title, "body": self.body, "details": self.details}
        audit.record(actor=by, action="submission.edit", obj=self, before=before, after=after)

    def resubmit(self, *, by) -> None:
        self._move(self.State.SUBMITTED, by=by, action="submission.resubmit")

    def return_for_changes(self, *, by, comment: str) -> None:
        self._move(self.State.CHANGES_REQUESTED, by=by, action="submission.return", comment=comment)
        self._tell_officer()

    def reject(self, *, by, reason: str) -> None:
        self._move(self.State.REJECTED, by=by, action="submission.reject", comment=reason)
        self._tell_officer()

    def _tell_officer(self) -> None:
        """The editor returned or rejected the officer's submission (with a comment)."""
        link = reverse("content:submission_detail", args=[self.pk])
        notify(self.created_by, "content/email/returned", {"submission": self}, link)

    def accept(self, *, by) -> None:
        self._move(self.State.ACCEPTED, by=by, action="submission.accept")

    def add_photo(self, media: "Media", *, caption: str, alt_text: str) -> None:
        """A photo the officer uploaded with this submission (Media.keep), now sent with it."""
        media.submission, media.district = self, self.department.district
        media.caption, media.alt_text = caption, alt_text
        media.save(update_fields=["submission", "district", "caption", "alt_text"])

    @property
    def can_be_edited(self) -> bool:
        return self.state == self.State.CHANGES_REQUESTED


class Media(models.Model):
    """An image that passed validation and was re-encoded without metadata (see images.py)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="content/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, default=xtext.IMAGE)  # text rules' IMAGE or GIF
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(_("alt text"), max_length=xtext.MAX_ALT_TEXT)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.alt_text[:50]

    @classmethod
    def keep(cls, image, *, by, district_id: int) -> "Media":
        """An uploaded photo, as images.clean_image checked and re-encoded it, kept before the
        form it came with is valid: the form carries its id, so that a mistake elsewhere in the
        form does not lose it. Submission.add_photo gives it its submission and alt text; one
        never sent is forgotten after a day (jobs.forget_unsent_photos)."""
        return cls.objects.create(
            district_id=district_id,
            uploaded_by=by,
            file=image.content,
            sha256=image.sha256,
            content_type=image.content_type,
            kind=image.kind,
            size=image.content.size,
            width=image.width,
            height=image.height,
        )


# A post's photos and versions: beside Media, which they point to; post.py is near 500 lines.


class PostMedia(models.Model):
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE)
    media = models.ForeignKey(Media, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=xtext.MAX_ALT_TEXT)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.alt_text[:50]


class PostVersion(models.Model):
    """Every saved version of a post's content, for the diff on the page and RTI requests."""

    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=xtext.MAX_TEXT_LENGTH)
    media = models.JSONField(default=list)
    reply_to_id_at_version = models.BigIntegerField(null=True)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="post_version_unique"),
            length_cap("postversion", "text", xtext.MAX_TEXT_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.number}"

    @classmethod
    def record(cls, post, *, by) -> "PostVersion":
        last = post.versions.order_by("-number").first()
        return cls.objects.create(
            post=post,
            number=(last.number + 1) if last else 1,
            text=post.text,
            media=[
                {"media": pm.media_id, "sha256": pm.media.sha256, "alt_text": pm.alt_text}
                for pm in post.attachments()
            ],
            reply_to_id_at_version=post.reply_to_id,
            content_hash=post.content_hash,
            created_by=by,
        )
