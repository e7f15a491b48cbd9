"""`samvad generate` into a fresh database: how fast synthetic data of a given scale is written.

Figures come from the real command run in a forked child (its time, the child's peak RSS, rows
written, database size), as the median of `runs` runs, each into a fresh database. The baseline
is the same org generator writing through the naive path, one `Model(...).save()` per row in
autocommit, timed on a sample of `baseline_rows` rows and extrapolated to the rows written.
"""

import contextlib
import io

from bench import harness

PARAMS = {"scale": "district", "seed": 1, "runs": 3, "baseline_rows": 5_000}

# A state's full shape is about 18 million rows (`samvad generate --scale state --dry-run`): at
# 20,000 rows a second that is 15 minutes. Rows are streamed, so memory stays flat at any scale.
TARGETS = {
    "rows_per_s": (">=", 20_000),
    "peak_rss_mb": ("<=", 500),
    "speedup": (">=", 10),
}

MIGRATION_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def _generate(url: str, scale: str, seed: int) -> float:
    """In the measured child: set Django up on `url`, run the command, return its own seconds."""
    harness.django_setup(url)
    from django.core.management import call_command

    with harness.timer() as t:
        call_command("generate", scale=scale, seed=seed, stdout=io.StringIO())
    return t.seconds


def _one_run(scale: str, seed: int) -> dict:
    with harness.postgres_database("bench_generate") as url:
        before = harness.table_rows(url)
        generate_s, wall_s, peak_rss = harness.in_child(_generate, url, scale, seed)
        after = harness.table_rows(url)
        return {
            "generate_s": generate_s,
            "wall_s": wall_s,
            "peak_rss": peak_rss,
            "rows": sum(after.values()) - sum(before.values()),
            "tables": {t: n for t, n in after.items() if n and t not in MIGRATION_TABLES},
            "db_size": harness.database_size(url),
        }


def _baseline(scale: str, seed: int, sample: int) -> dict:
    """Per-row ORM saves of the generator's first `sample` rows, in a database of their own."""
    with harness.postgres_database("bench_generate_naive") as url:
        harness.django_setup(url)
        from samvad.demo import generate as synthetic

        writer = synthetic.OrmWriter(limit=sample)
        ctx = synthetic.make_context(synthetic.SCALES[scale], seed=seed, writer=writer)
        with harness.timer() as t, contextlib.suppress(synthetic.SampleFull):
            synthetic.run_generators(ctx, synthetic.generators({"org"}))
        return {"rows": writer.saved, "seconds": t.seconds}


def run(params: dict) -> dict:
    runs = [_one_run(params["scale"], params["seed"]) for _ in range(params["runs"])]
    median = sorted(runs, key=lambda r: r["generate_s"])[len(runs) // 2]
    rows = median["rows"]
    naive = _baseline(params["scale"], params["seed"], params["baseline_rows"])
    naive_rate = naive["rows"] / naive["seconds"]
    naive_wall = rows / naive_rate
    return {
        "figures": {
            "generate_s": round(median["generate_s"], 3),
            "generate_s_runs": [round(r["generate_s"], 3) for r in runs],
            "wall_s": round(median["wall_s"], 2),
            "rows": rows,
            "rows_per_s": round(rows / median["generate_s"]),
            "db_size_mb": round(median["db_size"] / 2**20, 1),
            "peak_rss_mb": round(max(r["peak_rss"] for r in runs) / 2**20, 1),
            "speedup": round(naive_wall / median["generate_s"], 1),
            "tables": median["tables"],
        },
        "baseline": {
            "method": "one Model(...).save() per row, autocommit, org generator",
            "sample_rows": naive["rows"],
            "sample_s": round(naive["seconds"], 2),
            "rows_per_s": round(naive_rate),
            "wall_s_extrapolated": round(naive_wall, 1),
        },
        "notes": (
            "generate_s is the command itself (generation, commit, ANALYZE); wall_s adds Django's "
            f"set-up in the measured child. Median of {len(runs)} runs, each into a fresh "
            "migrated database; peak RSS is the largest of the children's."
        ),
    }
