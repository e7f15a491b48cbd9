"""Staff on X: each employee's handle (with their consent), whom of them follows the district's
official account, who reposts its posts, and a daily record per department.

Only what the feature needs is kept: a handle and its X id, when consent was given, and dates.
Followers of the official account are kept as bare X ids, nothing else about them."""

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.org.figures import following_rate
from samvad.org.models import Department, District, OfficialAccount, Person


class TaskLink(models.Model):
    """The generation of a person's task link: revoking it makes every link handed out so far
    stop working, and the next one carries the new generation (see task_links.py)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    generation = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id} #{self.generation}"

    @classmethod
    def generation_of(cls, person_pk: int) -> int:
        return cls.generations([person_pk])[person_pk]

    @classmethod
    def generations(cls, person_pks) -> dict[int, int]:
        """Each person's generation (0 until a link is first revoked), in one query for a list."""
        pks = list(person_pks)
        found = dict(cls.objects.filter(person_id__in=pks).values_list("person_id", "generation"))
        return {pk: found.get(pk, 0) for pk in pks}

    @classmethod
    def revoke(cls, person) -> None:
        link, _created = cls.objects.get_or_create(person=person)
        link.generation += 1
        link.revoked_at = timezone.now()
        link.save()


class HandleQuerySet(models.QuerySet):
    def following(self):
        return self.filter(following_since__isnull=False, stopped_following_at__isnull=True)

    def verified(self):
        return self.filter(status=StaffHandle.Status.VERIFIED)


class StaffHandle(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("not yet checked")
        VERIFIED = "verified", _("verified")
        NOT_FOUND = "not_found", _("not found on X")
        SUSPENDED = "suspended", _("suspended on X")
        PROTECTED = "protected", _("protected account")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="x_handle")
    # Kept beside the person so that the district's handles are unique and set-based updates
    # need no join.
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    handle = models.CharField(_("X handle"), max_length=15)
    x_user_id = models.CharField(max_length=32, blank=True, db_index=True)  # "" until verified
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    checked_at = models.DateTimeField(null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    on_leaderboard = models.BooleanField(_("show my name on the leaderboard"), default=False)
    following_since = models.DateTimeField(null=True, blank=True)
    stopped_following_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    objects = HandleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("handle"), "district", name="staff_handle_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def is_following(self) -> bool:
        return self.following_since is not None and self.stopped_following_at is None

    @classmethod
    def register(cls, person: Person, handle: str, *, on_leaderboard: bool) -> "StaffHandle":
        """The employee's own registration, with their consent. Raises ValueError when another
        person of the district has that handle."""
        taken = cls.objects.filter(district=person.district_id, handle__iexact=handle)
        if taken.exclude(person=person).exists():
            raise ValueError(handle)
        record = cls.objects.filter(person=person).first()
        if record is None:
            record = cls(person=person, district_id=person.district_id, handle=handle)
        record.change(handle)
        record.consent_at = timezone.now()
        record.on_leaderboard = on_leaderboard
        record.save()
        return record

    @classmethod
    def forget(cls, person: Person) -> None:
        """The employee removes their handle: it goes, with everything learnt through it."""
        cls.objects.filter(person=person).delete()
        StaffRepost.objects.filter(person=person).delete()

    def change(self, handle: str) -> bool:
        """Point at another account: everything learnt about the old one is forgotten."""
        if handle.lower() == self.handle.lower():
            return False
        self.handle, self.x_user_id, self.status, self.checked_at = handle, "", "unverified", None
        self.following_since = self.stopped_following_at = None
        return True


class Follower(models.Model):
    """One follower of an official account, as a bare X id; `until` is set when a full pass no
    longer finds them."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    x_user_id = models.CharField(max_length=32)
    since = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "x_user_id"], name="follower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.x_user_id} → {self.account_id}"


class FollowerSync(models.Model):
    """One pass over an account's followers; its sightings are the staging table of a full pass."""

    class Kind(models.TextChoices):
        FULL = "full", _("full")
        INCREMENTAL = "incremental", _("incremental")

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveIntegerField(default=0)
    seen = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    gone = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.kind} {self.started:%Y-%m-%d %H:%M}"


class FollowerSighting(models.Model):
    sync = models.ForeignKey(FollowerSync, on_delete=models.CASCADE, db_constraint=False)
    x_user_id = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["sync", "x_user_id"], name="sighting_idx")]

    def __str__(self) -> str:
        return str(self.x_user_id)


