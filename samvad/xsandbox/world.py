"""A small simulated world: citizens who follow, unfollow, mention, repost and like over time.

`step()` advances the world to the sandbox clock in whole five-minute slots. Each slot draws its
events from a generator seeded with (seed, slot start), so the same seed and the same clock give
the same world however often `step()` is called.
"""

import math
import random

SLOT = 300
CITIZEN_BASE_ID = 1_500_000_000_000_000_000  # below X-style snowflakes, so never a collision
PRESETS = {
    "dausa": {
        "official": "DmDausa",
        "official_id": "1623000000000000001",
        "official_name": "District Collector Dausa",
        "followers": 3000,
        "citizens": 8000,
        "seed": 7,
        # events per sandbox hour: about 150 new followers a day, a district account's pace
        "rates": {
            "follow": 12,
            "unfollow": 1,
            "mention": 4,
            "repost": 10,
            "like": 30,
            "impression": 600,
        },
    },
}
FIRST = (
    "Ramesh",
    "Sunita",
    "Mahesh",
    "Pooja",
    "Suresh",
    "Kavita",
    "Mukesh",
    "Anita",
    "Rakesh",
    "Seema",
    "Dinesh",
    "Rekha",
    "Gopal",
    "Manju",
    "Hemraj",
    "Lalita",
    "Kailash",
    "Santosh",
)
LAST = ("Meena", "Sharma", "Gurjar", "Saini", "Bairwa", "Jangid", "Mahawar", "Yadav", "Joshi")
MENTIONS = (
    "@{o} हमारे गाँव में बिजली कल से नहीं है",
    "@{o} क्या पेंशन योजना बंद हो गई है?",
    "@{o} वार्ड {n} में सड़क टूटी हुई है, कृपया मरम्मत कराएँ",
    "@{o} राशन की दुकान {n} दिन से बंद है",
    "@{o} हैंडपंप की मरम्मत के लिए धन्यवाद",
    "@{o} water supply in ward {n} is irregular",
    "@{o} when will the next PM Kisan installment come?",
    "@{o} street lights in ward {n} are not working",
    "@{o} thank you for the quick action on the school building",
)


def configure(store, preset="dausa", **overrides):
    """Set up (or re-tune) the world; the population is seeded only once."""
    settings = {**PRESETS[preset], **overrides}
    settings["rates"] = {**PRESETS[preset]["rates"], **overrides.get("rates", {})}
    with store.tx():
        if not store.user(username=settings["official"]):
            populate(store, settings)
        previous = store.get("world") or {}
        # A demo may rewind the world to replay past days (`stepped_to` in the overrides).
        settings["stepped_to"] = (
            overrides.get("stepped_to")
            or previous.get("stepped_to")
            or math.floor(store.now() / SLOT) * SLOT
        )
        settings.setdefault("enabled", True)
        store.put("world", settings)
    return settings


def populate(store, w):
    rng = random.Random(f"{w['seed']}:population")
    now = store.now()
    store.create_user(
        w["official"],
        id=w["official_id"],
        name=w["official_name"],
        created_at=now - 6 * 365 * 86400,
        verified=True,
        description="Official account of the District Collector, Dausa",
    )
    citizens = []
    for i in range(w["citizens"]):
        first = rng.choice(FIRST)
        citizens.append(
            (
                str(CITIZEN_BASE_ID + i),
                f"{first.lower()}_{i}",
                f"{first} {rng.choice(LAST)}",
                now - rng.uniform(30, 3000) * 86400,
            )
        )
    since = sorted(now - rng.uniform(1, 365) * 86400 for _ in range(w["followers"]))
    with store.tx() as db:
        db.executemany(
            "INSERT INTO users (id, username, name, created_at, citizen) VALUES (?, ?, ?, ?, 1)",
            citizens,
        )
        db.executemany(
            "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)",
            [(c[0], w["official_id"], at) for c, at in zip(citizens, since, strict=False)],
        )


def step(store) -> int:
    """Advance the world to the sandbox clock; returns how many events happened."""
    with store.tx():
        w = store.get("world")
        if not w or not w.get("enabled", True):
            return 0
        now, start, events = store.now(), w["stepped_to"], 0
        while start + SLOT <= now:
            events += run_slot(store, w, start)
            start += SLOT
        if start != w["stepped_to"]:
            store.put("world", w | {"stepped_to": start})
        return events


def poisson(rng, mean):
    # Knuth's method: fine for the small means a five-minute slot has.
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def run_slot(store, w, start):
    rng = random.Random(f"{w['seed']}:{int(start)}")
    recent = [
        r["id"]
        for r in store.all(
            "SELECT id FROM tweets WHERE author_id = ? AND deleted = 0 AND reply_to IS NULL"
            " AND created_at > ? AND created_at <= ? ORDER BY id",
            w["official_id"],
            start - 3 * 86400,
            start,
        )
    ]
    events = 0
    for kind in ("follow", "unfollow", "mention", "repost", "like"):
        for _ in range(poisson(rng, w["rates"][kind] * SLOT / 3600)):
            at = start + rng.random() * SLOT
            citizen = str(CITIZEN_BASE_ID + rng.randrange(w["citizens"]))
            events += act(store, w, kind, citizen, at, rng, recent)
    for tweet_id in recent:
        views = rng.randint(0, max(1, int(w["rates"]["impression"] * SLOT / 3600)))
        store.run("UPDATE tweets SET impressions = impressions + ? WHERE id = ?", views, tweet_id)
    return events


def act(store, w, kind, citizen, at, rng, recent):
    official = w["official_id"]
    follows = store.one(
        "SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?", citizen, official
    )
    if kind == "follow" and not follows:
        store.follow(citizen, official, at)
    elif kind == "unfollow" and follows:
        store.unfollow(citizen, official)
    elif kind == "mention":
        text = rng.choice(MENTIONS).format(o=w["official"], n=rng.randint(1, 40))
        store.create_tweet(citizen, text, at=at)
    elif kind == "repost" and recent:
        store.retweet(citizen, rng.choice(recent), at)
    elif kind == "like" and recent:
        store.like(citizen, rng.choice(recent))
    else:
        return 0
    return 1
