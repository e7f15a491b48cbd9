import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from samvad.demo.dausa import DEMO_LOGINS, DEMO_PASSWORD, seed_dausa
from samvad.demo.management.commands.demo import Supervisor
from samvad.org import access
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

DIRECTIVE_HEADS = {
    "electricity": "Superintending Engineer",
    "pwd": "Superintending Engineer",
    "health": "Chief Medical and Health Officer",
    "planning": "Chief Planning Officer",
    "social-justice": "Assistant Director",
    "phed": "Executive Engineer",
    "irrigation": "Executive Engineer",
    "municipal": "Executive Engineer",
    "wcd": "Deputy Director",
    "women-empowerment": "Assistant Director",
    "agriculture": "Joint Director",
    "employment": "District Employment Officer",
    "labour": "Labour Welfare Officer",
}

# username: (role, district code, department code) of the role the user holds.
EXPECTED_ROLES = {
    "cmsdc": (Role.STATE_OBSERVER, None, None),
    "adc": (Role.DISTRICT_ADMIN, "dausa", None),
    "sysanalyst": (Role.DISTRICT_ADMIN, "dausa", None),
    "dipr": (Role.EDITOR, "dausa", None),
    "employee": (Role.EMPLOYEE, "dausa", "phed"),
    "alwar-admin": (Role.DISTRICT_ADMIN, "alwar", None),
    **{f"officer-{code}": (Role.OFFICER, "dausa", code) for code in DIRECTIVE_HEADS},
}

MODELS = [State, District, Department, User, RoleAssignment, Person, OfficialAccount]


def _is_devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)


def test_it_creates_nothing_on_a_second_run(db):
    first = seed_dausa(employees_per_department=3)
    counts = {m.__name__: m.objects.count() for m in MODELS}

    second = seed_dausa(employees_per_department=3)

    assert first["people"] > 0
    assert set(second.values()) == {0}
    assert {m.__name__: m.objects.count() for m in MODELS} == counts


def test_it_creates_the_directive_departments_and_dipr_with_hindi_names(db):
    seed_dausa(employees_per_department=0)

    dausa = {d.code: d for d in Department.objects.filter(district__code="dausa")}

    assert set(DIRECTIVE_HEADS) | {"dipr", "doitc"} == set(dausa)
    for code, head in DIRECTIVE_HEADS.items():
        assert dausa[code].head_designation_en == head
        assert _is_devanagari(dausa[code].name_hi)
        assert _is_devanagari(dausa[code].head_designation_hi)
    assert dausa["dipr"].name_hi == "सूचना एवं जनसम्पर्क कार्यालय"
    assert District.objects.get(code="dausa").name_hi == "दौसा"


def test_every_demo_user_logs_in_with_the_demo_password_and_holds_its_role(db):
    seed_dausa(employees_per_department=0)

    for username, (role, district, department) in EXPECTED_ROLES.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        held = RoleAssignment.objects.get(user=user)
        assert held.role == role
        assert (held.district.code if held.district else None) == district
        assert (held.department.code if held.department else None) == department
    assert set(User.objects.values_list("username", flat=True)) == set(EXPECTED_ROLES)


def test_each_officer_is_the_head_of_their_department(db):
    seed_dausa(employees_per_department=0)

    officer = Person.objects.get(user__username="officer-health")

    assert officer.department.code == "health"
    assert officer.designation == "मुख्य चिकित्सा एवं स्वास्थ्य अधिकारी"


def test_no_two_people_share_an_employee_code(db):
    seed_dausa(employees_per_department=25)

    codes = list(Person.objects.values_list("employee_code", flat=True))

    assert len(codes) > 15 * 25
    assert len(codes) == len(set(codes))
    assert Person.objects.filter(employee_code="DSA-PHED-0001", user=None).exists()


def test_generated_staff_have_devanagari_names_and_no_accounts(db):
    seed_dausa(employees_per_department=5)

    staff = Person.objects.filter(department__code="phed", district__code="dausa", user=None)

    assert staff.count() == 5
    assert all(_is_devanagari(p.name) and _is_devanagari(p.designation) for p in staff)


