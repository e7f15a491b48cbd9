"""Demo data: Dausa as the directive describes it, plus a small second district (Alwar) so that the
state view and the wall between districts can be shown.

Every name here is generated; none is a real person's. Seeding is idempotent: each row is looked up
by its natural key (a code, an employee code, a username, a handle), so running it again creates
nothing new and never resets what a demo visitor changed, except that it fills in missing rows.
"""

import io
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samvad.org.models import (
    Department,
    District,
    OfficialAccount,
    Person,
    Role,
    RoleAssignment,
    State,
)

# Only ever used for the demo's own accounts, which exist only in demo data.
DEMO_PASSWORD = "samvad-demo"


@dataclass(frozen=True)
class Dept:
    code: str
    abbr: str  # used in employee codes: DSA-PHED-0001
    name_hi: str
    name_en: str
    head_hi: str
    head_en: str
    engineering: bool = False


# The thirteen departments present at the meeting in the directive, in its order.
DIRECTIVE_DEPARTMENTS = [
    Dept("electricity", "JVVNL", "जयपुर विद्युत वितरण निगम लि. (विद्युत)",
         "Jaipur Vidyut Vitran Nigam Ltd (electricity)",
         "अधीक्षण अभियंता", "Superintending Engineer", engineering=True),
    Dept("pwd", "PWD", "सार्वजनिक निर्माण विभाग", "Public Works Department",
         "अधीक्षण अभियंता", "Superintending Engineer", engineering=True),
    Dept("health", "CMHO", "चिकित्सा एवं स्वास्थ्य विभाग", "Medical and Health Department",
         "मुख्य चिकित्सा एवं स्वास्थ्य अधिकारी", "Chief Medical and Health Officer"),
    Dept("planning", "PLAN", "आयोजना विभाग", "Planning Department",
         "मुख्य आयोजना अधिकारी", "Chief Planning Officer"),
    Dept("social-justice", "SJE", "सामाजिक न्याय एवं अधिकारिता विभाग",
         "Social Justice and Empowerment Department", "सहायक निदेशक", "Assistant Director"),
    Dept("phed", "PHED", "जन स्वास्थ्य अभियांत्रिकी विभाग (जलदाय)",
         "Public Health Engineering Department (water supply)",
         "अधिशासी अभियंता", "Executive Engineer", engineering=True),
    Dept("irrigation", "IRR", "जल संसाधन विभाग (सिंचाई)", "Water Resources Department (irrigation)",
         "अधिशासी अभियंता", "Executive Engineer", engineering=True),
    Dept("municipal", "NP", "नगर परिषद", "Municipal Council",
         "अधिशासी अभियंता", "Executive Engineer", engineering=True),
    Dept("wcd", "WCD", "महिला एवं बाल विकास विभाग", "Women and Child Development Department",
         "उप निदेशक", "Deputy Director"),
    Dept("women-empowerment", "WE", "महिला अधिकारिता विभाग", "Women Empowerment Department",
         "सहायक निदेशक", "Assistant Director"),
    Dept("agriculture", "AGRI", "कृषि विभाग", "Agriculture Department",
         "संयुक्त निदेशक", "Joint Director"),
    Dept("employment", "EMP", "रोजगार विभाग", "Employment Department",
         "जिला रोजगार अधिकारी", "District Employment Officer"),
    Dept("labour", "LAB", "श्रम विभाग", "Labour Department",
         "श्रम कल्याण अधिकारी", "Labour Welfare Officer"),
]  # fmt: skip

DIPR = Dept(
    "dipr",
    "DIPR",
    "सूचना एवं जनसम्पर्क कार्यालय",
    "Information and Public Relations Office (DIPR)",
    "उप निदेशक",
    "Deputy Director",
)
DOITC = Dept("doitc", "DOITC", "जिला कलक्टर कार्यालय एवं सूचना प्रौद्योगिकी एवं संचार विभाग",
             "Collectorate and Department of IT & Communication (DoIT&C)",
             "सिस्टम एनालिस्ट (संयुक्त निदेशक)", "System Analyst (Joint Director)")  # fmt: skip
DAUSA_DEPARTMENTS = [*DIRECTIVE_DEPARTMENTS, DIPR, DOITC]
ALWAR_DEPARTMENTS = [d for d in DIRECTIVE_DEPARTMENTS if d.code in ("phed", "health")]

