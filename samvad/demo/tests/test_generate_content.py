"""`samvad generate` writes published posts for every district, over the whole period."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from samvad.content.models import Post
from samvad.demo import generate as synthetic
from samvad.demo.generators import content as content_generate
from samvad.org.models import Department, District, OfficialAccount

TINY = synthetic.SCALES["tiny"]
END = date(2026, 3, 15)


def generate(*args: str) -> None:
    call_command(
        "generate",
        "--scale",
        "tiny",
        "--apps",
        "content",
        "--end",
        END.isoformat(),
        *args,
        stdout=io.StringIO(),
    )


def posts() -> list[tuple]:
    return list(
        Post.objects.order_by("pk").values_list(
            "x_post_id", "text", "department__code", "account__handle", "published_at"
        )
    )


@pytest.mark.django_db
def test_it_writes_the_posts_its_estimate_promises_all_published_with_x_ids():
    generate()
    assert Post.objects.count() == content_generate.estimate(TINY)["content.Post"] == TINY.posts
    assert set(Post.objects.values_list("state", flat=True)) == {Post.State.PUBLISHED}
    assert Post.objects.exclude(x_url__contains="/status/").count() == 0
    assert len(set(Post.objects.values_list("x_post_id", flat=True))) == TINY.posts


@pytest.mark.django_db
def test_posts_are_spread_over_districts_departments_and_every_day_of_the_period():
    generate()
    for district in District.objects.all():
        own = Post.objects.filter(district=district)
        assert own.count() == TINY.posts // TINY.districts
        assert set(own.values_list("account__district", flat=True)) == {district.pk}
        assert (
            own.exclude(department=None)
            .filter(department__in=Department.objects.exclude(district=district))
            .count()
            == 0
        )
    assert Post.objects.values("department").distinct().count() > 3
    days = {p.published_at.astimezone(synthetic.TIME_ZONE).date() for p in Post.objects.all()}
    assert days == {END - timedelta(days=i) for i in range(TINY.days)}
    assert OfficialAccount.objects.filter(
        department__isnull=False, pk__in=Post.objects.values("account")
    ).exists()


@pytest.mark.django_db
def test_a_generated_post_carries_the_hash_of_its_own_content():
    generate()
    post = Post.objects.order_by("pk").first()
    assert post.content_hash == post.approved_hash == post.compute_hash()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_posts():
    generate("--seed", "3")
    first = posts()
    generate("--seed", "3", "--reset")
    assert posts() == first
    generate("--seed", "4", "--reset")
    assert [p[1] for p in posts()] != [p[1] for p in first]
    assert len(posts()) == len(first)


def test_the_daily_split_is_exact_and_needs_no_random():
    state = synthetic.SCALES["state"]
    per_day = content_generate.posts_per_day(state)
    assert len(per_day) == 41 and len(per_day[0]) == 365
    assert sum(map(sum, per_day)) == 500_000
    assert per_day == content_generate.posts_per_day(state)
