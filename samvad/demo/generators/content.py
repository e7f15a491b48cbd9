"""Published posts for `samvad generate` (the contract is at the top of samvad/demo/generate.py).

Every district posts through its own account and its department accounts, every day of the
period: a few more posts as the year goes on, fewer on every seventh day. How many posts fall on
each day of each district is a pure function of the scale (no randomness), so that the campaigns
app can estimate its daily post-metric rows exactly; what the posts say, which department they are
about, their hour and their engagement come from the app's seeded random.

Posts are written in the order they were published, ids and synthetic X ids rising with time, as a
real table fills. Departments' submissions go through their states as the DIPR handled them
(accepted most, some returned or rejected, the last days' still waiting), and the audit log holds
what happened to each: a submission's creation and the editor's decision, a post's publication.
"""

import functools
import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta

from samvad.audit.models import AuditEvent
from samvad.content.models import Post, Submission
from samvad.demo import generate as synthetic
from samvad.org.models import OfficialAccount

# Synthetic X post ids, far above any real one, so that they read as fakes (as the accounts' do).
X_POST_ID_BASE = 9 * 10**18
DEPARTMENT_SHARE = 0.85  # posts about one department; the rest are the district's own news
DISTRICT_ACCOUNT_SHARE = 0.7  # of a department's posts, those made by the district's account
# Posting hours in IST and how often each is used: mornings and early evenings.
HOURS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
HOUR_WEIGHTS = [2, 5, 8, 8, 6, 4, 4, 5, 6, 7, 6, 3, 2]

TEXTS = [
    "{department}: {scheme} के तहत आज {count} लाभार्थियों को स्वीकृति पत्र वितरित किए गए। {tag}",
    "{department} द्वारा ग्राम पंचायत स्तर पर {scheme} जागरूकता शिविर का आयोजन। {tag}",
    "जिला कलक्टर ने {department} की समीक्षा बैठक में {scheme} की प्रगति पर निर्देश दिए। {tag}",
    "{scheme}: {department} ने {count} आवेदनों का निस्तारण समय पर किया। {tag}",
    "आमजन से अपील: {scheme} का लाभ लेने हेतु नजदीकी ई-मित्र केन्द्र पर आवेदन करें। {tag}",
    "{department} की टीम ने आज {count} गांवों में निरीक्षण कर व्यवस्थाएं जांचीं। {tag}",
    "{scheme} के अंतर्गत विशेष अभियान जारी, अब तक {count} पात्र परिवार जुड़े। {tag}",
    "जन सुनवाई में प्राप्त {count} परिवेदनाओं पर {department} ने कार्यवाही शुरू की। {tag}",
]
SCHEMES = [
    "मुख्यमंत्री आयुष्मान आरोग्य योजना",
    "हर घर जल",
    "प्रधानमंत्री आवास योजना",
    "पालनहार योजना",
    "मुख्यमंत्री किसान सम्मान निधि",
    "स्वच्छ भारत मिशन",
    "राष्ट्रीय खाद्य सुरक्षा योजना",
    "इंदिरा रसोई",
    "विद्युत कनेक्शन शिविर",
    "पोषण अभियान",
    "बेटी बचाओ बेटी पढ़ाओ",
    "वृद्धावस्था पेंशन",
]
TAGS = ["#RajasthanGovt", "#जनकल्याण", "#सुशासन", "#DistrictAdministration", "#जिला_प्रशासन"]
DISTRICT_NEWS = "जिला प्रशासन"


def day_weights(days: int) -> list[float]:
    """The weight of each day of the period, the first day first."""
    return [(0.75 + 0.5 * i / max(days - 1, 1)) * (0.6 if i % 7 == 6 else 1.0)
            for i in range(days)]  # fmt: skip


def posts_per_day(scale: synthetic.Scale) -> list[list[int]]:
    """For each district (in order), its posts on each day of the period."""
    weights = day_weights(scale.days)
    return [synthetic.weighted_split(total, weights)
            for total in synthetic.split(scale.posts, scale.districts)]  # fmt: skip


SUBMISSION_SHARE = 0.4  # submissions a day, for each post a district publishes
AUDIT_PAGE = 20_000
OFFICERS = 3  # the generated officers' departments, the first three, send the submissions
PENDING_DAYS = 2  # submissions of the last days still wait for the DIPR
# (state, its share of decided submissions, the audit action of the decision)
DECISIONS = [
    (Submission.State.ACCEPTED, 0.8, "submission.accept"),
    (Submission.State.CHANGES_REQUESTED, 0.12, "submission.return"),
    (Submission.State.REJECTED, 0.08, "submission.reject"),
]