# Common given names and surnames of the region. The officers named in the press note are left out
# so that no generated name is theirs.
GIVEN_NAMES = [
    "रमेश", "सुनीता", "महेश", "अनीता", "राजेन्द्र", "कविता", "मुकेश", "पूजा", "दिनेश", "सीमा",
    "सुरेश", "ममता", "राकेश", "रेखा", "हरिराम", "सरोज", "गोपाल", "मंजू", "कैलाश", "संतोष",
    "जगदीश", "प्रियंका", "विनोद", "नीलम", "ओमप्रकाश", "सुमन", "लक्ष्मीनारायण", "गीता", "हनुमान",
    "उषा", "बनवारी", "कमला", "प्रहलाद", "राधा", "मनोज", "शकुंतला", "घनश्याम", "किरण", "अशोक",
    "मीरा", "भरतलाल", "सपना", "रामकिशोर", "ज्योति", "विजय", "निर्मला", "सत्यनारायण", "अंजू",
]  # fmt: skip
SURNAMES = [
    "मीणा", "शर्मा", "गुर्जर", "बैरवा", "सैनी", "जांगिड़", "गुप्ता", "जैन", "यादव", "चौधरी",
    "महावर", "कुमावत", "प्रजापत", "अग्रवाल", "खंडेलवाल", "जाटव", "रैगर", "पारीक", "जोशी", "सिंह",
]  # fmt: skip
OFFICE_DESIGNATIONS = [
    "कनिष्ठ सहायक", "वरिष्ठ सहायक", "लिपिक", "सहायक प्रशासनिक अधिकारी", "सूचना सहायक",
]  # fmt: skip
ENGINEERING_DESIGNATIONS = ["कनिष्ठ अभियंता", "सहायक अभियंता", "तकनीकी सहायक"]

DEMO_LOGINS = [
    ("cmsdc", Role.STATE_OBSERVER.label,
     _("Director (CM-SDC), Rajasthan: orders the campaign and watches every district.")),
    ("adc", Role.DISTRICT_ADMIN.label,
     _("Additional District Collector, Dausa: runs the campaign and the official account.")),
    ("sysanalyst", Role.DISTRICT_ADMIN.label,
     _("System Analyst, DoIT&C Dausa: trains the officers and runs the technical side.")),
    ("dipr", Role.EDITOR.label,
     _("Deputy Director, DIPR Dausa: reviews, approves and publishes posts.")),
    ("officer-phed", Role.OFFICER.label,
     _("Executive Engineer, water supply (PHED). Every department has one: officer-<code>.")),
    ("officer-electricity", Role.OFFICER.label,
     _("Superintending Engineer, electricity (JVVNL): answers citizens' questions on power.")),
    ("employee", Role.EMPLOYEE.label,
     _("An employee of water supply (PHED): follows and reposts the official account.")),
    ("alwar-admin", Role.DISTRICT_ADMIN.label,
     _("District admin of Alwar: sees only Alwar, never Dausa.")),
]  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    district: str  # code; "" for the state observer
    department: str  # code; "" when the role is held district-wide
    designation: str
    person_department: str = ""  # where the person sits, if not the role's department
    number: int = 9001  # employee-code number; users sit above the generated staff


def _demo_users() -> list[DemoUser]:
    users = [
        DemoUser("cmsdc", Role.STATE_OBSERVER, "", "", "निदेशक (सीएम-एसडीसी)"),
        DemoUser("adc", Role.DISTRICT_ADMIN, "dausa", "", "अतिरिक्त जिला कलक्टर",
                 person_department="doitc"),
        DemoUser("sysanalyst", Role.DISTRICT_ADMIN, "dausa", "", DOITC.head_hi,
                 person_department="doitc", number=9002),
        DemoUser("dipr", Role.EDITOR, "dausa", "", DIPR.head_hi, person_department="dipr"),
        DemoUser("employee", Role.EMPLOYEE, "dausa", "phed", "कनिष्ठ सहायक", number=9002),
        DemoUser("alwar-admin", Role.DISTRICT_ADMIN, "alwar", "", "अतिरिक्त जिला कलक्टर"),
    ]  # fmt: skip
    users += [
        DemoUser(f"officer-{d.code}", Role.OFFICER, "dausa", d.code, d.head_hi)
        for d in DIRECTIVE_DEPARTMENTS
    ]
    return users