def test_dmdausa_is_owned_by_the_dipr_deputy_director(db):
    seed_dausa(employees_per_department=0)

    account = OfficialAccount.objects.get(handle="DmDausa")

    assert account.is_district_account
    assert account.owner.user.username == "dipr"
    assert OfficialAccount.objects.get(handle="DausaPHED").department.code == "phed"


def test_alwar_admin_sees_no_one_in_dausa(db):
    seed_dausa(employees_per_department=2)

    alwar_admin = User.objects.get(username="alwar-admin")

    people = access.visible_people(alwar_admin)
    assert people.exists()
    assert not people.filter(district__code="dausa").exists()


def test_demo_logins_name_users_that_exist(db):
    seed_dausa(employees_per_department=0)

    usernames = [username for username, _role, _text in DEMO_LOGINS]

    assert User.objects.filter(username__in=usernames).count() == len(usernames)


def test_the_demo_command_without_serving_migrates_and_seeds(db):
    call_command("demo", "--no-serve", "--employees", "2", verbosity=0)

    assert OfficialAccount.objects.filter(handle="DmDausa").exists()
    assert Person.objects.filter(department__code="labour", user=None).count() == 2


def test_the_supervisor_notices_a_dead_child_and_stops_the_others():
    supervisor = Supervisor(dict(os.environ))
    supervisor.start("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    supervisor.start("quitter", [sys.executable, "-c", "raise SystemExit(3)"])

    assert supervisor.wait_until(lambda: False, timeout=30) is False
    assert supervisor.dead_child() == ("quitter", 3)

    supervisor.stop()
    assert all(process.poll() is not None for _name, process in supervisor.children)


def test_a_child_that_finishes_its_work_is_not_dead_and_starts_the_one_waiting_for_it(tmp_path):
    supervisor = Supervisor(dict(os.environ))
    supervisor.start("replay", [sys.executable, "-c", "pass"], finite=True)
    after = tmp_path / "after"
    script = f"import pathlib, time; pathlib.Path({str(after)!r}).touch(); time.sleep(60)"
    supervisor.start("worker", [sys.executable, "-c", script], after="replay")

    try:
        assert supervisor.wait_until(after.exists, timeout=30)
        assert [name for name, _process in supervisor.children] == ["replay", "worker"]
        assert supervisor.dead_child() is None
    finally:
        supervisor.stop()


def test_a_finite_child_that_fails_stops_the_demo():
    supervisor = Supervisor(dict(os.environ))
    supervisor.start("replay", [sys.executable, "-c", "raise SystemExit(2)"], finite=True)

    assert supervisor.wait_until(lambda: False, timeout=30) is False
    assert supervisor.dead_child() == ("replay", 2)
    supervisor.stop()


# --- the real thing: processes, ports and signals ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat from the state on (the name in brackets may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _descendants(root: int) -> set[tuple[int, str]]:
    """(pid, start time) of every process below root, so that a reused pid is not mistaken."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = (int(fields[1]), fields[19])
    found, frontier = set(), [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in parents.items():
            if ppid == parent:
                found.add((pid, started))
                frontier.append(pid)
    return found


def _alive(pid: int, started: str) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[19] == started and fields[0] != "Z"


def _get_home(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


@pytest.mark.slow
def test_the_demo_serves_the_landing_page_and_stops_every_process_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # its own SQLite
    env["SAMVAD_DATA_DIR"] = str(tmp_path)
    args = [sys.executable, "-m", "samvad", "demo", "--employees", "2"]
    args += ["--port", str(port), "--sandbox-port", str(_free_port())]
    with open(tmp_path / "demo.log", "w") as log:
        demo = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    log_text = (tmp_path / "demo.log").read_text
    try:
        # The welcome, with the demo password, is printed once the web server has answered the
        # demo itself; the replay goes on in the background.
        deadline = time.monotonic() + 180
        while "samvad-demo" not in log_text() and demo.poll() is None:
            assert time.monotonic() < deadline, "the demo did not answer in 180 s"
            time.sleep(0.25)
        assert _get_home(port) == 200, log_text()[-3000:]
        family = _descendants(demo.pid)
        assert len(family) >= 3  # gunicorn's master and two workers at least

        demo.send_signal(signal.SIGINT)

        assert demo.wait(timeout=20) == 0, log_text()[-3000:]
        assert not [pid for pid, started in family if _alive(pid, started)]
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
