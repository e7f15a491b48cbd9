"""The publishing invariants hold whatever order people and workers act in (Hypothesis)."""

from contextlib import suppress
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from samvad.content.models import IST, Post, TransitionError
from samvad.org.models import OfficialAccount

START = datetime(2025, 3, 10, 9, 0, tzinfo=IST)
TEXTS = st.sampled_from(["जल", "बिजली", "सड़क", "#Dausa समाचार", "https://example.gov.in"])


# Slow: at least 100 examples of 50 steps (see below), so `make test-fast` leaves it out.
@pytest.mark.slow
@pytest.mark.django_db
def test_publishing_invariants_hold_in_any_order(world):
    editor = world.editor
    account = OfficialAccount.objects.get(handle="DmDausa")
    reached = set()  # states the run reached, so that a vacuous run fails

    class Workflow(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.now = START
            self.sent = {}  # what "X" received: post id → x ids
            self.hash_when_claimed = {}  # attempt id → (post id, the hash that was sent)
            self.attempts = []  # every attempt id ever handed out, stale ones included

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @initialize(texts=st.lists(TEXTS, min_size=1, max_size=2), ready=st.booleans())
        def make_thread(self, texts, ready):
            root = Post.create_thread(by=editor, district=world.dausa, texts=texts, account=account)
            self.ids = list(root.thread.values_list("pk", flat=True))
            if ready:
                # Half the runs start with the thread approved and due, so that the publishing
                # half of the machine is explored as much as the review half.
                self.approve_and_schedule_thread(minutes=0)

        def post(self, index):
            return Post.objects.get(pk=self.ids[index % len(self.ids)])

        @rule(index=st.integers(0, 2), text=TEXTS)
        def edit(self, index, text):
            with suppress(TransitionError):
                self.post(index).edit(by=editor, text=text + " ✓")

        @rule(
            index=st.integers(0, 2),
            action=st.sampled_from(
                ["submit", "approve", "return", "retry", "submit", "approve", "retry", "reject"]
            ),
        )
        def review(self, index, action):
            post = self.post(index)
            calls = {
                "submit": lambda: post.submit(by=editor),
                "approve": lambda: post.approve(by=editor),
                "return": lambda: post.return_for_changes(by=editor, comment="ठीक करें"),
                "reject": lambda: post.reject(by=editor, reason="नहीं"),
                "retry": lambda: post.retry(by=editor),
            }
            with suppress(TransitionError):
                calls[action]()

        @rule(index=st.integers(0, 2), minutes=st.integers(-30, 120))
        def schedule(self, index, minutes):
            with suppress(TransitionError):
                self.post(index).schedule(at=self.now + timedelta(minutes=minutes), by=editor)

        @rule(minutes=st.integers(-60, 15))
        def approve_and_schedule_thread(self, minutes):
            # What the editor's "Approve" and "Schedule" buttons do for a whole thread.
            for pk in self.ids:
                post = Post.objects.get(pk=pk)
                try:
                    if post.state in ("draft", "changes_requested"):
                        post.submit(by=editor)
                    if post.state == "submitted":
                        post.approve(by=editor)
                    post.schedule(at=self.now + timedelta(minutes=minutes), by=editor)
                except TransitionError:
                    pass

        @rule(minutes=st.integers(1, 90))
        def time_passes(self, minutes):
            self.now += timedelta(minutes=minutes)

        @rule()
        def claim(self):
            post = Post.claim(self.now, lease=timedelta(minutes=10))
            if post is not None:
                assert post.approved_hash == post.compute_hash()
                self.hash_when_claimed[post.attempt_id] = (post.pk, post.compute_hash())
                self.attempts.append(post.attempt_id)

        def report(self, attempt, outcome):
            post_id, sent_hash = self.hash_when_claimed[attempt]
            post = Post.objects.get(pk=post_id)
            if outcome == "published":
                x_id = f"{post_id}-{len(self.sent.get(post_id, []))}-{attempt.hex[:6]}"
                if post.mark_published(attempt, x_id, f"https://x.com/DmDausa/status/{x_id}"):
                    self.sent.setdefault(post_id, []).append(x_id)
            elif outcome == "uncertain":
                post.mark_uncertain(attempt, "timeout")
            elif outcome == "retry":
                post.mark_retry(attempt, self.now + timedelta(minutes=5))
            else:
                post.mark_failed(attempt, "X said no")

        @rule(outcome=st.sampled_from(["published", "uncertain", "retry", "failed"]))
        def publisher_round(self, outcome):
            # A worker that claims and hears back from X in one go.
            self.claim()
            if (
                self.attempts
                and Post.objects.filter(attempt_id=self.attempts[-1], state="publishing").exists()
            ):
                self.report(self.attempts[-1], outcome)

        @precondition(lambda self: self.attempts)
        @rule(
            which=st.integers(0, 20),
            outcome=st.sampled_from(["published", "uncertain", "retry", "failed"]),
        )
        def worker_reports(self, which, outcome):
            # Any attempt, stale ones included: a stale report must change nothing.
            self.report(self.attempts[which % len(self.attempts)], outcome)

        @rule()
        def leases_expire(self):
            for post in Post.objects.lease_expired(self.now):
                post.expire_lease(self.now)

        @invariant()
        def note_the_states_reached(self):
            reached.update(
                Post.objects.filter(pk__in=getattr(self, "ids", [])).values_list("state", flat=True)
            )

        @invariant()
        def never_published_without_a_matching_approval(self):
            for post in Post.objects.filter(pk__in=getattr(self, "ids", []), state="published"):
                assert post.approved_hash and post.approved_hash == post.compute_hash()
                assert post.x_post_id

        @invariant()
        def at_most_one_x_id_per_post(self):
            for x_ids in self.sent.values():
                assert len(x_ids) == 1

        @invariant()
        def publishing_always_holds_a_lease(self):
            for post in Post.objects.filter(state="publishing"):
                assert post.lease_until is not None and post.attempt_id is not None

        @invariant()
        def replies_wait_for_the_previous_post(self):
            for post in Post.objects.filter(
                state__in=["publishing", "published"], reply_to__isnull=False
            ):
                assert post.reply_to.state == "published"

    run_state_machine_as_test(
        # 100 examples at least, whatever the profile: fewer do not reliably reach every state the
        # coverage check below asks for (leases run on the real clock).
        Workflow,
        settings=settings(
            max_examples=max(100, settings().max_examples), stateful_step_count=50, derandomize=True
        ),
    )
    assert {"published", "uncertain", "retry_wait", "failed"} <= reached
