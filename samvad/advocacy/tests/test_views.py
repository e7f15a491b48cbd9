import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samvad.advocacy import jobs, task_links
from samvad.advocacy.models import (
    DepartmentSnapshot,
    PersonalDataExport,
    StaffHandle,
    StaffImport,
    StaffRepost,
)
from samvad.advocacy.selectors import onboarding_facts
from samvad.org.models import Person
from samvad.org.tests.test_i18n import visible_text


def person(world, code="E1", mobile="", email="", department=None, **fields):
    return Person.objects.create(
        district=world.dausa,
        department=department or world.water,
        name=f"व्यक्ति {code}",
        designation="लिपिक",
        employee_code=code,
        mobile=mobile,
        email=email,
        **fields,
    )


def test_it_checks_ownership_of_department_pages(world, login):
    water = world.water.pk
    for path in (f"/advocacy/departments/{water}/", f"/advocacy/departments/{water}/reminders/"):
        assert login(world.officer_a).get(path).status_code == 200
        assert login(world.admin).get(path).status_code == 200
        assert login(world.officer_b).get(path).status_code == 404
        assert login(world.alwar_admin).get(path).status_code == 404
        assert login(world.employee).get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get("/advocacy/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_overview_shows_only_managed_departments(world, login):
    page = login(world.officer_b).get("/advocacy/").content.decode()
    assert world.power.name_hi in page and world.water.name_hi not in page


def test_a_department_without_staff_has_no_following_rate(world, login):
    Person.objects.filter(department=world.power).delete()
    page = login(world.officer_b).get("/advocacy/").content.decode()
    assert "—" in page and "0%" not in page


def test_an_employee_opens_their_task_page_without_a_password(client, world, settings):
    settings.SAMVAD_X_WEB_BASE_URL = "https://x.example"
    someone = person(world)
    page = client.get(task_links.task_path(someone)).content.decode()
    assert 'data-state="todo"' in page and "व्यक्ति E1" in page
    # The follow button goes through Samvad, which records the click, on to X's intent page.
    response = client.get(task_links.task_path(someone) + "follow/")
    assert response["Location"] == "https://x.example/intent/follow?screen_name=DmDausa"
    assert 'lang="en"' in page and 'lang="hi"' in page  # the consent notice in both


def test_the_task_page_reads_the_same_facts_as_the_checklists(client, world):
    """The page builds them from the handle and reposts it shows rather than asking again."""
    someone = person(world)
    handle = StaffHandle.register(someone, "Ram_Lal", on_leaderboard=False)
    StaffHandle.objects.filter(pk=handle.pk).update(
        status="verified", following_since=timezone.now()
    )
    for post in ("1", "2"):
        StaffRepost.objects.create(person=someone, x_post_id=post)
    response = client.get(task_links.task_path(someone))
    assert response.context["facts"] == onboarding_facts([someone.pk])[someone.pk]
    assert response.context["facts"].first_repost_at is not None


def test_a_tampered_task_link_is_not_found(client, world):
    token = task_links.task_token(person(world))
    assert client.get(f"/advocacy/t/{token}x/").status_code == 404


def test_an_employee_registers_their_handle_with_consent(client, world):
    someone = person(world)
    path = task_links.task_path(someone)
    client.post(path + "handle/", {"handle": "@Ram_Lal"})  # no consent ticked
    assert not StaffHandle.objects.exists()
    client.post(path + "handle/", {"handle": "https://x.com/Ram_Lal", "consent": "on"})
    handle = StaffHandle.objects.get(person=someone)
    assert (handle.handle, handle.on_leaderboard) == ("Ram_Lal", False)
    assert handle.consent_at is not None
    assert onboarding_facts([someone.pk])[someone.pk].handle_registered


def test_a_handle_cannot_be_registered_twice(client, world):
    StaffHandle.register(person(world, "E1"), "Ram_Lal", on_leaderboard=False)
    other = person(world, "E2")
    client.post(task_links.task_path(other) + "handle/", {"handle": "ram_lal", "consent": "on"})
    assert not StaffHandle.objects.filter(person=other).exists()


def test_an_employee_removes_their_handle_and_what_was_learnt_through_it(client, world):
    someone = person(world)
    StaffHandle.register(someone, "Ram_Lal", on_leaderboard=True)
    StaffRepost.objects.create(person=someone, x_post_id="1")
    client.post(task_links.task_path(someone) + "remove/")
    assert not StaffHandle.objects.exists() and not StaffRepost.objects.exists()


def test_a_logged_in_employee_finds_their_tasks(world, login):
    """The page their link shows, with the link's token in its forms and polling."""
    StaffHandle.register(Person.objects.get(user=world.employee), "Ram_Lal", on_leaderboard=True)
    client = login(world.employee)
    page = client.get("/advocacy/me/").content.decode()
    assert 'value="Ram_Lal"' in page
    link = re.search(r'hx-get="(/advocacy/t/[^/]+/)"', page).group(1)
    at_link = client.get(link).content.decode()
    assert task_links.person_for_token(link.split("/")[3]).user == world.employee
    unmasked = [re.sub(r'"csrfmiddlewaretoken" value="[^"]+"', "", p) for p in (page, at_link)]
    assert unmasked[0].split("<main", 1)[1] == unmasked[1].split("<main", 1)[1]


def test_reminders_carry_the_task_link_by_whatsapp_and_email(world, login):
    with_mobile = person(world, "E1", mobile="9876543210", email="e1@example.gov.in")
    without = person(world, "E2")
    following = person(world, "E3")
    StaffHandle.objects.create(
        person=following, district=world.dausa, handle="f3", following_since=timezone.now()
    )
    client = login(world.officer_a)
    page = client.get(f"/advocacy/departments/{world.water.pk}/reminders/").content.decode()
    assert "https://wa.me/919876543210?text=" in page
    assert "https://wa.me/?text=" in page
    assert without.name in page and following.name not in page
    client.post(f"/advocacy/departments/{world.water.pk}/reminders/", {"people": [with_mobile.pk]})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["e1@example.gov.in"]
    assert "/advocacy/t/" in mail.outbox[0].body


def test_the_reminders_ask_no_query_per_person_and_carry_each_link_generation(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samvad.advocacy.models import TaskLink

    client = login(world.officer_a)
    url = f"/advocacy/departments/{world.water.pk}/reminders/"
    people = [person(world, "R0")]
    client.get(url)  # the first fills the process's caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    people += [person(world, f"R{n}") for n in range(1, 30)]
    TaskLink.revoke(people[7])
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    links = re.findall(r'<a href="http://testserver/advocacy/t/([^/"]+)/">', page)
    opened = [task_links.person_for_token(token) for token in links]
    assert None not in opened  # every link opens, the revoked one's with its new generation
    assert {p.pk for p in people} <= {p.pk for p in opened}


def test_the_person_qr_code_is_an_svg_for_managers_only(world, login):
    someone = person(world)
    response = login(world.officer_a).get(f"/advocacy/people/{someone.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert login(world.officer_b).get(f"/advocacy/people/{someone.pk}/qr.svg").status_code == 404


def test_only_district_admins_export_personal_data_and_it_is_logged(world, login):
    someone = person(world)
    someone.name = "=cmd|'/c calc'!A1"
    someone.save()
    assert login(world.officer_a).get("/advocacy/export.csv").status_code == 403
    response = login(world.admin).get("/advocacy/export.csv")
    text = response.content.decode("utf-8-sig")
    assert "'=cmd" in text  # a spreadsheet shows it, never runs it
    export = PersonalDataExport.objects.get()
    assert (
        export.user == world.admin
        and export.rows == Person.objects.filter(district=world.dausa).count()
    )


def test_onboarding_facts_take_one_query_for_any_number_of_people(world, django_assert_num_queries):
    people = [person(world, f"E{i}") for i in range(30)]
    for p in people[:10]:
        StaffHandle.objects.create(
            person=p,
            district=world.dausa,
            handle=f"h{p.pk}",
            status="verified",
            following_since=timezone.now(),
        )
        StaffRepost.objects.create(person=p, x_post_id="5")
    with django_assert_num_queries(1):
        facts = onboarding_facts(p.pk for p in people)
    assert sum(f.handle_verified for f in facts.values()) == 10
    assert facts[people[20].pk] == facts[people[21].pk]
    assert facts[people[0].pk].first_repost_at is not None


def test_a_persons_task_link_can_be_revoked_by_their_officer(client, world, login):
    # Issue 16, finding 12: a forwarded or lost link lived 90 days and could not be withdrawn.
    someone = person(world)
    old_link = task_links.task_path(someone)
    other = task_links.task_path(person(world, code="E2"))
    revoke = f"/advocacy/people/{someone.pk}/revoke-link/"
    assert login(world.officer_b).post(revoke).status_code == 404

    response = login(world.officer_a).post(revoke)

    assert response.status_code == 302
    assert client.get(old_link).status_code == 404
    assert client.get(task_links.task_path(someone)).status_code == 200  # a new link works
    assert client.get(other).status_code == 200  # nobody else's link changed


def test_every_district_gets_its_department_records_without_x(world):
    person(world)
    jobs.department_records(slot="")
    today = timezone.localdate()
    records = DepartmentSnapshot.objects.filter(day=today)
    assert set(records.values_list("department__district", flat=True)) == {
        world.dausa.pk,
        world.alwar.pk,
    }
    assert (
        records.get(department=world.water).staff
        == Person.objects.filter(department=world.water).count()
    )


# Figures read the Indian way --------------------------------------------------------------------

UNGROUPED = re.compile(r"\b\d{4,}\b(?!,)")  # 4 digits or more in a row: 1234 rather than 1,234


def ungrouped(page: str) -> list[str]:
    """Numbers a person reads without Indian grouping; years (in dates) are no figures."""
    return [n for n in UNGROUPED.findall(visible_text(page)) if not 1900 <= int(n) <= 2100]


def test_every_figure_on_the_staff_pages_uses_indian_grouping(world, login):
    reposter = person(world)
    Person.objects.bulk_create(
        Person(
            district=world.dausa,
            department=world.water,
            name="कार्मिक",
            designation="शिक्षक",
            employee_code=f"T{i}",
        )
        for i in range(1200)
    )
    StaffRepost.objects.bulk_create(
        StaffRepost(person=reposter, x_post_id=str(i)) for i in range(1050)
    )
    DepartmentSnapshot.objects.create(
        department=world.water,
        day=timezone.localdate(),
        staff=123456,
        following=45678,
        reposts_total=1234567,
    )
    record = StaffImport.objects.create(
        district=world.dausa,
        department=world.water,
        filename="staff.xlsx",
        content=b"",
        status=StaffImport.Status.CHECKED,
        total=12345,
        good=12000,
        bad=345,
    )
    admin = login(world.admin)
    pages = {
        # staff: the 1,200, the reposter and the world's officer and employee
        reverse("advocacy:overview"): ["1,203", "1,050"],
        reverse("advocacy:department", args=[world.water.pk]): ["1,203", "45,678", "12,34,567"],
        reverse("advocacy:leaderboard"): ["1,050"],
        reverse("advocacy:import", args=[record.pk]): ["12,000"],
    }
    for url, figures in pages.items():
        page = admin.get(url).content.decode()
        assert [f for f in figures if f not in page] == [], url
        assert ungrouped(page) == [], url
