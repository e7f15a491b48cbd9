"""Synthetic data at district, state and nation scale, for benchmarks and capacity estimates.

`samvad generate` runs the org part (below) first, then each installed app's generator in
samvad/demo/generators/ (`APP_GENERATORS`), in INSTALLED_APPS order (or the order of the app
labels in `settings.SAMVAD_GENERATORS`). An app's generator reads the scale and the ids made so
far from `ctx` and writes its rows through `ctx.copy_rows(Model, fields, rows)`, where `rows` is
an iterable of tuples in the order of `fields` (field names or attnames such as "district_id"):
COPY on PostgreSQL, large executemany batches elsewhere. Rows are produced by generators, so a
million people are never a million objects in memory.

Every app gets its own random.Random seeded from the seed and its label, so that adding a generator
to one app never changes the data of another. The same seed and end date give the same data.
An app may also define `estimate(scale) -> {model label: rows}` for `--dry-run`.
"""

import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from random import Random
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

from samvad.demo.dausa import (
    DAUSA_DEPARTMENTS,
    ENGINEERING_DESIGNATIONS,
    GIVEN_NAMES,
    OFFICE_DESIGNATIONS,
    SURNAMES,
    Dept,
)
from samvad.org.models import (
    Department,
    District,
    Invitation,
    OfficialAccount,
    Person,
    Role,
    RoleAssignment,
    State,
    User,
)


@dataclass(frozen=True)
class Scale:
    name: str
    states: int
    districts: int
    departments: int  # in all, spread evenly over the districts
    people: int  # staff in all, spread evenly over the districts
    posts: int  # published posts in all, spread over `days`
    days: int  # of daily history (snapshots), ending at ctx.today
    department_accounts: int  # per district, besides the district's own account
    followers: int  # of all the district accounts together
    handle_share: float  # share of staff who register an X handle


SCALES = {
    # For tests only; hidden from --help.
    "tiny": Scale("tiny", 1, 2, 6, 60, 40, 7, 1, 200, 0.5),
    "district": Scale("district", 1, 1, 60, 5_000, 24_000, 730, 4, 25_000, 0.6),
    "state": Scale("state", 1, 41, 2_000, 1_000_000, 500_000, 365, 4, 1_000_000, 0.2),
    # 780 districts at the state's density per district (1,000,000 / 41 staff and so on).
    "nation": Scale("nation", 36, 780, 38_000, 19_000_000, 9_500_000, 365, 4, 19_000_000, 0.2),
}

USERS_PER_DISTRICT = 6  # an admin, an editor, three officers and an employee
GENERATED_USER_PREFIX = "gen-"
TIME_ZONE = ZoneInfo("Asia/Kolkata")


@dataclass
class Context:
    """What a generator needs: the scale, its own seeded random, the ids made so far, a writer."""

    scale: Scale
    seed: int
    today: date
    writer: Callable  # (model, fields, rows) -> number of rows written
    random: Random = field(default_factory=Random)
    counts: Counter = field(default_factory=Counter)  # model label -> rows written
    state_ids: list[int] = field(default_factory=list)
    district_ids: list[int] = field(default_factory=list)
    departments: dict[int, list[int]] = field(default_factory=dict)  # district -> departments
    people: dict[int, range] = field(default_factory=dict)  # department -> person ids
    district_people: dict[int, range] = field(default_factory=dict)  # district -> person ids
    district_accounts: dict[int, int] = field(default_factory=dict)  # district -> account
    department_accounts: dict[int, int] = field(default_factory=dict)  # department -> account
    user_ids: dict[str, int] = field(default_factory=dict)  # username -> id (gen-dausa-admin)

    def copy_rows(self, model: type[Model], fields: list[str], rows: Iterable[tuple]) -> int:
        fields, rows = with_defaults(model, list(fields), iter(rows))
        written = self.writer(model, fields, rows)
        self.counts[model._meta.label] += written
        return written

    def next_id(self, model: type[Model]) -> int:
        """The first free primary key, for generators that set ids themselves (and so know them)."""
        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    @property
    def start(self) -> date:
        return self.today - timedelta(days=self.scale.days - 1)

    def moment(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=TIME_ZONE)