class StaffRepost(models.Model):
    """A registered employee reposted an official post. Reposts by anyone else are not kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="x_reposts")
    # The column keeps its old name for a release: the previous release reads it (docs/deploy.md).
    x_post_id = models.CharField(max_length=32, db_column="tweet_id")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "x_post_id"], name="staff_repost_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} reposted {self.x_post_id}"


class TaskClick(models.Model):
    """An employee opened a follow or repost task on X from their task page. X is asked soon
    after (`check_at`) whether it happened; until then the task shows as waiting for X."""

    class Kind(models.TextChoices):
        FOLLOW = "follow", _("follow")
        REPOST = "repost", _("repost")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The post to repost; the column keeps its old name for a release (docs/deploy.md).
    x_post_id = models.CharField(max_length=32, blank=True, db_column="tweet_id")
    at = models.DateTimeField(default=timezone.now)
    check_at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)  # when the check ran

    class Meta:
        indexes = [models.Index(fields=["district", "at"], name="task_click_recent")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.x_post_id} at {self.at:%H:%M}"


class DepartmentSnapshot(models.Model):
    """A department's compliance at the end of one day, written daily for every district: the
    history behind the trend, and the one store of staff and following figures (a campaign's
    scoreboard reads them from here)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    staff = models.PositiveIntegerField(default=0)
    registered = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    following = models.PositiveIntegerField(default=0)
    reposters = models.PositiveIntegerField(default=0)
    reposts_total = models.PositiveIntegerField(default=0)  # by its staff, ever

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["department", "day"], name="department_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.day}"

    @property
    def rate(self) -> int | None:
        return following_rate(self.following, self.staff)


class StaffImport(models.Model):
    """An uploaded staff list: checked row by row first, saved only when the officer says so."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        SAVING = "saving", _("saving")
        SAVED = "saved", _("saved")
        REFUSED = "refused", _("refused")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    # The file is kept in the database (the one thing every host shares) until it is saved.
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    total = models.PositiveIntegerField(default=0)  # rows found so far / rows to save
    done = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{"row", "field", "code", "value"}]
    message = models.TextField(blank=True)  # why a whole file was refused
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.filename

    @classmethod
    @transaction.atomic
    def receive(cls, file, *, department, by) -> "StaffImport":
        """An officer's uploaded staff list, kept until the check job reads it."""
        upload = cls.objects.create(
            district=department.district,
            department=department,
            uploaded_by=by,
            filename=file.name[:200],
            content=file.read(),
        )
        after = {"filename": upload.filename, "bytes": len(upload.content)}
        audit.record(actor=by, action="staff_import.receive", obj=upload, after=after)
        return upload

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.SAVING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    # Every change of status is one of the methods below. Each writes with an UPDATE of just its
    # fields: the page polls the row while a job works on it, and the file need not go back.

    def _write(self, **fields) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        StaffImport.objects.filter(pk=self.pk).update(**fields)

    def show_progress(self, *, done: int, total: int | None = None) -> None:
        self._write(done=done, **({} if total is None else {"total": total}))

    def finish_check(self, *, good: int, bad: int, problems: list) -> None:
        """Every row is checked: the report is ready and the file itself is no longer kept."""
        self._write(
            status=self.Status.CHECKED,
            done=self.done,
            total=self.done,
            good=good,
            bad=bad,
            problems=problems,
            content=b"",
            finished=timezone.now(),
        )

    def start_saving(self) -> bool:
        """The officer says save. False when it is not waiting for that (a second click)."""
        started = StaffImport.objects.filter(pk=self.pk, status=self.Status.CHECKED).update(
            status=self.Status.SAVING, done=0
        )
        if started:
            self.status, self.done = self.Status.SAVING, 0
        return bool(started)

    def finish_saving(self, *, created: int, updated: int, unchanged: int) -> None:
        self._write(
            status=self.Status.SAVED,
            done=self.total,
            created_count=created,
            updated_count=updated,
            unchanged_count=unchanged,
            finished=timezone.now(),
        )

    def refuse(self, message: str) -> None:
        """The whole file is refused: nothing of it is kept but the reason."""
        StaffImportBatch.objects.filter(staff_import=self).delete()
        self._write(
            status=self.Status.REFUSED, message=message, finished=timezone.now(), content=b""
        )


class StaffImportBatch(models.Model):
    """Rows that passed the check, kept as checked, so that saving need not read the file again.
    One record holds a batch of rows: one per row cost more to write and read back than checking
    the row. The table keeps the name it had when it held one row each."""

    staff_import = models.ForeignKey(StaffImport, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()  # the file's row number of the batch's first row
    rows = models.JSONField(db_column="values")  # [[row number, *staff_import.KEPT values], ...]

    class Meta:
        db_table = "advocacy_staffimportrow"
        constraints = [
            models.UniqueConstraint(fields=["staff_import", "number"], name="import_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff_import_id}:{self.number}"


class PersonalDataExport(models.Model):
    """Every export of staff's personal data: who took it, of what, when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    rows = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.rows} staff rows by {self.user} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, *, user, district, rows: int) -> "PersonalDataExport":
        """Exports of personal data go into the district's audit log as well as this register."""
        export = cls.objects.create(user=user, district=district, rows=rows)
        audit.record(
            actor=user,
            action="advocacy.staff_export",
            obj=export,
            district=district,
            after={"rows": rows},
        )
        return export
