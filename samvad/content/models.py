"""Department submissions, posts and threads, media, the review workflow and the calendar.

The post's state machine is DESIGN.md's publishing invariants: every transition is a method here
that writes an audit row, and the publisher's transitions are conditional UPDATEs fenced by the
attempt id, so a stale worker can never overwrite a newer attempt's outcome.
"""

import hashlib
import json
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, ExtractHour
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from samvad import audit
from samvad.jobs.registry import enqueue
from samvad.notifications import notify
from samvad.org.models import Department, District, OfficialAccount
from samvad.platforms.x import text as xtext

IST = ZoneInfo("Asia/Kolkata")


# Submissions ------------------------------------------------------------------------------------


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
    body = models.TextField(_("description"), blank=True)
    details = models.JSONField(default=dict)  # the fields of the kind's own form
    language = models.CharField(
        _("language"), max_length=4, choices=Language.choices, default=Language.HINDI
    )
    priority = models.IntegerField(_("priority"), choices=Priority.choices, default=0)
    preferred_date = models.DateField(_("preferred date"), null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    editor_comment = models.TextField(_("editor's comment"), blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

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

    def make_thread(self, *, by, texts: list[str], account, media=()) -> "Post":
        """The editor's thread of draft posts made of this submission, which it accepts if it was
        still waiting for review. Returns the root post."""
        with transaction.atomic():
            root = post_create_thread(
                by=by,
                district=self.department.district,
                texts=texts,
                account=account,
                submission=self,
                media=media,
            )
            if self.state == self.State.SUBMITTED:
                self.accept(by=by)
        return root

    def add_photo(self, image, *, by, caption: str, alt_text: str) -> "Media":
        """A photo for the editor, as images.clean_image checked and re-encoded it."""
        return Media.objects.create(
            district=self.department.district,
            submission=self,
            uploaded_by=by,
            file=image.content,
            sha256=image.sha256,
            content_type=image.content_type,
            kind=image.kind,
            size=image.content.size,
            width=image.width,
            height=image.height,
            caption=caption,
            alt_text=alt_text,
        )

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


# Posts ------------------------------------------------------------------------------------------


def _four_eyes_default() -> bool:
    return settings.SAMVAD_FOUR_EYES


class DistrictSettings(models.Model):
    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="content_settings"
    )
    publishing_paused = models.BooleanField(default=False)
    # Four eyes: whoever wrote or last edited a post may not approve it (on in production).
    four_eyes = models.BooleanField(_("four eyes"), default=_four_eyes_default)
    changed = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.district)

    @classmethod
    def of(cls, district) -> "DistrictSettings":
        return cls.objects.get_or_create(district=district)[0]

    @classmethod
    def four_eyes_in(cls, district_id: int) -> bool:
        row = cls.objects.filter(district_id=district_id).first()
        return row.four_eyes if row else _four_eyes_default()

    def set_four_eyes(self, on: bool, *, by) -> None:
        before = {"four_eyes": self.four_eyes}
        self.four_eyes, self.changed = on, timezone.now()
        self.save()
        audit.record(
            actor=by, action="settings.four_eyes", obj=self, before=before, after={"four_eyes": on}
        )

    def set_paused(self, paused: bool, *, by) -> None:
        before = {"publishing_paused": self.publishing_paused}
        self.publishing_paused, self.changed = paused, timezone.now()
        self.save()
        action = "publishing.pause" if paused else "publishing.resume"
        audit.record(
            actor=by, action=action, obj=self, before=before, after={"publishing_paused": paused}
        )


