"""Marking attendance from a pasted list: one person per line, by employee code or by name, as it
comes out of an attendance register or an Excel column."""

import re
import unicodedata
from dataclasses import dataclass, field

from samvad.org.models import Person

CELL_SEPARATORS = re.compile(r"[\t,;|]")


def _key(text: str) -> str:
    # The same name typed on two keyboards differs in normalisation, case and spacing.
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass
class PasteResult:
    matched: list[Person] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # lines that named nobody
    ambiguous: list[str] = field(default_factory=list)  # names that more than one person has


def match_lines(text: str, people) -> PasteResult:
    """Find each non-empty line's person among `people`: an employee code in any cell of the line
    wins; otherwise a whole cell must be exactly one person's name."""
    by_code, by_name = {}, {}
    for person in people:
        by_code[_key(person.employee_code)] = person
        by_name.setdefault(_key(person.name), []).append(person)
    result, seen = PasteResult(), set()
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [_key(c) for c in [line, *CELL_SEPARATORS.split(line)] if c.strip()]
        person = next((by_code[c] for c in cells if c in by_code), None)
        if person is None:
            named = next((by_name[c] for c in cells if c in by_name), [])
            if len(named) > 1:
                result.ambiguous.append(line.strip())
                continue
            person = named[0] if named else None
        if person is None:
            result.unmatched.append(line.strip())
        elif person.id not in seen:
            seen.add(person.id)
            result.matched.append(person)
    return result
