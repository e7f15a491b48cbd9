"""Staff import builders, and @DmDausa connected with a token that never expires (the sandbox
fixture is the root conftest's)."""

import csv
import io
import re

import pytest
from openpyxl import Workbook

from samvad.advocacy.models import StaffImport
from samvad.advocacy.staff_import import COLUMNS
from samvad.jobs.worker import tick
from samvad.org.models import OfficialAccount
from samvad.platforms.x.client import XClient
from samvad.platforms.x.models import Connection

HEADINGS = [f"{hi} / {en}" for _key, hi, en, _required in COLUMNS]


@pytest.fixture
def dausa(world, sandbox):
    """@DmDausa connected to the sandbox with a token that does not expire."""
    account = OfficialAccount.objects.get(handle="DmDausa")
    user = sandbox.create_user("DmDausa", name="District Collector Dausa")
    account.x_user_id = user["id"]
    account.save()
    connection = Connection.objects.create(
        account=account, status=Connection.Status.CONNECTED, x_user_id=user["id"]
    )
    connection.store_tokens(access=sandbox.token("DmDausa", expires_in=None))
    return account


@pytest.fixture
def xclient(dausa):
    return XClient(dausa)


def x_calls(sandbox, path_pattern: str) -> list[dict]:
    """The sandbox's log of X API requests whose path matches."""
    return [r for r in sandbox.requests() if re.search(path_pattern, r["path"])]


def staff_rows(n: int, *, start: int = 1, handle_prefix: str = "staff") -> list[list]:
    return [
        [
            f"कार्मिक {i}",
            "कनिष्ठ अभियंता",
            f"E{i:06d}",
            "",
            f"p{i}@example.gov.in",
            f"98{i:08d}",
            f"@{handle_prefix}{i}",
        ]
        for i in range(start, start + n)
    ]


def xlsx_bytes(rows: list[list], headings=HEADINGS) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Staff")
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], headings=HEADINGS, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def run_jobs(limit: int = 100) -> None:
    """Run queued jobs the way the worker does, until none is due."""
    for _ in range(limit):
        if not tick("test-worker"):
            return


def upload(client, department, content: bytes, name: str = "staff.xlsx") -> StaffImport:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/advocacy/departments/{department.pk}/upload/",
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302, response.content[:500]
    return StaffImport.objects.latest("pk")  # not "created": a test may stop the clock
