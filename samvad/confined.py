"""Untrusted files are parsed in a child process with hard limits (see decision 009 in
docs/decisions).

A spreadsheet or an image from anyone's computer goes through parsers written in C and Rust that
can be made to allocate without bound, spin, or abort the whole process (a 1.6 KB XLSX once made
calamine ask for 512 GiB and took the worker down with it). So the parsing runs in a process of
its own, `python -m samvad.confined TASK`, which first limits its own address space, CPU time and
the size of the file it may write, then reads its input file and writes its answer as JSON. If
it goes over a limit, the kernel ends it, and only that one import or upload is refused.

Tasks are plain functions of bytes to a JSON-able value; they raise `Refusal(code)` for a file
they refuse, and the caller turns the code into a message in the person's language.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

MB = 1024 * 1024
TASKS = {
    "sheet": "samvad.advocacy.sheets:read_rows",
    "image": "samvad.content.images:reencode",
}


class Refusal(Exception):
    """The task refuses the file; args[0] is a code the caller knows how to explain."""


class Exceeded(Exception):
    """The child went over one of its limits, or died some other way: the file is refused."""


def run(
    task: str, data: bytes, *, memory_mb: int = 1024, cpu_seconds: int = 30, output_mb: int = 128
) -> object:
    """The task's answer for data, computed in a limited child process.

    Raises Refusal with the task's code, or Exceeded when the child was stopped or died."""
    with tempfile.TemporaryDirectory(prefix="samvad-confined-") as folder:
        source, answer = Path(folder, "in"), Path(folder, "out")
        source.write_bytes(data)
        command = [
            sys.executable,
            "-m",
            "samvad.confined",
            task,
            str(source),
            str(answer),
            str(memory_mb),
            str(cpu_seconds),
            str(output_mb),
        ]
        try:
            # The wall-clock timeout covers a child that sleeps or waits instead of computing.
            finished = subprocess.run(
                command,
                capture_output=True,
                timeout=cpu_seconds * 2 + 10,
                env=_child_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise Exceeded("timeout") from error
        if finished.returncode != 0 or not answer.exists():
            raise Exceeded(f"exit {finished.returncode}: {finished.stderr[-500:]!r}")
        result = json.loads(answer.read_bytes())
    if "refused" in result:
        raise Refusal(result["refused"])
    return result["answer"]


def _child_environment() -> dict:
    # Only what Python needs to find our code: no secrets from the parent's environment.
    keep = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "VIRTUAL_ENV", "TMPDIR")
    environment = {name: os.environ[name] for name in keep if name in os.environ}
    root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [root, environment.get("PYTHONPATH")]))
    return environment


def _limit(memory_mb: int, cpu_seconds: int, output_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_mb * MB, output_mb * MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(
    task: str, source: str, answer: str, memory_mb: str, cpu_seconds: str, output_mb: str
) -> None:
    _limit(int(memory_mb), int(cpu_seconds), int(output_mb))
    module_name, function_name = TASKS[task].split(":")
    module = __import__(module_name, fromlist=[function_name])
    # Run as __main__, this module's Refusal is not the one the tasks import and raise.
    from samvad.confined import Refusal as TaskRefusal

    try:
        result = {"answer": getattr(module, function_name)(Path(source).read_bytes())}
    except TaskRefusal as refusal:
        result = {"refused": refusal.args[0]}
    Path(answer).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
