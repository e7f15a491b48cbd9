from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from samvad.audit.models import AuditEvent
from samvad.content.models import (
    IST,
    Blackout,
    DistrictSettings,
    Post,
    PostMedia,
    Submission,
    TransitionError,
)
from samvad.jobs.models import Job
from samvad.jobs.worker import claim, run
from samvad.notifications.models import Notification

from .conftest import approve_all

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=IST)


def test_it_goes_from_draft_to_approved_writing_audit_rows(world, make_thread):
    [post] = make_thread("जल जीवन मिशन")
    post.submit(by=world.editor)
    post.approve(by=world.editor)
    assert post.state == Post.State.APPROVED
    assert post.approved_hash == post.compute_hash() == post.content_hash
    actions = list(
        AuditEvent.objects.filter(object_id=str(post.pk)).values_list("action", flat=True)
    )
    assert set(actions) >= {"post.create", "post.submit", "post.approve"}


def test_a_sent_submission_writes_its_audit_row_naming_the_channel(world):
    submission = Submission.send(
        by=world.officer_a,
        kind=Submission.Kind.MEETING,
        via="api",
        department=world.water,
        title="समीक्षा बैठक",
        details={"chair": "जिला कलक्टर"},
    )
    assert (submission.state, submission.created_by) == (
        Submission.State.SUBMITTED,
        world.officer_a,
    )
    event = AuditEvent.objects.get(object_id=str(submission.pk), action="submission.create")
    assert (event.actor, event.after) == (
        world.officer_a,
        {"title": "समीक्षा बैठक", "kind": "meeting", "via": "api"},
    )


def test_a_thread_made_of_a_waiting_submission_accepts_it(world, submission, dausa_account):
    root = Post.create_thread(
        by=world.editor, submission=submission, texts=["एक", "दो"], account=dausa_account
    )
    assert [p.submission for p in root.thread] == [submission, submission]
    submission.refresh_from_db()
    assert submission.state == Submission.State.ACCEPTED
    assert AuditEvent.objects.filter(
        object_id=str(submission.pk), action="submission.accept", actor=world.editor
    ).exists()


def test_it_refuses_to_approve_a_draft_that_was_not_submitted(world, make_thread):
    [post] = make_thread()
    with pytest.raises(TransitionError):
        post.approve(by=world.editor)


def test_an_edit_after_approval_returns_the_post_to_review(world, make_thread):
    [post] = approve_all(make_thread("पहला पाठ"), world.editor, at=NOON)
    assert post.edit(by=world.editor, text="बदला हुआ पाठ")
    post.refresh_from_db()
    assert post.state == Post.State.SUBMITTED
    assert post.content_hash != post.approved_hash
    assert [v.text for v in post.versions.all()] == ["पहला पाठ", "बदला हुआ पाठ"]
    assert not Post.objects.due(NOON + timedelta(hours=1)).filter(pk=post.pk).exists()


def test_a_changed_alt_text_changes_the_hash(world, make_thread, submission, media_root):
    from samvad.content.images import clean_image
    from samvad.content.models import Media

    from .conftest import upload

    clean = clean_image(upload())
    media = Media.objects.create(
        district=world.dausa,
        submission=submission,
        uploaded_by=world.officer_a,
        file=clean.content,
        sha256=clean.sha256,
        content_type=clean.content_type,
        size=clean.content.size,
        width=1,
        height=1,
        alt_text="नल",
    )
    [post] = make_thread("पोस्ट")
    pm = PostMedia.objects.create(post=post, media=media, alt_text="नल")
    post.refresh_hash(by=world.editor)
    [post] = approve_all([post], world.editor)
    post.edit(by=world.editor, alt_texts={pm.pk: "घर में नल से पानी भरती महिला"})
    assert post.state == Post.State.SUBMITTED


def test_due_respects_time_hash_thread_order_pause_and_blackout(world, make_thread):
    first, second = approve_all(make_thread("एक", "दो"), world.editor, at=NOON)
    assert list(Post.objects.due(NOON - timedelta(minutes=1))) == []
    assert list(Post.objects.due(NOON)) == [first]  # the reply waits for the first post

    settings = DistrictSettings.of(world.dausa)
    settings.set_paused(True, by=world.admin)
    assert list(Post.objects.due(NOON)) == []
    settings.set_paused(False, by=world.admin)

    Blackout.objects.create(
        district=world.dausa,
        starts_at=NOON - timedelta(hours=1),
        ends_at=NOON + timedelta(hours=1),
        reason="आदर्श आचार संहिता",
        created_by=world.admin,
    )
    assert list(Post.objects.due(NOON)) == []


def test_nothing_can_be_scheduled_in_a_blackout(world, make_thread):
    Blackout.objects.create(
        district=world.dausa,
        starts_at=NOON,
        ends_at=NOON + timedelta(days=2),
        reason="आदर्श आचार संहिता",
        created_by=world.admin,
    )
    [post] = make_thread()
    with pytest.raises(ValidationError):
        post.schedule(at=NOON + timedelta(hours=3), by=world.editor)
    post.schedule(at=NOON - timedelta(hours=3), by=world.editor)


