"""The simulated world: a seeded district whose citizens follow, mention and repost over time."""

from samvad.xsandbox import world
from samvad.xsandbox.server import Running
from samvad.xsandbox.store import Store

START = 1_800_000_000


def history(store):
    return {
        "follows": store.all("SELECT follower_id, created_at FROM follows ORDER BY seq"),
        "tweets": store.all("SELECT id, author_id, text, created_at FROM tweets ORDER BY id"),
        "retweets": store.all("SELECT user_id, tweet_id FROM retweets ORDER BY seq"),
    }


def run_world(path, steps):
    store = Store(path)
    store.set_clock(at=START, factor=0)
    world.configure(
        store,
        "dausa",
        followers=50,
        citizens=100,
        rates={"follow": 60, "mention": 30, "repost": 60},
    )
    official = store.user(username="DmDausa")
    store.create_tweet(official["id"], "आज जिला स्तरीय जनसुनवाई", at=START)
    events = 0
    for seconds in steps:
        store.set_clock(advance=seconds)
        events += world.step(store)
    result = {k: [tuple(r) for r in v] for k, v in history(store).items()}
    store.close()
    return events, result


def test_it_is_deterministic_however_often_it_steps(tmp_path):
    one = run_world(tmp_path / "a", [6 * 3600])
    many = run_world(tmp_path / "b", [700] * 30 + [6 * 3600 - 700 * 30])
    assert one == many
    events, state = one
    assert events > 0 and len(state["retweets"]) > 0
    mentions = [t for t in state["tweets"] if t[2].startswith("@DmDausa")]
    assert mentions
    assert any("\u0900" <= ch <= "\u097f" for t in mentions for ch in t[2])


def test_a_different_seed_gives_a_different_world(tmp_path):
    store = Store(tmp_path / "c")
    store.set_clock(at=START, factor=0)
    world.configure(
        store, "dausa", followers=50, citizens=100, seed=99, rates={"follow": 60, "mention": 30}
    )
    store.set_clock(advance=6 * 3600)
    world.step(store)
    other = {k: [tuple(r) for r in v] for k, v in history(store).items()}
    assert other["tweets"] != run_world(tmp_path / "d", [6 * 3600])[1]["tweets"]


def test_it_seeds_dausa_with_a_stable_official_account(xsandbox):
    world_settings = xsandbox.call("POST", "world", json={"preset": "dausa"})["data"]
    dm = xsandbox.store.user(username="DmDausa")
    assert dm["id"] == world.PRESETS["dausa"]["official_id"] == world_settings["official_id"]
    client = xsandbox.client_for("DmDausa", expires_in=None)
    metrics = client.get("/2/users/me", params={"user.fields": "public_metrics,verified"}).json()
    assert metrics["data"]["public_metrics"]["followers_count"] == 3000
    assert metrics["data"]["verified"] is True
    xsandbox.advance(12 * 3600)
    after = client.get("/2/users/me", params={"user.fields": "public_metrics"}).json()
    assert after["data"]["public_metrics"]["followers_count"] > 3000
    mentions = client.get(f"/2/users/{dm['id']}/mentions", params={"max_results": 100}).json()
    assert mentions["meta"]["result_count"] > 10


def test_it_pauses_when_disabled(xsandbox):
    xsandbox.call(
        "POST", "world", json={"preset": "dausa", "followers": 10, "citizens": 20, "enabled": False}
    )
    xsandbox.advance(24 * 3600)
    assert xsandbox.call("POST", "world/step")["events"] == 0
    assert xsandbox.store.one("SELECT count(*) AS n FROM tweets")["n"] == 0


def test_the_dausa_world_can_start_with_the_server(tmp_path):
    running = Running(tmp_path / "w", world_name="dausa")
    try:
        assert running.app.store.user(username="DmDausa")["citizen"] == 0
        citizens = world.PRESETS["dausa"]["citizens"]
        assert running.app.store.one("SELECT count(*) AS n FROM users")["n"] == citizens + 1
    finally:
        running.stop()