def with_defaults(model, fields: list[str], rows: Iterator[tuple]) -> tuple[list, Iterator]:
    """Add the model's other required fields with their defaults: COPY and INSERT leave any
    column unnamed NULL, and a field added to a model later must not break its generator."""
    named = {model._meta.get_field(name).attname for name in fields}
    missing = [f for f in model._meta.concrete_fields
               if f.attname not in named and not f.null and f.has_default()]  # fmt: skip
    if not missing:
        return fields, rows
    defaults = tuple(f.get_default() for f in missing)
    return [*fields, *(f.attname for f in missing)], (row + defaults for row in rows)


# Writers -----------------------------------------------------------------------------------------

BATCH = 10_000


def _adapters(model, fields) -> tuple[list[str], list[Callable | None]]:
    columns, adapters = [], []
    for name in fields:
        f = model._meta.get_field(name)
        columns.append(f.column)
        kind = f.get_internal_type()
        if kind == "JSONField":
            adapters.append(lambda v, f=f: f.get_db_prep_value(v, connection))
        elif connection.vendor == "postgresql":
            adapters.append(None)  # psycopg adapts dates, datetimes and decimals in COPY itself
        elif kind == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        else:
            adapters.append(None)
    return columns, adapters


def _adapted(rows: Iterator[tuple], adapters: list) -> Iterator[tuple]:
    if not any(adapters):
        return rows
    pairs = list(enumerate(adapters))
    return (
        tuple(a(row[i]) if a and row[i] is not None else row[i] for i, a in pairs) for row in rows
    )


def _reset_sequence(model, fields) -> None:
    # Rows that brought their own ids leave the id sequence behind; later inserts must not collide.
    if model._meta.pk.name in fields or model._meta.pk.attname in fields:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)


def bulk_writer(model, fields, rows: Iterator[tuple]) -> int:
    """COPY on PostgreSQL, executemany in batches of BATCH elsewhere."""
    columns, adapters = _adapters(model, fields)
    rows = _adapted(rows, adapters)
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            # Table and column names come from the models, quoted; values are parameters.
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            while batch := list(islice(rows, BATCH)):
                cursor.executemany(sql, batch)
                written += len(batch)
    _reset_sequence(model, fields)
    return written


class SampleFull(Exception):
    """Raised by an ORM writer once it has saved the rows it was asked for."""


class OrmWriter:
    """The naive path, one `Model(...).save()` per row: the baseline the benchmark compares to.
    Raises SampleFull once `limit` rows are saved; `saved` counts them."""

    def __init__(self, limit: int | None = None):
        self.limit, self.saved = limit, 0

    def __call__(self, model, fields, rows: Iterator[tuple]) -> int:
        written = 0
        for row in rows:
            if self.limit is not None and self.saved >= self.limit:
                raise SampleFull
            model(**dict(zip(fields, row, strict=True))).save(force_insert=True)
            self.saved += 1
            written += 1
        _reset_sequence(model, fields)
        return written


# Discovery and running ---------------------------------------------------------------------------


# App label: the module with its generate(ctx) (and estimate(scale)), for the apps that have one.
APP_GENERATORS = {
    "org": __name__,
    "content": "samvad.demo.generators.content",
    "x": "samvad.demo.generators.x",
    "advocacy": "samvad.demo.generators.advocacy",
    "campaigns": "samvad.demo.generators.campaigns",
}


def generators(only: Iterable[str] | None = None) -> list[tuple[str, object]]:
    """(app label, module) for org and every installed app that has a generator."""
    installed = [c.label for c in apps.get_app_configs()]
    order = ["org", *(label for label in settings.SAMVAD_GENERATORS or installed if label != "org")]
    return [
        (label, importlib.import_module(APP_GENERATORS[label]))
        for label in order
        if label in APP_GENERATORS and label in installed and (only is None or label in only)
    ]


def make_context(scale: Scale, *, seed: int = 1, today: date | None = None, writer=None):
    return Context(
        scale=scale,
        seed=seed,
        today=today or date.today(),
        writer=writer or bulk_writer,
    )