DISTRICT_PREFIX = {"dausa": "DSA", "alwar": "ALW"}

# Department accounts are invented for the demo; @DmDausa is the one the directive names.
ACCOUNTS = [
    ("DmDausa", "dausa", ""),
    ("DausaPHED", "dausa", "phed"),
    ("DausaHealth", "dausa", "health"),
    ("JVVNLDausa", "dausa", "electricity"),
    ("DmAlwar", "alwar", ""),
]


class _Counter(dict):
    def add(self, kind: str, created: bool) -> None:
        self[kind] = self.get(kind, 0) + int(created)


def _rng(seed: int, *parts: str) -> random.Random:
    # A string seed is hashed with SHA-512, so the sequence is the same in every process and run.
    return random.Random("-".join([str(seed), *parts]))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}"


def _dept(department: Department | None) -> Dept | None:
    if department is None:
        return None
    return next(d for d in DAUSA_DEPARTMENTS if d.code == department.code)


def _user_names(seed: int) -> dict[str, str]:
    """A distinct name for each demo user, so that two officers are never confused on screen."""
    rng, names = _rng(seed, "users"), {}
    for spec in _demo_users():
        while (name := _name(rng)) in names.values():
            pass
        names[spec.username] = name
    return names


def employee_code(district: str, dept: Dept | None, number: int) -> str:
    abbr = dept.abbr if dept else "DIST"
    return f"{DISTRICT_PREFIX[district]}-{abbr}-{number:04d}"


def _seed_places(counter: _Counter) -> tuple[State, dict[str, District], dict]:
    state, created = State.objects.get_or_create(
        code="rajasthan", defaults={"name_hi": "राजस्थान", "name_en": "Rajasthan"}
    )
    counter.add("states", created)
    districts, departments = {}, {}
    for code, name_hi, name_en, depts in [
        ("dausa", "दौसा", "Dausa", DAUSA_DEPARTMENTS),
        ("alwar", "अलवर", "Alwar", ALWAR_DEPARTMENTS),
    ]:
        district, created = District.objects.get_or_create(
            code=code, defaults={"state": state, "name_hi": name_hi, "name_en": name_en}
        )
        counter.add("districts", created)
        districts[code] = district
        for d in depts:
            department, created = Department.objects.get_or_create(
                district=district,
                code=d.code,
                defaults={
                    "name_hi": d.name_hi,
                    "name_en": d.name_en,
                    "head_designation_hi": d.head_hi,
                    "head_designation_en": d.head_en,
                },
            )
            counter.add("departments", created)
            departments[code, d.code] = department
    return state, districts, departments


def _seed_user(spec: DemoUser, name: str, state, districts, departments, counter) -> Person | None:
    user, created = get_user_model().objects.get_or_create(
        username=spec.username,
        defaults={"email": f"{spec.username}@demo.samvad.invalid", "language": "hi"},
    )
    counter.add("users", created)
    if created:
        # Only a new user gets the password, so a re-seed never undoes a visitor's change.
        user.first_name = name
        user.set_password(DEMO_PASSWORD)
        user.save()
    district = districts.get(spec.district)
    department = departments.get((spec.district, spec.department))
    scope = {"state": state} if spec.role == Role.STATE_OBSERVER else {"district": district}
    _, created = RoleAssignment.objects.get_or_create(
        user=user, role=spec.role, department=department, **scope
    )
    counter.add("roles", created)
    if district is None:
        return None  # a Person belongs to a district; the state observer is only a user
    sits_in = departments.get((spec.district, spec.person_department or spec.department))
    person, created = Person.objects.get_or_create(
        district=district,
        employee_code=employee_code(spec.district, _dept(sits_in), spec.number),
        defaults={
            "department": sits_in,
            "user": user,
            "name": name,
            "designation": spec.designation,
            "email": user.email,
        },
    )
    counter.add("people", created)
    return person


