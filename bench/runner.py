"""Run benchmarks and write bench/results/NAME.json for each.

    python -m bench.runner                  every benchmark, each in its own process
    python -m bench.runner publish          one, in this process
    python -m bench.runner generate -p scale=state -p runs=1

A benchmark is a module bench/NAME.py with PARAMS (defaults), TARGETS ({figure: (comparison,
value)}) and run(params) -> {"figures": {...}, "baseline": {...}}, the baseline being measured in
the same run. Unmet targets are findings, not failures: the exit status is non-zero only when a
benchmark could not run.
"""

import argparse
import importlib
import json
import operator
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import harness

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
NOT_BENCHMARKS = {"__init__", "runner", "harness", "locustfile"}  # locustfile: the load people
COMPARISONS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt,
               "==": operator.eq}  # fmt: skip


def available() -> list[str]:
    return sorted(
        p.stem for p in BENCH.glob("*.py")
        if p.stem not in NOT_BENCHMARKS and not p.stem.startswith("_")
    )  # fmt: skip


def judge(targets: dict, figures: dict) -> dict:
    """Each target with the measured figure and whether it was met (a missing figure is not)."""
    verdicts = {}
    for figure, (comparison, value) in targets.items():
        measured = figures.get(figure)
        met = measured is not None and COMPARISONS[comparison](measured, value)
        verdicts[figure] = {"comparison": comparison, "target": value,
                            "measured": measured, "met": bool(met)}  # fmt: skip
    return verdicts


def _coerce(text: str, default):
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int | float):
        return type(default)(text)
    return text


def parse_overrides(pairs: list[str], defaults: dict) -> dict:
    overrides = {}
    for pair in pairs:
        key, _, text = pair.partition("=")
        if key not in defaults:
            raise SystemExit(f"unknown parameter {key!r}; known: {', '.join(defaults)}")
        overrides[key] = _coerce(text, defaults[key])
    return overrides


def run_benchmark(module, name: str, overrides: dict | None = None, results: Path = RESULTS):
    """Run one benchmark module and write results/NAME.json; returns the record."""
    params = {**module.PARAMS, **(overrides or {})}
    started = datetime.now(UTC)
    speed_before = harness.core_speed_ms()
    with harness.timer() as t:
        outcome = module.run(params)
    speed = {"core_speed_ms_start": speed_before, "core_speed_ms_end": harness.core_speed_ms()}
    figures, baseline = outcome.get("figures", {}), outcome.get("baseline", {})
    targets = judge(module.TARGETS, figures)
    record = {
        "name": name,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(t.seconds, 3),
        "machine": {**harness.machine(), **speed},
        "params": params,
        "figures": figures,
        "baseline": baseline,
        "targets": targets,
        "met": all(v["met"] for v in targets.values()),
        "notes": outcome.get("notes", ""),
    }
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    return record


def summary(record: dict) -> str:
    lines = [f"{record['name']}: {'met' if record['met'] else 'NOT met'} "
             f"({record['seconds']:.0f} s)"]  # fmt: skip
    for figure, v in record["targets"].items():
        mark = "ok" if v["met"] else "NO"
        target = f"{v['comparison']} {v['target']}"
        lines.append(f"  {mark:<3}{figure} = {v['measured']} (target {target})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.runner",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", help=f"benchmarks (default all: {available()})")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)}; have {', '.join(available())}")
    if args.param and len(names) != 1:
        parser.error("-p applies to one benchmark at a time")
    if len(names) == 1:
        module = importlib.import_module(f"bench.{names[0]}")
        record = run_benchmark(module, names[0], parse_overrides(args.param, module.PARAMS))
        print(summary(record))
        return 0
    # Several: each in its own process, so one's memory or Django setup never touches another's.
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        if subprocess.call([sys.executable, "-m", "bench.runner", name], cwd=harness.REPO):
            failed.append(name)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    if failed:
        print(f"could not run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