def run_generators(ctx: Context, modules, report: Callable | None = None) -> None:
    """Run each app's generator in turn; `report(label, rows, seconds)` after each."""
    from time import perf_counter

    for label, module in modules:
        ctx.random = Random(f"{ctx.seed}:{label}")
        before, started = sum(ctx.counts.values()), perf_counter()
        module.generate(ctx)
        if report:
            report(label, sum(ctx.counts.values()) - before, perf_counter() - started)


def has_data() -> bool:
    return District.objects.exists()


def reset() -> None:
    """Delete the organisation, everything that refers to it, and the generated users."""
    models = [State, District, Department, Person, RoleAssignment, OfficialAccount, Invitation]
    tables = [m._meta.db_table for m in models]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    User.objects.filter(username__startswith=GENERATED_USER_PREFIX).delete()


# Estimates for --dry-run -------------------------------------------------------------------------

# Bytes per row with indexes and ORM overhead on disk, measured on PostgreSQL 15 at state scale
# (org) or estimated from the expected row shape (the rest); see docs/performance.md.
BYTES_PER_ROW = {
    "org.Person": 280,
    # Measured at state scale (pg_total_relation_size / rows), docs/performance.md.
    "content.Post": 840,
    "campaigns.PostMetrics": 450,
    "campaigns.PostMetricDay": 155,
    "campaigns.AccountDay": 160,
    "campaigns.AccountSnapshot": 130,
    "campaigns.DepartmentDay": 170,
    "advocacy.StaffHandle": 295,
    "advocacy.Follower": 120,
    "advocacy.StaffRepost": 140,
    "advocacy.DepartmentSnapshot": 140,
    "content: posts": 1_500,
    "campaigns: account snapshots (daily)": 120,
    "campaigns: post metric snapshots (30 days a post)": 120,
    "advocacy: staff handles": 160,
    "advocacy: followers of district accounts": 110,
}
DEFAULT_BYTES_PER_ROW = 300
# Rows a second that COPY sustains on this machine (2 cores) for the org tables at state scale.
ROWS_PER_SECOND = 60_000


def estimate(scale: Scale) -> dict[str, int]:
    """The org rows that generate() writes at this scale."""
    users = scale.districts * USERS_PER_DISTRICT + scale.states
    return {
        "org.State": scale.states,
        "org.District": scale.districts,
        "org.Department": scale.departments,
        "org.User": users,
        "org.RoleAssignment": users,
        "org.Person": scale.people,
        "org.OfficialAccount": scale.districts * (1 + scale.department_accounts),
    }


def planned_rows(scale: Scale) -> dict[str, dict[str, int]]:
    """Rows that the apps still being built will generate, by app label, until they estimate
    their own: the shape that the benchmarks of issues 4, 5 and 6 ask for."""
    accounts = scale.districts * (1 + scale.department_accounts)
    return {
        "content": {"content: posts": scale.posts},
        "campaigns": {
            "campaigns: account snapshots (daily)": accounts * scale.days,
            "campaigns: post metric snapshots (30 days a post)": scale.posts * min(30, scale.days),
        },
        "advocacy": {
            "advocacy: staff handles": int(scale.people * scale.handle_share),
            "advocacy: followers of district accounts": scale.followers,
        },
    }


def dry_run(scale: Scale) -> list[tuple[str, int, int]]:
    """(table, rows, estimated bytes) for everything `generate` would write at this scale."""
    rows = dict(estimate(scale))
    plugged = dict(generators())
    for label, planned in planned_rows(scale).items():
        module = plugged.get(label)
        rows.update(module.estimate(scale) if hasattr(module, "estimate") else planned)
    for label, module in plugged.items():
        if label != "org" and label not in planned_rows(scale) and hasattr(module, "estimate"):
            rows.update(module.estimate(scale))
    return [
        (name, n, n * BYTES_PER_ROW.get(name, DEFAULT_BYTES_PER_ROW)) for name, n in rows.items()
    ]


# The org part ------------------------------------------------------------------------------------