def _seed_staff(district: District, departments, per_department: int, seed: int) -> int:
    """Staff without user accounts, as a department's Excel list would bring them in."""
    rows = []
    for (district_code, _code), department in departments.items():
        if district_code != district.code:
            continue
        dept = _dept(department)
        rng = _rng(seed, district.code, dept.code)
        designations = OFFICE_DESIGNATIONS + (ENGINEERING_DESIGNATIONS if dept.engineering else [])
        for number in range(1, per_department + 1):
            rows.append(
                Person(
                    district=district,
                    department=department,
                    name=_name(rng),
                    designation=rng.choice(designations),
                    employee_code=employee_code(district.code, dept, number),
                )
            )
    before = Person.objects.filter(district=district).count()
    Person.objects.bulk_create(rows, ignore_conflicts=True)
    return Person.objects.filter(district=district).count() - before


def _seed_accounts(districts, departments, owners: dict[str, Person], counter) -> None:
    for handle, district_code, department_code in ACCOUNTS:
        department = departments.get((district_code, department_code))
        if department_code:
            owner = owners.get(f"officer-{department_code}")
        else:
            owner = owners.get("dipr" if district_code == "dausa" else "alwar-admin")
        _, created = OfficialAccount.objects.get_or_create(
            handle=handle,
            defaults={"district": districts[district_code], "department": department,
                      "owner": owner},
        )  # fmt: skip
        counter.add("accounts", created)


@transaction.atomic
def seed_dausa(*, employees_per_department: int = 25, seed: int = 7) -> dict:
    """Create the demo's state, districts, departments, users, staff and official accounts.

    Returns how many rows of each kind this run created (all zero on a second run).
    """
    counter = _Counter.fromkeys(
        ["states", "districts", "departments", "users", "roles", "people", "accounts"], 0
    )
    state, districts, departments = _seed_places(counter)
    owners, names = {}, _user_names(seed)
    for spec in _demo_users():
        if person := _seed_user(spec, names[spec.username], state, districts, departments, counter):
            owners[spec.username] = person
    for district in districts.values():
        counter["people"] += _seed_staff(district, departments, employees_per_department, seed)
    _seed_accounts(districts, departments, owners, counter)
    from samvad.inbox.services import seed_routing_rules  # the inbox's suggested keywords

    seed_routing_rules(districts["dausa"])
    return dict(counter)


# The sandbox's clock runs this many times faster in the demo, so that followers come and go
# within minutes (an hour of X in a minute).
DEMO_CLOCK_FACTOR = 60
DEMO_DAILY_BUDGET_INR = 10_000


def connect_demo_accounts(sandbox_data: str, base_url: str) -> None:
    """Connect Dausa's official accounts to the local X sandbox with tokens it issues, through
    `samvad x connect`, as an operator would connect a real account with a token file."""
    import json
    import tempfile

    from django.conf import settings
    from django.core.management import call_command

    from samvad.xsandbox.control import user_token
    from samvad.xsandbox.store import Store

    settings.SAMVAD_X_API_BASE_URL = base_url
    unconnected = OfficialAccount.objects.filter(district__code="dausa").exclude(
        x_connection__status="connected"
    )
    store = Store(sandbox_data)
    try:
        for account in unconnected:
            answer = user_token(store, store.create_user(account.handle), ttl=None)
            with tempfile.NamedTemporaryFile("w", suffix=".json") as token_file:
                json.dump(answer, token_file)
                token_file.flush()
                call_command(
                    "x",
                    "connect",
                    "--account",
                    account.handle,
                    "--token-file",
                    token_file.name,
                    stdout=io.StringIO(),
                )
    finally:
        store.close()


def start_demo_campaign(base_url: str) -> None:
    """Start the 15-day campaign with its first days lived on the sandbox's world, then speed the
    sandbox's clock up for the live demo."""
    import httpx

    from samvad.demo.campaign import replay_history, seed_campaign
    from samvad.platforms.x.models import DistrictBudget

    dausa = District.objects.get(code="dausa")
    # Ten days are replayed in one real day, and X bills by the real day: the demo's district
    # allows itself what those days cost.
    DistrictBudget.objects.get_or_create(
        district=dausa, defaults={"daily_inr": DEMO_DAILY_BUDGET_INR}
    )
    campaign = seed_campaign(dausa)
    replay_history(campaign, base_url, by=get_user_model().objects.get(username="dipr"))
    httpx.post(f"{base_url}/_sandbox/clock", json={"factor": DEMO_CLOCK_FACTOR}, timeout=10)