class Blackout(models.Model):
    """A period in which nothing may be scheduled or published, e.g. the model code of conduct."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.reason

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The end must be after the start."))

    def add(self, *, by) -> None:
        """Save this new period, with its audit row."""
        with transaction.atomic():
            self.save()
            audit.record(actor=by, action="blackout.create", obj=self, after=self._snapshot())

    def remove(self, *, by) -> None:
        with transaction.atomic():
            audit.record(actor=by, action="blackout.delete", obj=self, before=self._snapshot())
            self.delete()

    def _snapshot(self) -> dict:
        return {"starts_at": self.starts_at, "ends_at": self.ends_at, "reason": self.reason}


def blackout_at(district, when):
    return Blackout.objects.filter(district=district, starts_at__lte=when, ends_at__gt=when).first()


class PostState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    RETRY_WAIT = "retry_wait", _("Waiting to retry")
    UNCERTAIN = "uncertain", _("Uncertain")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


# Content can be edited in these states; an edit of approved content sends it back to review.
EDITABLE = {
    PostState.DRAFT,
    PostState.SUBMITTED,
    PostState.CHANGES_REQUESTED,
    PostState.APPROVED,
    PostState.RETRY_WAIT,
    PostState.FAILED,
}
# Once a post may have reached X, only the publisher and the reconciler may touch it.
ON_X_OR_MAYBE = {PostState.PUBLISHING, PostState.PUBLISHED, PostState.UNCERTAIN}


# Stored untranslated in last_error, translated where it is shown (like the publisher's own).
LEASE_EXPIRED = gettext_noop("The worker stopped before X answered; Samvad looks for it on X.")


class FourEyesError(Exception):
    """The approver wrote or last edited the post, and the district requires a second person."""


class TransitionError(Exception):
    """A transition that the state machine does not allow from the post's current state."""


class PostQuerySet(models.QuerySet):
    def in_thread_order(self):
        """Each thread together, in order, threads by age: a root has no root_id of its own,
        and NULLs sort first on SQLite but last on PostgreSQL."""
        return self.order_by(Coalesce("root_id", "id"), "thread_position")

    def due(self, now=None):
        """Posts the publisher may claim now (DESIGN.md invariants 2 and 3)."""
        now = now or timezone.now()
        paused = DistrictSettings.objects.filter(publishing_paused=True).values("district")
        blacked_out = Blackout.objects.filter(starts_at__lte=now, ends_at__gt=now).values(
            "district"
        )
        return (
            self.filter(
                Q(state=PostState.APPROVED, scheduled_at__lte=now)
                | Q(state=PostState.RETRY_WAIT, retry_at__lte=now, scheduled_at__lte=now),
                content_hash=F("approved_hash"),
                account__isnull=False,
            )
            .exclude(approved_hash="")
            .exclude(district__in=paused)
            .exclude(district__in=blacked_out)
            .filter(Q(reply_to__isnull=True) | Q(reply_to__state=PostState.PUBLISHED))
        )

    def lease_expired(self, now=None):
        """Claimed posts whose worker vanished: X may or may not have the post (→ uncertain)."""
        return self.filter(state=PostState.PUBLISHING, lease_until__lt=now or timezone.now())

    def best_hours(self, district):
        """Average engagement of published posts by hour of day (IST), best first."""
        return (
            self.filter(district=district, state=PostState.PUBLISHED, published_at__isnull=False)
            .annotate(hour=ExtractHour("published_at", tzinfo=IST))
            .values("hour")
            .annotate(engagement=Avg("engagement"), posts=Count("id"))
            .order_by("-engagement", "hour")
        )


