"""`samvad generate` gives staff handles, followers, reposts and compliance records that agree
with what advocacy's pages count live."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from samvad.advocacy import sync
from samvad.advocacy.models import (
    DepartmentSnapshot,
    Follower,
    FollowerSync,
    StaffHandle,
    StaffRepost,
)
from samvad.advocacy.selectors import FIGURES, department_figures
from samvad.demo import generate as synthetic
from samvad.demo.generators import advocacy as advocacy_generate
from samvad.org.models import Department, District, OfficialAccount

TINY = synthetic.SCALES["tiny"]
END = date(2026, 3, 15)


def generate(*args: str) -> None:
    call_command(
        "generate",
        "--scale",
        "tiny",
        "--apps",
        "content,advocacy",
        "--end",
        END.isoformat(),
        *args,
        stdout=io.StringIO(),
    )


def active_followers(account) -> int:
    return Follower.objects.filter(account=account, until__isnull=True).count()


@pytest.mark.django_db
def test_it_writes_the_rows_its_estimate_promises():
    generate()
    expected = advocacy_generate.estimate(TINY)
    assert StaffHandle.objects.count() == expected["advocacy.StaffHandle"]
    assert Follower.objects.count() == expected["advocacy.Follower"]
    assert DepartmentSnapshot.objects.count() == expected["advocacy.DepartmentSnapshot"]
    assert FollowerSync.objects.count() == expected["advocacy.FollowerSync"]
    assert 0 < StaffRepost.objects.count() <= 2 * expected["advocacy.StaffRepost"]


@pytest.mark.django_db
def test_each_district_account_has_its_share_of_followers_and_its_staff_among_them():
    generate()
    for district in District.objects.all():
        account = OfficialAccount.objects.get(district=district, department=None)
        assert active_followers(account) == TINY.followers // TINY.districts
        following = StaffHandle.objects.filter(district=district).following()
        assert following.exists()
        staff_ids = set(following.values_list("x_user_id", flat=True))
        assert staff_ids <= set(
            Follower.objects.filter(account=account, until__isnull=True).values_list(
                "x_user_id", flat=True
            )
        )


@pytest.mark.django_db
def test_the_follow_state_is_what_a_sync_would_settle_on():
    generate()
    before = sorted(
        StaffHandle.objects.values_list("pk", "following_since", "stopped_following_at")
    )
    for account in OfficialAccount.objects.filter(department=None):
        sync.refresh_follow_state(
            account, now=synthetic.make_context(TINY, today=END).moment(END, 6)
        )
    after = sorted(StaffHandle.objects.values_list("pk", "following_since", "stopped_following_at"))
    assert [row[:2] for row in after] == [row[:2] for row in before]
    assert sum(1 for row in before if row[2] is None and row[1]) == sum(
        1 for row in after if row[2] is None and row[1]
    )


@pytest.mark.django_db
def test_the_last_compliance_record_is_what_the_pages_count_now():
    generate()
    figures = department_figures(Department.objects.all())
    for snapshot in DepartmentSnapshot.objects.filter(day=END):
        live = figures[snapshot.department_id]
        assert {k: getattr(snapshot, k) for k in FIGURES} == {k: live[k] for k in FIGURES}
    first = DepartmentSnapshot.objects.order_by("day").first().day
    assert (
        sum(DepartmentSnapshot.objects.filter(day=first).values_list("registered", flat=True))
        <= StaffHandle.objects.count()
    )


@pytest.mark.django_db
def test_handles_are_unique_in_their_district_and_only_verified_ones_have_x_ids():
    generate()
    handles = list(StaffHandle.objects.values_list("district", "handle", "status", "x_user_id"))
    assert len({(d, h.lower()) for d, h, _, _ in handles}) == len(handles)
    assert all(len(h) <= 15 for _, h, _, _ in handles)
    assert all((x != "") == (s in ("verified", "protected")) for _, _, s, x in handles)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_staff_on_x():
    def snapshot():
        return (list(StaffHandle.objects.order_by("person").values_list("person", "handle",
                                                                       "status")),
                list(StaffRepost.objects.order_by("person", "x_post_id")
                     .values_list("person", "x_post_id")))  # fmt: skip

    generate("--seed", "5")
    first = snapshot()
    generate("--seed", "5", "--reset")
    assert snapshot() == first
