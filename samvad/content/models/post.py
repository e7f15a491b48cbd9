"""Posts and threads, and the post's state machine.

The state machine is DESIGN.md's publishing invariants: every transition is a method here that
writes an audit row, and the publisher's transitions are conditional UPDATEs fenced by the attempt
id, so a stale worker can never overwrite a newer attempt's outcome.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.jobs.registry import enqueue
from samvad.org.models import MAX_COMMENT_LENGTH, Department, District, OfficialAccount, length_cap
from samvad.platforms.x import text as xtext

from .states import (
    EDITABLE,
    LEASE_EXPIRED,
    ON_X_OR_MAYBE,
    WAITING,
    DistrictSettings,
    FourEyesError,
    PostQuerySet,
    PostState,
    TransitionError,
    blackout_at,
)
from .submission import Media, PostMedia, PostVersion, Submission

# The order posts go out in: by due time, a thread's posts in their order.
DUE_ORDER = ("scheduled_at", "thread_position", "id")


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
    text = models.TextField(_("text"), max_length=xtext.MAX_TEXT_LENGTH)
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
    # The reviewer's comment or reason.
    comment = models.TextField(blank=True, max_length=MAX_COMMENT_LENGTH)
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
        indexes = [
            models.Index(fields=["state", "scheduled_at"]),
            models.Index(
                fields=DUE_ORDER,
                name="post_due_order",
                condition=Q(state__in=WAITING),
            ),
        ]
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
            length_cap("post", "text", xtext.MAX_TEXT_LENGTH),
            length_cap("post", "comment", MAX_COMMENT_LENGTH),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    # Content and its hash --------------------------------------------------------------------

    @classmethod
    def create_thread(
        cls,
        *,
        by,
        texts: list[str],
        district=None,
        account=None,
        submission=None,
        media: list[tuple[Media, str]] = (),
        department=None,
        in_reply_to_x_post_id: str = "",
    ) -> "Post":
        """A thread of draft posts (one post when texts has one item). Media go on the first post,
        and so does `in_reply_to_x_post_id`, the X post it answers (a citizen's mention). Made of a
        submission still waiting for review, the thread accepts it. Returns the root post."""
        with transaction.atomic():
            previous = root = None
            for position, text in enumerate(texts):
                post = cls.objects.create(
                    district=district or submission.department.district,
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
            if submission is not None and submission.state == submission.State.SUBMITTED:
                submission.accept(by=by)
            return root

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
        for page in cls._waiting_pages(now):
            candidates = (
                cls.objects.due(now)
                .filter(pk__in=page)
                .exclude(Exists(in_flight))
                .exclude(Exists(paused))
                .order_by(*DUE_ORDER)
                .values_list("pk", "state")[:20]
            )
            for pk, state in candidates:
                attempt = uuid.uuid4()
                still_due = (
                    cls.objects.due(now).filter(pk=pk, state=state).exclude(Exists(in_flight))
                )
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

    @classmethod
    def _waiting_pages(cls, now, size: int = 200):
        """The ids of approved and retrying posts whose time has come, in due order, a page at a
        time. Every post due() admits is among them; they are read along the post_due_order
        index, so a claim costs the same with ten posts due or a backlog of ten thousand (one
        query over all of due() was planned as a scan and a sort of every due post)."""
        waiting = cls.objects.filter(state__in=WAITING, scheduled_at__lte=now).order_by(*DUE_ORDER)
        after = Q()
        while True:
            rows = list(waiting.filter(after).values_list(*DUE_ORDER)[:size])
            if rows:
                yield [pk for *_, pk in rows]
            if len(rows) < size:
                return
            at, position, pk = rows[-1]
            after = (
                Q(scheduled_at__gt=at)
                | Q(scheduled_at=at, thread_position__gt=position)
                | Q(scheduled_at=at, thread_position=position, pk__gt=pk)
            )

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
