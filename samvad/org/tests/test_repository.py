"""The repository stands alone: whoever clones it has everything its product, tests, benchmarks and
docs read. Nothing may point at a folder beside the clone, such as the planning notes' folder."""

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CHECKED = ("samvad/", "bench/", "docs/", ".ci/", "Makefile", "README.md", "CONTRIBUTING.md")
# A path that climbs out of the repository to a sibling folder, or names the notes' folder.
OUTSIDE = re.compile(
    r"\.\./shared\b"
    r"|\bshared/(x-api|seed|GLOSSARY|DESIGN|JOURNEYS|STYLE)\b"
    r"|parents?\b[^\n]{0,40}/\s*[\"']shared[\"']"
    r"|/work/"
)


def tracked_files():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *CHECKED],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [REPO / name for name in listed if name and (REPO / name).is_file()]


def references_outside(path: Path) -> list[str]:
    if path.suffix in {".png", ".jpg", ".pdf", ".mo", ".json", ".xlsx", ".woff2"}:
        return []
    try:
        text = path.read_text()
    except UnicodeDecodeError:
        return []
    return [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if OUTSIDE.search(line)
    ]


def test_nothing_refers_to_a_path_outside_the_repository():
    files = tracked_files()
    assert any(f.name == "testing.py" for f in files), "git ls-files found none of the sources"
    found = [hit for path in files if path != Path(__file__) for hit in references_outside(path)]
    assert found == [], "paths outside the repository:\n" + "\n".join(found)


def test_the_pattern_catches_each_way_of_reaching_out():
    # The samples are put together here, so that this file itself names no outside path.
    notes = "sha" + "red"
    for line in (
        f'Path(settings.BASE_DIR).parent.parent / "{notes}" / "x-api"',
        f"see ../{notes}/GLOSSARY.md",
        f"the contract in `{notes}/x-api/README.md`",
        f"open('/work/{notes}/seed/directive.en.md')",
    ):
        assert OUTSIDE.search(line), line


def test_the_x_contract_is_in_the_repository():
    from samvad.xsandbox.testing import openapi_path

    assert openapi_path().is_relative_to(REPO)
    assert openapi_path().stat().st_size > 500_000
