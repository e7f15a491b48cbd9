"""Reading the rows of an XLSX staff list. This runs in a confined child process (see
samvad/confined.py), so it imports nothing of Django; refusals are codes that
samvad.advocacy.staff_import turns into messages.

A zip's declared sizes are checked before it is opened, the number of cells is counted before any
is read, cells are never evaluated, and reading stops at the end of real data.
"""

import io
import re
import zipfile

from samvad.confined import Refusal

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a 100,000-row list unzips to about 40 MB
MAX_ZIP_MEMBERS = 500
MAX_CELLS = 2_000_000  # a 200,000-row list of 7 columns is 1,400,000
MAX_COLUMNS = 50  # the template has 7; cells further right are not read
MAX_ROWS = 200_000
EMPTY_RUN = 1000  # this many empty rows in a row end the data (formatting often runs on)

# What the sheet's XML says of its cells: a formula (<f>, <f t="shared" ...>, <f/>, with or
# without a namespace prefix), a cell tag, and a cell's reference such as r="G100001".
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
FAST_READ_CELLS = 3_000_000  # calamine's rectangle; 100,000 rows of 7 columns is 700,000


def read_rows(content: bytes) -> list[list[str]]:
    """The heading and the rows after it, each cell as text, ending at the end of real data."""
    archive = _check_zip(content)
    parts = _parts(archive)
    cells = cell_counts(parts)  # counted once: they bound the file and tell the fast reader
    if sum(cells) > MAX_CELLS:
        raise Refusal("too_many_cells")
    fast = _fast_readable(parts, cells)
    rows = _calamine_rows(content) if fast else _openpyxl_rows(content)
    return list(_until_end(rows))


def _check_zip(content: bytes) -> zipfile.ZipFile:
    # The sizes in the central directory bound what Python's zipfile will inflate, so checking
    # them before opening anything defuses a zip bomb.
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise Refusal("damaged") from exc
    too_big = sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES
    if too_big or len(members) > MAX_ZIP_MEMBERS:
        raise Refusal("too_big")
    return archive


def _parts(archive: zipfile.ZipFile) -> list[bytes]:
    """Every XML part of the workbook. A sheet can live at any path that the workbook's
    relationships name, not only under xl/worksheets/, so none is left out of the checks."""
    try:
        return [archive.read(m) for m in archive.namelist() if not m.endswith("/")]
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
        raise Refusal("damaged") from exc


def cell_counts(parts: list[bytes]) -> list[int]:
    """Each part's number of cells."""
    return [len(CELL_TAG.findall(xml)) for xml in parts]


def _fast_readable(parts: list[bytes], cells: list[int]) -> bool:
    """Whether calamine may read this workbook (`cells`: cell_counts(parts)): no
    formula anywhere, and every cell addressed inside a modest rectangle. calamine gives a
    formula's cached result as if it were a value, and allocates the whole rectangle up to the
    farthest cell (a 1.6 KB file with one cell at XFD1048576 asks it for 512 GiB); openpyxl
    streams either case safely."""
    for xml, count in zip(parts, cells, strict=True):
        if FORMULA_TAG.search(xml):
            return False
        refs = CELL_REF.findall(xml)
        if len(refs) != count:
            return False  # a cell without its reference: the extent cannot be seen here
        rows = max((int(row) for _, row in refs), default=0)
        columns = max((_column_number(letters) for letters in {c for c, _ in refs}), default=0)
        if rows * columns > FAST_READ_CELLS:
            return False
    return True


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _calamine_rows(content: bytes):
    from python_calamine import CalamineWorkbook

    # calamine (Rust) reads a sheet many times faster than openpyxl.
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        return sheet.iter_rows()
    except Exception as exc:  # calamine raises its own kinds for a damaged or foreign file
        raise Refusal("damaged") from exc


def _openpyxl_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet; data_only=False returns formulas as their text, so no
        # cached result chosen by the file's author is ever taken for a value.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        return book.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise Refusal("damaged") from exc


def _until_end(rows):
    """The heading, then each row (an empty one as []), until EMPTY_RUN empty rows in a row or
    one row more than MAX_ROWS, which the caller refuses."""
    empty = seen = 0
    try:
        for number, cells in enumerate(rows):
            texts = [text(c) for c in cells[:MAX_COLUMNS]]
            if number and not any(texts):
                empty += 1
                if empty >= EMPTY_RUN:
                    return
                yield []
                continue
            empty = 0
            seen += 1
            yield texts
            if seen > MAX_ROWS + 1:
                return
    except Refusal:
        raise
    except Exception as exc:  # a damaged part found only while streaming
        raise Refusal("damaged") from exc


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps codes and mobile numbers as floats
    return str(value).strip()
