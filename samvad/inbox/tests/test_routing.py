"""Acceptance 4: routing in Hindi, English, mixed script and romanised Hindi."""

import unicodedata

import pytest

from samvad.inbox.models import Mention, RoutingRule, Ticket
from samvad.inbox.routing import DEFAULT_KEYWORDS, parse_keywords, route, words
from samvad.inbox.services import choose_department, seed_routing_rules, ticket_open
from samvad.org.models import Department, OfficialAccount

RULES = [(code, parse_keywords(keywords)) for code, keywords in DEFAULT_KEYWORDS.items()]


def department_for(text):
    match = route(text, RULES)
    return match.target if match else None


@pytest.mark.parametrize(("text", "department"), [
    # Hindi, Devanagari with its vowel signs
    ("@DmDausa हमारे गाँव में बिजली कल से नहीं है", "electricity"),
    ("@DmDausa वार्ड 12 में सड़क टूटी हुई है, कृपया मरम्मत कराएँ", "pwd"),
    ("@DmDausa पानी तीन दिन से नहीं आया", "phed"),
    ("@DmDausa जिला अस्पताल में डॉक्टर नहीं मिलते", "health"),
    ("@DmDausa गाँव की सड़कों पर गड्ढे हैं", "pwd"),  # a plural
    # English: any case, whole words
    ("@DmDausa Water supply in ward 5 is irregular", "phed"),
    ("@DmDausa ELECTRICITY gone since morning", "electricity"),
    ("@DmDausa the roads near the bus stand are broken", "pwd"),
    ("@DmDausa no doctor at the Hospital tonight", "health"),
    # Mixed script
    ("@DmDausa hamare ward mein light नहीं है", "electricity"),
    ("@DmDausa अस्पताल mein ambulance nahi aayi", "health"),
    ("@DmDausa road पर पानी भरा है, road repair karo", "pwd"),
    # Romanised Hindi, in the spellings people use
    ("@DmDausa bijli nahi hai 2 din se", "electricity"),
    ("@DmDausa bijlee kab aayegi?", "electricity"),
    ("@DmDausa paani ki supply band hai", "phed"),
    ("@DmDausa sadak kharab hai", "pwd"),
    ("@DmDausa aspatal me dawai nahi", "health"),
])  # fmt: skip
def test_it_routes_by_keyword(text, department):
    assert department_for(text) == department


def test_keywords_match_whole_words_only():
    assert department_for("@DmDausa delighted with the new park") is None
    assert department_for("@DmDausa powerful speech today") is None
    assert department_for("@DmDausa धन्यवाद") is None


def test_the_rule_covering_more_of_the_message_wins():
    # "street light" (two words, the municipal council) beats "light" (one, electricity)
    assert department_for("@DmDausa street lights in ward 7 are not working") == "municipal"


def test_a_tie_goes_to_the_keyword_said_first():
    assert route("पानी और बिजली दोनों नहीं", RULES).target == "phed"
    assert route("बिजली और पानी दोनों नहीं", RULES).target == "electricity"


def test_spellings_typed_differently_are_one():
    composed, decomposed = "ड़", "ड\u093c"
    assert words(f"स{composed}क") == words(f"स{decomposed}क") == words("सडक")
    assert words("गाँव") == words("गांव")
    assert words("बि\u200dजली") == words("बिजली")  # a zero-width joiner inside
    assert words(unicodedata.normalize("NFD", "सड़कों")) == ["सडक"]
    assert words("@DmDausa see https://t.co/x1 #बिजली") == ["see", "बिजली"]


def test_keywords_are_read_as_people_type_them():
    assert parse_keywords("बिजली, bijli\nelectricity,, bijli ;light") == [
        "बिजली",
        "bijli",
        "electricity",
        "light",
    ]


# Through the database: the district's rules, conversations, department accounts, triage --------


@pytest.fixture
def rules(world):
    seed_routing_rules(world.dausa)
    return RoutingRule.objects.filter(district=world.dausa)


def mention(world, text, *, x_post_id, account="DmDausa", conversation_id=""):
    return Mention.objects.create(
        district=world.dausa,
        account=OfficialAccount.objects.get(handle=account),
        x_post_id=x_post_id,
        author_x_user_id="42",
        author_username="ramesh",
        text=text,
        conversation_id=conversation_id or x_post_id,
    )


def test_the_suggested_rules_cover_the_districts_departments(world, rules):
    assert {r.department for r in rules} == {world.water, world.power}
    assert seed_routing_rules(world.dausa) == []  # idempotent


def test_a_district_admins_edit_changes_routing(world, rules):
    rule = rules.get(department=world.water)
    rule.keywords += ", hand pump repair, नलकूप"
    rule.save()
    assert choose_department(mention(world, "नलकूप खराब है", x_post_id="1"))[0] == world.water


def test_an_unmatched_mention_waits_in_dipr_triage(world, rules):
    ticket = ticket_open(mention(world, "@DmDausa राशन की दुकान बंद है", x_post_id="2"))
    assert ticket.department is None and ticket.route == Ticket.Route.TRIAGE


def test_a_reply_in_a_conversation_goes_to_its_earlier_tickets_department(world, rules):
    first = ticket_open(mention(world, "@DmDausa bijli nahi hai", x_post_id="10"))
    assert (first.department, first.matched_keyword) == (world.power, "bijli")
    follow_up = ticket_open(
        mention(world, "@DmDausa अभी तक नहीं आई", x_post_id="11", conversation_id="10")
    )
    assert (follow_up.department, follow_up.route) == (world.power, Ticket.Route.CONVERSATION)


def test_a_mention_of_a_departments_own_account_goes_to_it(world, rules):
    OfficialAccount.objects.create(district=world.dausa, department=world.water, handle="DausaPHED")
    ticket = ticket_open(
        mention(world, "@DausaPHED कृपया ध्यान दें", x_post_id="20", account="DausaPHED")
    )
    assert (ticket.department, ticket.route) == (world.water, Ticket.Route.ACCOUNT)


def test_rules_of_another_district_never_route_here(world, rules):
    RoutingRule.objects.create(district=world.alwar, department=world.alwar_water, keywords="राशन")
    assert choose_department(mention(world, "राशन नहीं मिला", x_post_id="30"))[0] is None
    assert Department.objects.get(pk=world.alwar_water.pk).district == world.alwar