class Post(models.Model):
    State = PostState  # Post.State.PUBLISHING reads as Submission.State does

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    account = models.ForeignKey(
        OfficialAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"))
    media = models.ManyToManyField(Media, through="PostMedia", related_name="posts")
    # Threads: the first post is the root; each later one replies to the previous.
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    thread_position = models.PositiveIntegerField(default=0)
    # A reply to someone else's post on X (a citizen's mention in the inbox), by its X id. The
    # column keeps its old name for a release: the previous release reads it (docs/deploy.md).
    in_reply_to_x_post_id = models.CharField(
        max_length=32, blank=True, default="", db_column="in_reply_to_x_id"
    )

    state = models.CharField(max_length=20, choices=PostState.choices, default=PostState.DRAFT)
    content_hash = models.CharField(max_length=64, blank=True)  # kept current by refresh_hash()
    approved_hash = models.CharField(max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)  # the reviewer's comment or reason
    scheduled_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # The publisher's fields.
    attempt_id = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    x_post_id = models.CharField(max_length=32, unique=True, null=True, blank=True)
    x_url = models.URLField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    engagement = models.PositiveIntegerField(default=0)  # likes + reposts + replies, from metrics

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["root_id", "thread_position", "id"]
        indexes = [models.Index(fields=["state", "scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                name="post_publishing_holds_a_lease",
                condition=~Q(state="publishing") | Q(lease_until__isnull=False),
            ),
            models.CheckConstraint(
                name="post_published_has_an_x_id",
                condition=~Q(state="published") | Q(x_post_id__isnull=False),
            ),
            # One publish in flight per account: two workers may both pass claim()'s check at
            # the same instant; this makes the second UPDATE fail, and the loser claims again.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(state="publishing"),
                name="publishing_one_in_flight_per_account",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    # Content and its hash --------------------------------------------------------------------

    def attachments(self) -> list["PostMedia"]:
        return list(self.postmedia_set.select_related("media").order_by("position"))

    def compute_hash(self) -> str:
        """sha256 over what X would receive: text, images with their alt text, reply target."""
        content = {
            "text": xtext.normalize(self.text),
            "media": [
                [pm.media_id, pm.media.sha256, xtext.normalize(pm.alt_text)]
                for pm in self.attachments()
            ],
            "reply_to": self.reply_to_id,
        }
        if self.in_reply_to_x_post_id:  # only when set, so that every other post keeps its hash
            content["in_reply_to_x_id"] = self.in_reply_to_x_post_id  # the old key: hashes stay
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()

    @property
    def thread(self) -> models.QuerySet:
        root_id = self.root_id or self.pk
        return Post.objects.filter(Q(pk=root_id) | Q(root_id=root_id)).order_by("thread_position")

    def snapshot(self) -> dict:
        return {
            "state": self.state,
            "text": self.text,
            "content_hash": self.content_hash,
            "approved_hash": self.approved_hash,
            "scheduled_at": self.scheduled_at,
            "x_post_id": self.x_post_id,
        }

    def edit(self, *, by, text: str | None = None, alt_texts: dict | None = None) -> bool:
        """Change the text and/or alt texts; keep a version; approved content returns to review.

        Returns False when nothing changed.
        """
        if self.state not in EDITABLE:
            raise TransitionError(f"cannot edit a post in {self.state}")
        before = self.snapshot()
        with transaction.atomic():
            if text is not None:
                self.text = xtext.normalize(text)
            for pm in self.attachments():
                if alt_texts and pm.pk in alt_texts:
                    pm.alt_text = alt_texts[pm.pk]
                    pm.save(update_fields=["alt_text"])
            new_hash = self.compute_hash()
            if new_hash == self.content_hash:
                return False
            self.content_hash = new_hash
            if self.state not in (
                PostState.DRAFT,
                PostState.CHANGES_REQUESTED,
                PostState.SUBMITTED,
            ):
                self.state = PostState.SUBMITTED  # an edit after approval needs a fresh approval
            self.save()
            PostVersion.record(self, by=by)
            audit.record(
                actor=by, action="post.edit", obj=self, before=before, after=self.snapshot()
            )
        return True

    def refresh_hash(self, *, by) -> None:
        """After attachments were added or removed (the hash changes like an edit)."""
        self.edit(by=by)

    # Review transitions ----------------------------------------------------------------------

    def _transition(self, allowed, state: str, *, by, action: str, **fields) -> None:
        if self.state not in allowed:
            raise TransitionError(f"{action} is not allowed from {self.state}")
        before = self.snapshot()
        self.state = state
        for name, value in fields.items():
            setattr(self, name, value)
        self.save()
        audit.record(actor=by, action=action, obj=self, before=before, after=self.snapshot())

    def submit(self, *, by) -> None:
        self._transition(
            {PostState.DRAFT, PostState.CHANGES_REQUESTED},
            PostState.SUBMITTED,
            by=by,
            action="post.submit",
        )

    def approve(self, *, by) -> None:
        """Freeze the content: only this exact text, media and reply target may be published."""
        if self.account_id is None:
            raise TransitionError("a post needs an account before it is approved")
        errors = xtext.validate_media(self.media_items()) if self.pk else []
        if not xtext.is_valid(self.text) or errors:
            raise TransitionError("the post breaks X's rules")
        if by.pk in self.authors() and DistrictSettings.four_eyes_in(self.district_id):
            raise FourEyesError(f"user {by.pk} wrote or last edited post {self.pk}")
        current = self.compute_hash()
        self._transition(
            {PostState.SUBMITTED},
            PostState.APPROVED,
            by=by,
            action="post.approve",
            content_hash=current,
            approved_hash=current,
            approved_by=by,
            comment="",
        )

    def authors(self) -> set[int]:
        """Who wrote the post and who last edited it (each edit is a version)."""
        last = self.versions.order_by("-number").values_list("created_by_id", flat=True)[:1]
        return {self.created_by_id, *last}

    @staticmethod
    def approve_thread(thread: list["Post"], *, by) -> None:
        """What the editor's Approve does to a thread: submit the drafts, approve them all."""
        for post in thread:
            if post.state in (PostState.DRAFT, PostState.CHANGES_REQUESTED):
                post.submit(by=by)
            if post.state == PostState.SUBMITTED:
                post.approve(by=by)

    def return_for_changes(self, *, by, comment: str) -> None:
        self._transition(
            {PostState.SUBMITTED, PostState.APPROVED, PostState.FAILED},
            PostState.CHANGES_REQUESTED,
            by=by,
            action="post.return",
            comment=comment,
            approved_hash="",
        )

    def reject(self, *, by, reason: str) -> None:
        self._transition(
            {
                PostState.DRAFT,
                PostState.SUBMITTED,
                PostState.CHANGES_REQUESTED,
                PostState.APPROVED,
                PostState.FAILED,
            },
            PostState.REJECTED,
            by=by,
            action="post.reject",
            comment=reason,
            approved_hash="",
        )

    def schedule(self, *, at, by) -> None:
        """Set the publishing time; never inside a blackout period of the district."""
        if self.state in ON_X_OR_MAYBE or self.state == PostState.REJECTED:
            raise TransitionError(f"cannot schedule a post in {self.state}")
        if blackout := blackout_at(self.district_id, at):
            raise ValidationError(
                _("Nothing can be scheduled during the blackout period: %(reason)s."),
                params={"reason": blackout.reason},
            )
        before = self.snapshot()
        self.scheduled_at = at
        self.save(update_fields=["scheduled_at"])
        audit.record(
            actor=by, action="post.schedule", obj=self, before=before, after=self.snapshot()
        )

    def retry(self, *, by) -> None:
        """An editor sends a failed post back to the queue (its approval still stands)."""
        if self.approved_hash != self.compute_hash():
            raise TransitionError("the content changed since it was approved")
        self._transition(
            {PostState.FAILED}, PostState.APPROVED, by=by, action="post.retry", last_error=""
        )

    def media_items(self) -> list[dict]:
        return [
            {"kind": pm.media.kind, "size": pm.media.size, "alt_text": pm.alt_text}
            for pm in self.attachments()
        ]

    # The publisher's transitions: conditional UPDATEs fenced by the attempt id --------------------

    @classmethod
    def claim(cls, now=None, *, lease: timedelta | None = None) -> "Post | None":
        """Claim one due post: state → publishing with a fresh attempt id and lease.

        The caller must commit before calling X. One post per account is in flight at a time.
        """
        from samvad.platforms.x.models import RateWindow

        now = now or timezone.now()
        lease = lease or timedelta(seconds=settings.SAMVAD_PUBLISH_LEASE_SECONDS)
        in_flight = cls.objects.filter(account=OuterRef("account"), state=PostState.PUBLISHING)
        # An account whose posting window X emptied pauses as a whole until the window's reset:
        # its due posts are not claimed one by one only to be refused locally.
        paused = RateWindow.objects.paused(now).filter(account=OuterRef("account"))
        candidates = (
            cls.objects.due(now)
            .exclude(Exists(in_flight))
            .exclude(Exists(paused))
            .order_by("scheduled_at", "thread_position", "id")
            .values_list("pk", "state")[:20]
        )
        for pk, state in candidates:
            attempt = uuid.uuid4()
            still_due = cls.objects.due(now).filter(pk=pk, state=state).exclude(Exists(in_flight))
            # The UPDATE filters on the row's own columns only. Django turns a filter with joins
            # into `id IN (subquery)`, which PostgreSQL does not re-check against a concurrent
            # claim's committed row: both workers would win the same post.
            claimed = still_due.exists() and cls.objects.filter(
                pk=pk, state=state, content_hash=F("approved_hash")
            ).update(
                state=PostState.PUBLISHING,
                attempt_id=attempt,
                lease_until=now + lease,
                attempts=F("attempts") + 1,
                retry_at=None,
            )
            if claimed:
                post = cls.objects.get(pk=pk)
                audit.record(
                    actor=None,
                    action="post.claim",
                    obj=post,
                    before={"state": state},
                    after={"state": post.state, "attempt_id": attempt},
                )
                return post
        return None

    def _fenced(self, attempt_id, allowed, action: str, **fields) -> bool:
        """Apply fields only if attempt_id still owns the post; False for a stale attempt."""
        before = self.snapshot()
        updated = Post.objects.filter(pk=self.pk, attempt_id=attempt_id, state__in=allowed).update(
            **fields
        )
        if not updated:
            return False
        self.refresh_from_db()
        audit.record(actor=None, action=action, obj=self, before=before, after=self.snapshot())
        return True

    def mark_published(self, attempt_id, x_post_id: str, url: str, now=None) -> bool:
        # From uncertain too: the reconciler found the post on X.
        done = self._fenced(
            attempt_id,
            [PostState.PUBLISHING, PostState.UNCERTAIN],
            "post.published",
            state=PostState.PUBLISHED,
            x_post_id=x_post_id,
            x_url=url,
            lease_until=None,
            published_at=now or timezone.now(),
            last_error="",
        )
        if done and self.submission_id:
            # By name: content/jobs.py imports this module, not the other way round.
            enqueue(
                "samvad.content.jobs.tell_officer_published",
                key=f"post-published:{self.pk}",
                post_id=self.pk,
            )
        return done

    def mark_uncertain(self, attempt_id, error: str) -> bool:
        return self._fenced(
            attempt_id,
            [PostState.PUBLISHING],
            "post.uncertain",
            state=PostState.UNCERTAIN,
            lease_until=None,
            last_error=error,
        )

    def mark_retry(self, attempt_id, until, error: str = "") -> bool:
        # From uncertain too: the reconciler did not find the post after the grace period.
        return self._fenced(
            attempt_id,
            [PostState.PUBLISHING, PostState.UNCERTAIN],
            "post.retry_wait",
            state=PostState.RETRY_WAIT,
            lease_until=None,
            retry_at=until,
            last_error=error,
        )

    def mark_failed(self, attempt_id, message: str) -> bool:
        return self._fenced(
            attempt_id,
            [PostState.PUBLISHING, PostState.UNCERTAIN],
            "post.failed",
            state=PostState.FAILED,
            lease_until=None,
            last_error=message,
        )

    def expire_lease(self, now=None) -> bool:
        """A vanished worker's claim: X may have the post, so it becomes uncertain, not due."""
        now = now or timezone.now()
        before = self.snapshot()
        updated = Post.objects.filter(
            pk=self.pk, state=PostState.PUBLISHING, lease_until__lt=now
        ).update(state=PostState.UNCERTAIN, lease_until=None, last_error=LEASE_EXPIRED)
        if updated:
            self.refresh_from_db()
            audit.record(
                actor=None,
                action="post.lease_expired",
                obj=self,
                before=before,
                after=self.snapshot(),
            )
        return bool(updated)


class PostMedia(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    media = models.ForeignKey(Media, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=xtext.MAX_ALT_TEXT)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.alt_text[:50]


class PostVersion(models.Model):
    """Every saved version of a post's content, for the diff on the page and RTI requests."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
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
            models.UniqueConstraint(fields=["post", "number"], name="post_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.number}"

    @classmethod
    def record(cls, post: Post, *, by) -> "PostVersion":
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


def post_create_thread(
    *,
    by,
    district,
    texts: list[str],
    account=None,
    submission=None,
    media: list[tuple[Media, str]] = (),
    department=None,
    in_reply_to_x_post_id: str = "",
) -> Post:
    """Create a thread of draft posts (one post when texts has one item); media go on the first,
    and so does `in_reply_to_x_post_id`, the X post it answers (a citizen's mention).

    Returns the root post.
    """
    with transaction.atomic():
        previous = root = None
        for position, text in enumerate(texts):
            post = Post.objects.create(
                district=district,
                account=account,
                submission=submission,
                department=department or (submission.department if submission else None),
                text=xtext.normalize(text),
                root=root,
                reply_to=previous,
                thread_position=position,
                created_by=by,
                in_reply_to_x_post_id=in_reply_to_x_post_id if position == 0 else "",
            )
            if position == 0:
                for index, (item, alt_text) in enumerate(media):
                    PostMedia.objects.create(
                        post=post, media=item, position=index, alt_text=alt_text
                    )
            post.content_hash = post.compute_hash()
            post.save(update_fields=["content_hash"])
            PostVersion.record(post, by=by)
            audit.record(actor=by, action="post.create", obj=post, after=post.snapshot())
            root = root or post
            previous = post
        return root