def submissions_per_day(scale: synthetic.Scale) -> list[list[int]]:
    return [[round(n * SUBMISSION_SHARE) for n in days] for days in posts_per_day(scale)]


def estimate(scale: synthetic.Scale) -> dict[str, int]:
    submissions = sum(map(sum, submissions_per_day(scale)))
    return {
        "content.Post": scale.posts,
        "content.Submission": submissions,
        "audit.AuditEvent": scale.posts + 2 * submissions,
    }


def generate(ctx: synthetic.Context) -> None:
    if not ctx.scale.posts:
        return
    ctx.copy_rows(Post, FIELDS, _rows(ctx))
    first_submission = ctx.next_id(Submission)
    audit = []  # the submissions' audit rows, written after them (COPY holds the connection)
    ctx.copy_rows(Submission, SUBMISSION_FIELDS, _submissions(ctx, first_submission, audit))
    ctx.copy_rows(AuditEvent, AUDIT_FIELDS, audit)
    _published_audit(ctx)


SUBMISSION_FIELDS = [
    "id",
    "department_id",
    "created_by_id",
    "kind",
    "title",
    "body",
    "details",
    "language",
    "priority",
    "state",
    "editor_comment",
    "created",
    "updated",
]
AUDIT_FIELDS = [
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "district_id",
    "before",
    "after",
]


def _submissions(ctx, next_id: int, audit: list) -> Iterator[tuple]:
    rng, per_day = ctx.random, submissions_per_day(ctx.scale)
    places = synthetic.districts(ctx.scale)
    kinds = [k.value for k in Submission.Kind]
    for day_index in range(ctx.scale.days):
        day = ctx.start + timedelta(days=day_index)
        pending = (ctx.today - day).days < PENDING_DAYS
        for district_index, district_id in enumerate(ctx.district_ids):
            place = places[district_index]
            departments = ctx.departments[district_id][:OFFICERS]
            editor = ctx.user_ids[f"{synthetic.GENERATED_USER_PREFIX}{place.code}-editor"]
            for _ in range(per_day[district_index][day_index] if departments else 0):
                index = rng.randrange(len(departments))
                officer = ctx.user_ids[
                    f"{synthetic.GENERATED_USER_PREFIX}{place.code}-officer-"
                    f"{synthetic.DEPARTMENTS[index].code}"
                ]
                created = ctx.moment(day, rng.randint(9, 17), rng.randrange(60))
                title = f"{rng.choice(SCHEMES)}: {synthetic.DEPARTMENTS[index].name_hi}"
                state, action = Submission.State.SUBMITTED, ""
                if not pending:
                    state, _, action = rng.choices(DECISIONS, [d[1] for d in DECISIONS])[0]
                decided = created + timedelta(hours=rng.randint(1, 20))
                yield (
                    next_id,
                    departments[index],
                    officer,
                    rng.choice(kinds),
                    title,
                    rng.choice(TEXTS).format(
                        department=synthetic.DEPARTMENTS[index].name_hi,
                        scheme=rng.choice(SCHEMES),
                        count=rng.randint(3, 950),
                        tag="",
                    ),
                    {},
                    "hi",
                    0,
                    state,
                    "",
                    created,
                    decided if action else created,
                )
                audit.append(
                    (
                        created,
                        officer,
                        "submission.create",
                        "content.submission",
                        str(next_id),
                        title[:200],
                        district_id,
                        {},
                        {"state": Submission.State.SUBMITTED},
                    )
                )
                if action:
                    audit.append(
                        (
                            decided,
                            editor,
                            action,
                            "content.submission",
                            str(next_id),
                            title[:200],
                            district_id,
                            {"state": Submission.State.SUBMITTED},
                            {"state": state},
                        )
                    )
                next_id += 1


def _published_audit(ctx) -> None:
    """A post's publication, as the publisher records it (no person acts); page by page, read
    between the COPYs."""
    posts = Post.objects.filter(district__in=ctx.district_ids, state=Post.State.PUBLISHED).order_by(
        "pk"
    )
    fields, last = ("pk", "district_id", "published_at", "text", "x_post_id"), 0
    while page := list(posts.filter(pk__gt=last).values_list(*fields)[:AUDIT_PAGE]):
        last = page[-1][0]
        ctx.copy_rows(
            AuditEvent,
            AUDIT_FIELDS,
            (
                (
                    published_at,
                    None,
                    "post.published",
                    "content.post",
                    str(pk),
                    text[:200],
                    district_id,
                    {"state": "publishing"},
                    {"state": "published", "x_post_id": x_id},
                )
                for pk, district_id, published_at, text, x_id in page
            ),
        )