# Rajasthan's 41 districts since 2025 (the nine created in 2023 and abolished in December 2024
# are not here): code, code for employee codes, Hindi, English.
RAJASTHAN_DISTRICTS = [
    ("ajmer", "AJM", "अजमेर", "Ajmer"),
    ("alwar", "ALW", "अलवर", "Alwar"),
    ("balotra", "BLT", "बालोतरा", "Balotra"),
    ("banswara", "BSW", "बांसवाड़ा", "Banswara"),
    ("baran", "BRN", "बारां", "Baran"),
    ("barmer", "BMR", "बाड़मेर", "Barmer"),
    ("beawar", "BWR", "ब्यावर", "Beawar"),
    ("bharatpur", "BHR", "भरतपुर", "Bharatpur"),
    ("bhilwara", "BHL", "भीलवाड़ा", "Bhilwara"),
    ("bikaner", "BKN", "बीकानेर", "Bikaner"),
    ("bundi", "BUN", "बूंदी", "Bundi"),
    ("chittorgarh", "CTG", "चित्तौड़गढ़", "Chittorgarh"),
    ("churu", "CHU", "चूरू", "Churu"),
    ("dausa", "DSA", "दौसा", "Dausa"),
    ("deeg", "DEG", "डीग", "Deeg"),
    ("dholpur", "DHP", "धौलपुर", "Dholpur"),
    ("didwana-kuchaman", "DDK", "डीडवाना-कुचामन", "Didwana-Kuchaman"),
    ("dungarpur", "DNG", "डूंगरपुर", "Dungarpur"),
    ("hanumangarh", "HMG", "हनुमानगढ़", "Hanumangarh"),
    ("jaipur", "JPR", "जयपुर", "Jaipur"),
    ("jaisalmer", "JSM", "जैसलमेर", "Jaisalmer"),
    ("jalore", "JLR", "जालोर", "Jalore"),
    ("jhalawar", "JLW", "झालावाड़", "Jhalawar"),
    ("jhunjhunu", "JJN", "झुंझुनूं", "Jhunjhunu"),
    ("jodhpur", "JDH", "जोधपुर", "Jodhpur"),
    ("karauli", "KRL", "करौली", "Karauli"),
    ("khairthal-tijara", "KTT", "खैरथल-तिजारा", "Khairthal-Tijara"),
    ("kota", "KOT", "कोटा", "Kota"),
    ("kotputli-behror", "KPB", "कोटपूतली-बहरोड़", "Kotputli-Behror"),
    ("nagaur", "NGR", "नागौर", "Nagaur"),
    ("pali", "PAL", "पाली", "Pali"),
    ("phalodi", "PHL", "फलोदी", "Phalodi"),
    ("pratapgarh", "PTG", "प्रतापगढ़", "Pratapgarh"),
    ("rajsamand", "RJS", "राजसमंद", "Rajsamand"),
    ("salumber", "SLB", "सलूम्बर", "Salumber"),
    ("sawai-madhopur", "SWM", "सवाई माधोपुर", "Sawai Madhopur"),
    ("sikar", "SKR", "सीकर", "Sikar"),
    ("sirohi", "SRH", "सिरोही", "Sirohi"),
    ("sri-ganganagar", "SGN", "श्रीगंगानगर", "Sri Ganganagar"),
    ("tonk", "TNK", "टोंक", "Tonk"),
    ("udaipur", "UDR", "उदयपुर", "Udaipur"),
]