def test_the_publisher_claims_publishes_and_the_thread_follows(world, make_thread, submission):
    first, second = approve_all(
        make_thread("एक", "दो", submission=submission), world.editor, at=NOON
    )
    claimed = Post.claim(NOON)
    assert claimed == first and claimed.state == Post.State.PUBLISHING
    assert claimed.lease_until > NOON and claimed.attempt_id
    assert Post.claim(NOON) is None  # one in flight per account, and the reply waits

    assert claimed.mark_published(claimed.attempt_id, "1001", "https://x.com/DmDausa/status/1001")
    assert Post.claim(NOON).pk == second.pk


def test_the_officer_is_told_of_the_publication_by_a_separate_job(
    world, make_thread, submission, mailoutbox
):
    [post] = approve_all(make_thread("एक", submission=submission), world.editor, at=NOON)
    claimed = Post.claim(NOON)
    assert claimed.mark_published(claimed.attempt_id, "1001", "https://x.com/DmDausa/status/1001")
    # Invariant 4: publishing only queued the message; nobody has been told yet.
    assert not Notification.objects.filter(user=world.officer_a).exists() and not mailoutbox
    [queued] = Job.objects.filter(name="samvad.content.jobs.tell_officer_published")
    assert queued.args == {"post_id": post.pk}

    run(claim("test-worker"))

    note = Notification.objects.get(user=world.officer_a)
    assert "/content/submissions/" in note.link
    assert mailoutbox[0].to == ["officer_a@example.gov.in"]
    assert "https://x.com/DmDausa/status/1001" in mailoutbox[0].body


def test_a_stale_attempt_cannot_overwrite_a_newer_one(world, make_thread):
    approve_all(make_thread(), world.editor, at=NOON)
    post = Post.claim(NOON)
    stale = post.attempt_id
    assert post.mark_retry(stale, NOON + timedelta(minutes=5))
    assert not post.mark_published(stale, "1", "https://x.com/DmDausa/status/1")
    again = Post.claim(NOON + timedelta(minutes=5))
    assert again.attempt_id != stale
    assert not again.mark_failed(stale, "late worker")
    assert again.mark_published(again.attempt_id, "2", "https://x.com/DmDausa/status/2")


def test_an_expired_lease_makes_the_post_uncertain_not_due(world, make_thread):
    approve_all(make_thread(), world.editor, at=NOON)
    post = Post.claim(NOON, lease=timedelta(minutes=5))
    assert list(Post.objects.lease_expired(NOON + timedelta(minutes=6))) == [post]
    assert post.expire_lease(NOON + timedelta(minutes=6))
    assert post.state == Post.State.UNCERTAIN
    assert Post.claim(NOON + timedelta(hours=1)) is None
    # The reconciler finds it on X: it is published with the same attempt.
    assert post.mark_published(post.attempt_id, "77", "https://x.com/DmDausa/status/77")


def test_an_x_id_belongs_to_one_post_only(world, make_thread):
    a, b = approve_all(make_thread("क") + make_thread("ख"), world.editor, at=NOON)
    a = Post.claim(NOON)
    a.mark_published(a.attempt_id, "5", "https://x.com/DmDausa/status/5")
    b = Post.claim(NOON)
    with pytest.raises(IntegrityError), transaction.atomic():
        b.mark_published(b.attempt_id, "5", "https://x.com/DmDausa/status/5")


def test_returning_a_submission_tells_the_officer(world, submission, mailoutbox):
    submission.return_for_changes(by=world.editor, comment="फोटो का विवरण जोड़ें")
    assert submission.state == Submission.State.CHANGES_REQUESTED
    assert Notification.objects.filter(user=world.officer_a).count() == 1
    assert mailoutbox[0].to == ["officer_a@example.gov.in"]
    assert "फोटो का विवरण जोड़ें" in mailoutbox[0].body


def test_best_hours_groups_engagement_by_ist_hour(world, make_thread):
    assert list(Post.objects.best_hours(world.dausa)) == []
    for hour, engagement in [(9, 10), (9, 30), (18, 100)]:
        [post] = make_thread(f"{hour} {engagement}")
        Post.objects.filter(pk=post.pk).update(
            state="published",
            x_post_id=f"{hour}{engagement}",
            engagement=engagement,
            published_at=datetime(2025, 3, 1, hour, 15, tzinfo=IST),
        )
    rows = list(Post.objects.best_hours(world.dausa))
    assert [(r["hour"], r["engagement"]) for r in rows] == [(18, 100), (9, 20)]


@time_machine.travel(NOON)
def test_claim_defaults_to_now(world, make_thread):
    approve_all(make_thread(), world.editor, at=NOON - timedelta(minutes=1))
    assert Post.claim() is not None


def test_posts_read_thread_by_thread_in_order_on_every_database(world, make_thread, submission):
    first = make_thread("क1", "क2", submission=submission)
    second = make_thread("ख1", "ख2", submission=submission)
    ordered = [p.text for p in submission.posts.in_thread_order()]
    assert ordered == [p.text for p in first + second] == ["क1", "क2", "ख1", "ख2"]