FIELDS = [
    "id", "district_id", "department_id", "account_id", "text", "thread_position", "state",
    "content_hash", "approved_hash", "approved_by_id", "comment", "scheduled_at", "attempts",
    "last_error", "x_post_id", "x_url", "published_at", "engagement", "created_by_id", "created",
]  # fmt: skip


def content_hash(text: str) -> str:
    """What Post.compute_hash gives a post without media or a reply target."""
    content = {"text": text, "media": [], "reply_to": None}
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def _rows(ctx: synthetic.Context) -> Iterator[tuple]:
    # Everything read from the database is read here, before COPY takes the connection.
    places = synthetic.districts(ctx.scale)
    handles = dict(OfficialAccount.objects.filter(district__in=ctx.district_ids)
                   .values_list("pk", "handle"))  # fmt: skip
    editors = {d: ctx.user_ids[f"{synthetic.GENERATED_USER_PREFIX}{p.code}-editor"]
               for d, p in zip(ctx.district_ids, places, strict=True)}  # fmt: skip
    return _post_rows(ctx, handles, editors, ctx.next_id(Post))


def _post_rows(ctx, handles: dict, editors: dict, next_id: int) -> Iterator[tuple]:
    rng, scale = ctx.random, ctx.scale
    per_day = posts_per_day(scale)
    for day_index in range(scale.days):
        day = ctx.start + timedelta(days=day_index)
        age = (ctx.today - day).days
        todays = []
        for district_index, district_id in enumerate(ctx.district_ids):
            for _ in range(per_day[district_index][day_index]):
                todays.append(_post(ctx, rng, district_id, day, age))
        todays.sort(key=lambda p: p[0])  # published in time order, ids rising with it
        for published_at, district_id, department_id, account_id, text, engagement in todays:
            x_id = X_POST_ID_BASE + next_id
            digest = content_hash(text)
            scheduled = published_at.replace(second=0)
            editor = editors[district_id]
            yield (
                next_id, district_id, department_id, account_id, text, 0, "published",
                digest, digest, editor, "", scheduled, 1, "", str(x_id),
                f"https://x.com/{handles[account_id]}/status/{x_id}", published_at, engagement,
                editor, scheduled - timedelta(hours=rng.randint(2, 48)),
            )  # fmt: skip
            next_id += 1


def _post(ctx, rng, district_id: int, day, age: int) -> tuple:
    """(published_at, district, department, account, text, engagement) of one post."""
    departments = ctx.departments[district_id]
    district_account = ctx.district_accounts[district_id]
    department_id, name = None, DISTRICT_NEWS
    account_id = district_account
    if departments and rng.random() < DEPARTMENT_SHARE:
        # The first departments (with accounts of their own) have the most to tell.
        index = rng.choices(range(len(departments)), cum_weights=_cumulative(len(departments)))[0]
        department_id, name = departments[index], synthetic.DEPARTMENTS[index].name_hi
        own = ctx.department_accounts.get(department_id)
        if own and rng.random() > DISTRICT_ACCOUNT_SHARE:
            account_id = own
    hour = rng.choices(HOURS, HOUR_WEIGHTS)[0]
    published_at = ctx.moment(day, hour, rng.randrange(60)) + timedelta(
        seconds=rng.randrange(1, 60)
    )
    text = rng.choice(TEXTS).format(
        department=name, scheme=rng.choice(SCHEMES), count=rng.randint(3, 950), tag=rng.choice(TAGS)
    )
    return (
        published_at,
        district_id,
        department_id,
        account_id,
        text,
        _engagement(rng, district_account == account_id, age),
    )


@functools.cache
def _cumulative(departments: int) -> list[float]:
    total, out = 0.0, []
    for i in range(departments):
        total += 1 / (i + 1) ** 0.7
        out.append(total)
    return out


def _engagement(rng, district_account: bool, age: int) -> int:
    """Likes, reposts, replies and quotes so far: a district account's posts reach more people;
    a post gathers most of its engagement in its first days."""
    final = rng.lognormvariate(3.6 if district_account else 2.4, 0.9)
    return int(final * min(1.0, (age + 1) / 4))