# The departments of a district office after the demo's fifteen, to make about sixty.
MORE_DEPARTMENTS = [
    Dept("revenue", "REV", "राजस्व विभाग", "Revenue Department",
         "अतिरिक्त जिला कलक्टर", "Additional District Collector"),
    Dept("police", "POL", "पुलिस विभाग", "Police Department",
         "पुलिस अधीक्षक", "Superintendent of Police"),
    Dept("elementary-education", "EEDU", "प्रारम्भिक शिक्षा विभाग", "Elementary Education",
         "मुख्य जिला शिक्षा अधिकारी", "Chief District Education Officer"),
    Dept("secondary-education", "SEDU", "माध्यमिक शिक्षा विभाग", "Secondary Education",
         "मुख्य जिला शिक्षा अधिकारी", "Chief District Education Officer"),
    Dept("college-education", "CEDU", "कॉलेज शिक्षा विभाग", "College Education",
         "प्राचार्य", "Principal"),
    Dept("zila-parishad", "ZP", "जिला परिषद", "Zila Parishad",
         "मुख्य कार्यकारी अधिकारी", "Chief Executive Officer"),
    Dept("rural-development", "RD", "ग्रामीण विकास विभाग", "Rural Development Department",
         "परियोजना निदेशक", "Project Director"),
    Dept("panchayati-raj", "PR", "पंचायती राज विभाग", "Panchayati Raj Department",
         "विकास अधिकारी", "Block Development Officer"),
    Dept("food-supply", "DSO", "खाद्य एवं नागरिक आपूर्ति विभाग", "Food and Civil Supplies",
         "जिला रसद अधिकारी", "District Supply Officer"),
    Dept("cooperative", "COOP", "सहकारिता विभाग", "Cooperative Department",
         "उप रजिस्ट्रार", "Deputy Registrar"),
    Dept("animal-husbandry", "AH", "पशुपालन विभाग", "Animal Husbandry Department",
         "संयुक्त निदेशक", "Joint Director"),
    Dept("horticulture", "HORT", "उद्यान विभाग", "Horticulture Department",
         "उप निदेशक", "Deputy Director"),
    Dept("forest", "FOR", "वन विभाग", "Forest Department",
         "उप वन संरक्षक", "Deputy Conservator of Forests"),
    Dept("mines", "MINE", "खान एवं भू-विज्ञान विभाग", "Mines and Geology Department",
         "खनि अभियंता", "Mining Engineer", engineering=True),
    Dept("industries", "DIC", "जिला उद्योग एवं वाणिज्य केन्द्र", "District Industries Centre",
         "महाप्रबंधक", "General Manager"),
    Dept("transport", "DTO", "परिवहन विभाग", "Transport Department",
         "जिला परिवहन अधिकारी", "District Transport Officer"),
    Dept("tourism", "TOUR", "पर्यटन विभाग", "Tourism Department", "उप निदेशक", "Deputy Director"),
    Dept("devasthan", "DEV", "देवस्थान विभाग", "Devasthan Department",
         "सहायक आयुक्त", "Assistant Commissioner"),
    Dept("minority-affairs", "MIN", "अल्पसंख्यक मामलात विभाग", "Minority Affairs Department",
         "जिला अल्पसंख्यक कल्याण अधिकारी", "District Minority Welfare Officer"),
    Dept("tribal-area", "TAD", "जनजाति क्षेत्रीय विकास विभाग", "Tribal Area Development",
         "परियोजना अधिकारी", "Project Officer"),
    Dept("ayurveda", "AYU", "आयुर्वेद विभाग", "Ayurveda Department", "उप निदेशक", "Deputy Director"),
    Dept("sports", "SPT", "खेल विभाग", "Sports Department",
         "जिला खेल अधिकारी", "District Sports Officer"),
    Dept("nyk", "NYK", "नेहरू युवा केन्द्र", "Nehru Yuva Kendra",
         "जिला युवा अधिकारी", "District Youth Officer"),
    Dept("treasury", "TRE", "कोष एवं लेखा विभाग", "Treasury and Accounts",
         "मुख्य कोषाधिकारी", "Chief Treasury Officer"),
    Dept("commercial-tax", "CT", "वाणिज्यिक कर विभाग", "Commercial Taxes Department",
         "उपायुक्त", "Deputy Commissioner"),
    Dept("excise", "EXC", "आबकारी विभाग", "Excise Department",
         "जिला आबकारी अधिकारी", "District Excise Officer"),
    Dept("registration", "REG", "पंजीयन एवं मुद्रांक विभाग", "Registration and Stamps",
         "उप पंजीयक", "Sub-Registrar"),
    Dept("statistics", "STAT", "आर्थिक एवं सांख्यिकी विभाग", "Economics and Statistics",
         "उप निदेशक", "Deputy Director"),
    Dept("land-records", "LR", "भू-अभिलेख विभाग", "Land Records Department",
         "तहसीलदार (भू-अभिलेख)", "Tehsildar (Land Records)"),
    Dept("elections", "ELEC", "निर्वाचन विभाग", "Election Department",
         "उप जिला निर्वाचन अधिकारी", "Deputy District Election Officer"),
    Dept("civil-defence", "CD", "नागरिक सुरक्षा विभाग", "Civil Defence",
         "उप नियंत्रक", "Deputy Controller"),
    Dept("home-guards", "HG", "गृह रक्षा विभाग", "Home Guards", "समादेष्टा", "Commandant"),
    Dept("fire", "FIRE", "अग्निशमन सेवा", "Fire Services",
         "मुख्य अग्निशमन अधिकारी", "Chief Fire Officer"),
    Dept("ground-water", "GW", "भू-जल विभाग", "Ground Water Department",
         "वरिष्ठ भू-जल वैज्ञानिक", "Senior Hydrogeologist", engineering=True),
    Dept("watershed", "WSD", "जलग्रहण विकास एवं भू-संरक्षण विभाग",
         "Watershed Development and Soil Conservation",
         "अधीक्षण अभियंता", "Superintending Engineer", engineering=True),
    Dept("rsldc", "RSLDC", "राजस्थान कौशल एवं आजीविका विकास निगम",
         "Rajasthan Skill and Livelihoods Development Corporation",
         "जिला कौशल समन्वयक", "District Skill Coordinator"),
    Dept("rajeevika", "RAJ", "राजीविका (ग्रामीण आजीविका)", "Rajeevika (rural livelihoods)",
         "जिला परियोजना प्रबंधक", "District Project Manager"),
    Dept("uit", "UIT", "नगर विकास न्यास", "Urban Improvement Trust", "सचिव", "Secretary",
         engineering=True),
    Dept("housing-board", "RHB", "राजस्थान आवासन मण्डल", "Rajasthan Housing Board",
         "आवासीय अभियंता", "Resident Engineer", engineering=True),
    Dept("roadways", "RSRTC", "राजस्थान राज्य पथ परिवहन निगम", "Rajasthan Roadways (RSRTC)",
         "मुख्य प्रबंधक", "Chief Manager"),
    Dept("legal-aid", "DLSA", "जिला विधिक सेवा प्राधिकरण", "District Legal Services Authority",
         "सचिव", "Secretary"),
    Dept("child-rights", "CR", "बाल अधिकारिता विभाग", "Child Rights Department",
         "सहायक निदेशक", "Assistant Director"),
    Dept("sanskrit-education", "SKT", "संस्कृत शिक्षा विभाग", "Sanskrit Education",
         "जिला शिक्षा अधिकारी", "District Education Officer"),
    Dept("library", "LIB", "भाषा एवं पुस्तकालय विभाग", "Language and Library Department",
         "पुस्तकालयाध्यक्ष", "Librarian"),
    Dept("dairy", "DAIRY", "जिला दुग्ध उत्पादक सहकारी संघ", "District Milk Producers' Union",
         "प्रबंध संचालक", "Managing Director"),
    Dept("mandi", "APMC", "कृषि उपज मण्डी समिति", "Agricultural Produce Market Committee",
         "सचिव", "Secretary"),
    Dept("disaster-relief", "DMR", "आपदा प्रबंधन एवं सहायता विभाग",
         "Disaster Management and Relief",
         "अतिरिक्त जिला कलक्टर", "Additional District Collector"),
]  # fmt: skip
DEPARTMENTS = [*DAUSA_DEPARTMENTS, *MORE_DEPARTMENTS]


