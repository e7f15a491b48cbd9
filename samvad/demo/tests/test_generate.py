"""`samvad generate` and the benchmark runner that measures it."""

import io
import json
import types

import pytest
from django.core.management import CommandError, call_command

from bench import harness, runner
from samvad.demo import generate as synthetic
from samvad.org.models import (
    Department,
    District,
    OfficialAccount,
    Person,
    Role,
    RoleAssignment,
    State,
    User,
)

TINY = synthetic.SCALES["tiny"]


def generate(*args: str) -> str:
    out = io.StringIO()
    # --apps org: other apps' generators (being written alongside) never change these tests.
    call_command("generate", "--scale", "tiny", "--apps", "org", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "counts": {m.__name__: m.objects.count() for m in [State, District, Department, Person]},
        "people": list(
            Person.objects.order_by("id").values_list("name", "employee_code", "mobile")[:20]
        ),
        "handles": sorted(OfficialAccount.objects.values_list("handle", flat=True)),
    }


@pytest.mark.django_db
def test_it_generates_the_same_data_for_the_same_seed():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "7", "--reset")
    assert snapshot() == first
    generate("--seed", "8", "--reset")
    assert snapshot()["people"] != first["people"]
    assert snapshot()["counts"] == first["counts"]


@pytest.mark.django_db
def test_it_writes_the_rows_its_estimate_promises():
    generate()
    expected = synthetic.estimate(TINY)
    generated_users = User.objects.filter(username__startswith="gen-")
    assert {
        "org.State": State.objects.count(),
        "org.District": District.objects.count(),
        "org.Department": Department.objects.count(),
        "org.User": generated_users.count(),
        "org.RoleAssignment": RoleAssignment.objects.count(),
        "org.Person": Person.objects.count(),
        "org.OfficialAccount": OfficialAccount.objects.count(),
    } == expected
    assert Person.objects.values("employee_code", "district").distinct().count() == TINY.people
    assert not any(u.has_usable_password() for u in generated_users)


@pytest.mark.django_db
def test_it_gives_each_district_its_people_roles_and_account():
    generate()
    for district in District.objects.all():
        assert district.people.count() == TINY.people // TINY.districts
        assert district.accounts.filter(department=None).count() == 1
        roles = set(RoleAssignment.objects.filter(district=district).values_list("role", flat=True))
        assert roles == {Role.DISTRICT_ADMIN, Role.EDITOR, Role.OFFICER, Role.EMPLOYEE}
    officer = RoleAssignment.objects.filter(role=Role.OFFICER).first()
    assert officer.user.person.department == officer.department


@pytest.mark.django_db
def test_it_keeps_the_id_sequences_ahead_of_the_rows_it_wrote():
    generate()
    state = State.objects.get()
    assert District.objects.create(state=state, name_hi="नया", name_en="New", code="new").pk > 0


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_districts(world):
    people = Person.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        generate()
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_a_dry_run_estimates_the_nation_and_writes_nothing():
    out = io.StringIO()
    call_command("generate", "--scale", "nation", "--dry-run", stdout=out)
    assert "19,000,000" in out.getvalue()  # staff at 780 districts
    assert not District.objects.exists()


@pytest.mark.django_db
def test_the_naive_writer_stops_after_its_sample():
    writer = synthetic.OrmWriter(limit=30)
    ctx = synthetic.make_context(TINY, writer=writer)
    with pytest.raises(synthetic.SampleFull):
        synthetic.run_generators(ctx, synthetic.generators({"org"}))
    assert writer.saved == 30


def test_it_splits_totals_exactly():
    assert synthetic.split(2_000, 41)[:2] == [49, 49]
    assert sum(synthetic.split(2_000, 41)) == 2_000
    assert sum(synthetic.weighted_split(1_000, [0.3, 2.9, 1.1])) == 1_000
    assert len(synthetic.districts(synthetic.SCALES["state"])) == 41
    nation = synthetic.districts(synthetic.SCALES["nation"])
    assert len({synthetic.district_handle(p) for p in nation}) == 780


# The benchmark runner ----------------------------------------------------------------------------


def fake_benchmark():
    module = types.ModuleType("fake")
    module.PARAMS = {"items": 3}
    module.TARGETS = {"p95_ms": ("<=", 150), "speedup": (">=", 10), "absent": ("<=", 1)}

    def run(params):
        return {
            "figures": {"p95_ms": 20.5, "speedup": 2.0, "items": params["items"]},
            "baseline": {"p95_ms": 41.0},
        }

    module.run = run
    return module


def test_the_runner_writes_a_json_with_every_required_key(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    runner.run_benchmark(fake_benchmark(), "fake", {"items": 5}, results=tmp_path)
    record = json.loads((tmp_path / "fake.json").read_text())
    assert {
        "name",
        "started",
        "seconds",
        "machine",
        "params",
        "figures",
        "baseline",
        "targets",
        "met",
    } <= set(record)
    assert {"cores", "memory_bytes", "os", "python", "database"} <= set(record["machine"])
    assert record["machine"]["database"]["engine"] == "sqlite"
    assert record["params"] == {"items": 5}
    assert record["figures"]["items"] == 5
    assert record["baseline"] == {"p95_ms": 41.0}
    assert record["targets"]["p95_ms"] == {
        "comparison": "<=",
        "target": 150,
        "measured": 20.5,
        "met": True,
    }
    assert record["targets"]["speedup"]["met"] is False
    assert record["targets"]["absent"]["met"] is False  # a missing figure never meets its target
    assert record["met"] is False


def test_the_runner_knows_every_benchmark_module():
    assert "generate" in runner.available()
    assert not {"runner", "harness", "__init__"} & set(runner.available())


def test_a_parameter_override_keeps_the_default_type():
    assert runner.parse_overrides(["runs=1", "scale=state"], {"runs": 3, "scale": "x"}) == {
        "runs": 1,
        "scale": "state",
    }


def test_the_harness_measures_a_child_and_takes_percentiles():
    result, seconds, peak_rss = harness.in_child(sum, range(1000))
    assert result == 499_500
    assert seconds >= 0
    assert peak_rss > 1_000_000
    assert harness.percentile([1, 2, 3, 4, 5], 50) == 3
    assert harness.percentile([10, 20], 95) == pytest.approx(19.5)