@dataclass(frozen=True)
class Place:
    code: str
    abbr: str
    name_hi: str
    name_en: str


def states(scale: Scale) -> list[Place]:
    rajasthan = Place("rajasthan", "RJ", "राजस्थान", "Rajasthan")
    others = [Place(f"state-{n:02d}", f"S{n:02d}", f"राज्य {n:02d}", f"State {n:02d}")
              for n in range(2, scale.states + 1)]  # fmt: skip
    return [rajasthan, *others]


def districts(scale: Scale) -> list[Place]:
    """The district scale is Dausa, the directive's; larger scales take Rajasthan's 41 in order,
    then numbered districts elsewhere in the country."""
    real = [Place(*row) for row in RAJASTHAN_DISTRICTS]
    if scale.districts == 1:
        return [p for p in real if p.code == "dausa"]
    more = [Place(f"district-{n:03d}", f"D{n:03d}", f"जिला {n:03d}", f"District {n:03d}")
            for n in range(len(real) + 1, scale.districts + 1)]  # fmt: skip
    return (real + more)[: scale.districts]


def split(total: int, parts: int) -> list[int]:
    """`total` in `parts` near-equal whole shares, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


def weighted_split(total: int, weights: list[float]) -> list[int]:
    """`total` in whole shares proportional to `weights`, summing exactly to `total`."""
    shares, cumulative, given, whole = [], 0.0, 0, sum(weights)
    for w in weights:
        cumulative += w
        upto = round(total * cumulative / whole)
        shares.append(upto - given)
        given = upto
    return shares


def district_handle(place: Place) -> str:
    return ("Dm" + "".join(ch for ch in place.name_en if ch.isalnum()))[:15]


def generate(ctx: Context) -> None:
    scale, now = ctx.scale, ctx.moment(ctx.start, 9)
    state_places, district_places = states(scale), districts(scale)
    first_state = ctx.next_id(State)
    ctx.state_ids = [first_state + i for i in range(len(state_places))]
    ctx.copy_rows(State, ["id", "code", "name_hi", "name_en"], (
        (ctx.state_ids[i], p.code, p.name_hi, p.name_en) for i, p in enumerate(state_places)
    ))  # fmt: skip

    # Rajasthan holds its 41; any further districts go round the other states.
    def state_of(i: int) -> int:
        if i < len(RAJASTHAN_DISTRICTS) or len(ctx.state_ids) == 1:
            return ctx.state_ids[0]
        return ctx.state_ids[1 + i % (len(ctx.state_ids) - 1)]

    first_district = ctx.next_id(District)
    ctx.district_ids = [first_district + i for i in range(len(district_places))]
    ctx.copy_rows(District, ["id", "state_id", "code", "name_hi", "name_en"], (
        (ctx.district_ids[i], state_of(i), p.code, p.name_hi, p.name_en)
        for i, p in enumerate(district_places)
    ))  # fmt: skip

    per_district = split(scale.departments, scale.districts)
    if max(per_district) > len(DEPARTMENTS):
        raise ValueError(f"at most {len(DEPARTMENTS)} departments a district")
    _departments(ctx, per_district)
    _users(ctx, district_places, now)
    _people(ctx, district_places)
    _roles(ctx, district_places, now)
    _accounts(ctx, district_places)


def _departments(ctx: Context, per_district: list[int]) -> None:
    next_id = ctx.next_id(Department)
    rows = []
    for district_id, count in zip(ctx.district_ids, per_district, strict=True):
        ctx.departments[district_id] = list(range(next_id, next_id + count))
        rows += [(next_id + i, district_id, d.code, d.name_hi, d.name_en, d.head_hi, d.head_en)
                 for i, d in enumerate(DEPARTMENTS[:count])]  # fmt: skip
        next_id += count
    fields = ["id", "district_id", "code", "name_hi", "name_en",
              "head_designation_hi", "head_designation_en"]  # fmt: skip
    ctx.copy_rows(Department, fields, rows)  # at most tens of thousands: a list is fine


def _user_specs(ctx: Context, district_id: int, place: Place) -> list[tuple[str, str, int | None]]:
    """(username, role, department id) of the users a district gets."""
    departments = ctx.departments[district_id]
    specs = [(f"{place.code}-admin", Role.DISTRICT_ADMIN, None),
             (f"{place.code}-editor", Role.EDITOR, None)]  # fmt: skip
    for i, department_id in enumerate(departments[:3]):
        specs.append((f"{place.code}-officer-{DEPARTMENTS[i].code}", Role.OFFICER, department_id))
    specs.append((f"{place.code}-employee", Role.EMPLOYEE, departments[0]))
    return [(GENERATED_USER_PREFIX + name, role, dep) for name, role, dep in specs]


def _users(ctx: Context, district_places: list[Place], now: datetime) -> None:
    names = [f"{GENERATED_USER_PREFIX}{place.code}-observer" for place in states(ctx.scale)]
    for district_id, place in zip(ctx.district_ids, district_places, strict=True):
        names += [username for username, _, _ in _user_specs(ctx, district_id, place)]
    first = ctx.next_id(User)
    ctx.user_ids = {name: first + i for i, name in enumerate(names)}
    # "!" marks an unusable password: generated users can never log in.
    ctx.copy_rows(User, [
        "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "language",
    ], ((uid, "!generated", False, name, "", "", "", False, True, now, "hi")
        for name, uid in ctx.user_ids.items()))  # fmt: skip


def _people(ctx: Context, district_places: list[Place]) -> None:
    rng, next_id = ctx.random, ctx.next_id(Person)
    for district_id, people, place in zip(
        ctx.district_ids,
        split(ctx.scale.people, ctx.scale.districts),
        district_places,
        strict=True,
    ):
        departments = ctx.departments[district_id]
        sizes = weighted_split(people, [rng.uniform(0.3, 3.0) for _ in departments])
        first = next_id
        for department_id, size in zip(departments, sizes, strict=True):
            ctx.people[department_id] = range(next_id, next_id + size)
            next_id += size
        ctx.district_people[district_id] = range(first, next_id)
        linked = _linked_users(ctx, district_id, place)
        ctx.copy_rows(Person, [
            "id", "district_id", "department_id", "user_id", "name", "designation",
            "employee_code", "email", "mobile",
        ], _people_rows(ctx, district_id, place, linked))  # fmt: skip


def _linked_users(ctx: Context, district_id: int, place: Place) -> dict[int, int]:
    """person id -> user id: each officer is the first person of their department, the employee
    the second person of the first department."""
    linked = {}
    for username, role, department_id in _user_specs(ctx, district_id, place):
        people = ctx.people.get(department_id, range(0))
        index = 1 if role == Role.EMPLOYEE else 0
        if index < len(people):
            linked[people[index]] = ctx.user_ids[username]
    return linked


def _people_rows(ctx: Context, district_id: int, place: Place, linked: dict) -> Iterator[tuple]:
    rng, number = ctx.random, 0
    for i, department_id in enumerate(ctx.departments[district_id]):
        dept = DEPARTMENTS[i]
        designations = OFFICE_DESIGNATIONS + (ENGINEERING_DESIGNATIONS if dept.engineering else [])
        for person_id in ctx.people[department_id]:
            number += 1
            code = f"{place.abbr}-{dept.abbr}-{number:06d}"
            email = f"{code.lower()}@staff.samvad.invalid" if rng.random() < 0.3 else ""
            mobile = f"{rng.randint(6, 9)}{rng.randrange(10**9):09d}" if rng.random() < 0.7 else ""
            yield (
                person_id, district_id, department_id, linked.get(person_id),
                f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}", rng.choice(designations),
                code, email, mobile,
            )  # fmt: skip


def _roles(ctx: Context, district_places: list[Place], now: datetime) -> None:
    def rows():
        for state_id, place in zip(ctx.state_ids, states(ctx.scale), strict=True):
            user_id = ctx.user_ids[f"{GENERATED_USER_PREFIX}{place.code}-observer"]
            yield (user_id, Role.STATE_OBSERVER, state_id, None, None, now)
        for district_id, place in zip(ctx.district_ids, district_places, strict=True):
            for username, role, department_id in _user_specs(ctx, district_id, place):
                yield (ctx.user_ids[username], role, None, district_id, department_id, now)

    fields = ["user_id", "role", "state_id", "district_id", "department_id", "created"]
    ctx.copy_rows(RoleAssignment, fields, rows())


def _accounts(ctx: Context, district_places: list[Place]) -> None:
    next_id, rows = ctx.next_id(OfficialAccount), []
    for district_id, place in zip(ctx.district_ids, district_places, strict=True):
        ctx.district_accounts[district_id] = next_id
        rows.append((next_id, district_id, None, district_handle(place)))
        next_id += 1
        departments = ctx.departments[district_id][: ctx.scale.department_accounts]
        for i, department_id in enumerate(departments):
            ctx.department_accounts[department_id] = next_id
            handle = f"{DEPARTMENTS[i].abbr}_{place.abbr}"
            rows.append((next_id, district_id, department_id, handle))
            next_id += 1
    # Synthetic X user ids, far above any real one's range start, so they read as fakes.
    ctx.copy_rows(OfficialAccount, ["id", "district_id", "department_id", "handle", "x_user_id"], (
        (aid, did, dep, handle, str(9 * 10**18 + aid)) for aid, did, dep, handle in rows
    ))  # fmt: skip
