import csv
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.mail import send_mass_mail
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.accounts_security import security_log
from samvad.advocacy import jobs, selectors, staff_import, sync, task_links
from samvad.advocacy.forms import HandleForm, ReminderForm, UploadForm
from samvad.advocacy.models import PersonalDataExport, StaffHandle, StaffImport, TaskLink
from samvad.audit.export import safe_cell
from samvad.jobs.registry import enqueue
from samvad.org import access
from samvad.org.access import MANAGERS, PUBLIC, Role
from samvad.org.models import District, Person, district_account
from samvad.platforms.x.ledger import usd_to_inr


def _managed(request):
    return access.managed_departments(request.user).select_related("district")


@access.allow(*MANAGERS)
def overview(request):
    departments = list(access.managed_departments(request.user))  # their district is not shown
    figures = selectors.department_figures(departments)
    rows = [(d, figures[d.pk]) for d in departments]
    return render(request, "advocacy/overview.html", {"rows": rows})


@access.allow(*MANAGERS)
def department(request, pk: int):
    department = get_object_or_404(_managed(request), pk=pk)
    context = {
        "department": department,
        "figures": selectors.department_figures([department])[pk],
        "trend": selectors.department_trend(department),
        "people": selectors.department_people(department),
        "imports": StaffImport.objects.filter(department=department).defer("content")[:5],
        "first_pass": _first_pass(department.district),
    }
    return render(request, "advocacy/department.html", context)


def _first_pass(district):
    account = district_account(district)
    return sync.first_pass_at(account) if account else None


# -- the staff list ------------------------------------------------------------------------------
@access.allow(*MANAGERS)
def upload(request, pk: int):
    department = get_object_or_404(_managed(request), pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = StaffImport.receive(
            form.cleaned_data["file"], department=department, by=request.user
        )
        enqueue(jobs.check_import, import_id=record.pk)
        return redirect("advocacy:import", record.pk)
    return render(request, "advocacy/upload.html", {"department": department, "form": form})


def _import_for(request, pk: int) -> StaffImport:
    imports = StaffImport.objects.filter(department__in=_managed(request)).defer("content")
    return get_object_or_404(imports.select_related("department"), pk=pk)


def _report_context(record: StaffImport) -> dict:
    problems = [
        {
            **p,
            "label": staff_import.LABELS.get(p["field"], p["field"]),
            "message": staff_import.PROBLEMS.get(p["code"], p["code"]),
        }
        for p in record.problems
    ]
    return {"record": record, "problems": problems}


@access.allow(*MANAGERS)
def import_detail(request, pk: int):
    record = _import_for(request, pk)
    return render(request, "advocacy/import.html", _report_context(record))


@access.allow(*MANAGERS)
def import_progress(request, pk: int):
    """Polled by the page every second while a file is being checked or saved."""
    record = _import_for(request, pk)
    return render(request, "advocacy/_import_status.html", _report_context(record))


@access.allow(*MANAGERS)
@require_POST
def import_save(request, pk: int):
    record = _import_for(request, pk)
    if record.start_saving():  # a second click finds it already saving
        enqueue(jobs.save_import, import_id=record.pk)
    return redirect("advocacy:import", record.pk)


@access.allow(*MANAGERS)
def template(request, kind: str):
    """The blank staff list, with headings in Hindi and English."""
    headings = [f"{hi} / {en}" for _key, hi, en, _required in staff_import.COLUMNS]
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that Excel reads it as UTF-8
        csv.writer(response).writerow(headings)
        response["Content-Disposition"] = 'attachment; filename="staff-template.csv"'
        return response
    return HttpResponse(
        _template_xlsx(headings),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="staff-template.xlsx"'},
    )


def _template_xlsx(headings: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Staff"
    sheet.append(headings)
    for column in "ABCDEFG":
        sheet.column_dimensions[column].width = 24
    notes = book.create_sheet("निर्देश - Instructions")
    for line in render_to_string("advocacy/template_notes.txt").strip().splitlines():
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@access.allow(*MANAGERS)
@require_POST
def verify(request, pk: int):
    department = get_object_or_404(_managed(request), pk=pk)
    enqueue(jobs.verify_handles, district_id=department.district_id)
    messages.success(request, _("The handles will be checked on X in a few minutes."))
    return redirect("advocacy:department", pk)


@access.allow(Role.DISTRICT_ADMIN)
def full_pass(request):
    """A full pass over the official account's followers finds who stopped following; it reads
    every follower, so its cost is shown before the admin starts it."""
    district = access.user_district(request.user, admin=True)
    account = district_account(district)
    if account is None:
        raise Http404
    if request.method == "POST":
        enqueue(
            jobs.sync_followers,
            district_id=district.pk,
            full=True,
            key=f"advocacy.full_pass:{district.pk}@{timezone.now():%Y-%m-%d}",
        )
        messages.success(
            request,
            _("The full follower check has started; today's figures include it once it ends."),
        )
        return redirect("advocacy:overview")
    followers, cost, last = sync.full_pass_cost(account)
    context = {
        "account": account,
        "followers": followers,
        "cost_usd": cost,
        "cost_inr": usd_to_inr(cost),
        "last": last,
    }
    return render(request, "advocacy/full_pass.html", context)


# -- reminders -----------------------------------------------------------------------------------
def _recent_posts(district):
    return selectors.official_posts(district, since=timezone.now() - selectors.TASK_WINDOW)


@access.allow(*MANAGERS)
def reminders(request, pk: int):
    department = get_object_or_404(_managed(request), pk=pk)
    account = district_account(department.district)
    posts = _recent_posts(department.district)
    people = list(selectors.reminder_candidates(department, [p.x_post_id for p in posts]))
    generations = TaskLink.generations(p.pk for p in people)
    rows = []
    for person in people:
        link = request.build_absolute_uri(task_links.task_path(person, generations[person.pk]))
        text = task_links.reminder_text(person, link, account)
        rows.append(
            {"person": person, "link": link, "whatsapp": task_links.whatsapp_link(person, text)}
        )
    choices = [(p.pk, p.name) for p in people if p.email]
    form = ReminderForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["people"])
        sent = _send_reminders([r for r in rows if r["person"].pk in chosen], account)
        messages.success(request, _("%(count)s reminders sent by email.") % {"count": sent})
        return redirect("advocacy:reminders", pk)
    context = {"department": department, "rows": rows, "form": form, "posts": posts}
    return render(request, "advocacy/reminders.html", context)


def _send_reminders(rows, account) -> int:
    mails = []
    for row in rows:
        context = {"person": row["person"], "link": row["link"], "account": account}
        mails.append(
            (
                render_to_string("advocacy/email/reminder_subject.txt", context).strip(),
                render_to_string("advocacy/email/reminder.txt", context),
                None,
                [row["person"].email],
            )
        )
    return send_mass_mail(mails)


@access.allow(*MANAGERS)
def person_qr(request, pk: int):
    """A QR code of the person's task link, to print or show on a screen."""
    person = get_object_or_404(Person.objects.filter(department__in=_managed(request)), pk=pk)
    link = request.build_absolute_uri(task_links.task_path(person))
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


@access.allow(*MANAGERS)
@require_POST
def revoke_task_link(request, pk: int):
    """The person's links stop working (lost phone, forwarded message); the next one works."""
    person = get_object_or_404(Person.objects.filter(department__in=_managed(request)), pk=pk)
    TaskLink.revoke(person)
    security_log.record(
        request,
        security_log.Kind.TASK_LINK_REVOKED,
        user=person.user,
        detail=f"{person.employee_code} {person.name}",
        district=person.district,
    )
    messages.success(
        request,
        _("The old task link of %(name)s no longer works; send the new one.")
        % {"name": person.name},
    )
    return redirect("advocacy:department", person.department_id)


# -- the employee's own page ---------------------------------------------------------------------
def _task_person(token: str) -> Person:
    person = task_links.person_for_token(token)
    if person is None:
        raise Http404
    return person


@access.allow(PUBLIC)
def task(request, token: str):
    """The employee's tasks, each to do, waiting for X (with when X is asked), or credited.
    While anything waits, the page asks again every few seconds (htmx) for the tasks alone."""
    return _tasks(request, _task_person(token), token)


@access.allow(Role.EMPLOYEE, *MANAGERS)
def my_tasks(request):
    """The logged-in person's task page, the same as at their link (whose token its forms and
    its polling use). Shown here rather than by a redirect to the link: the redirect was a second
    request, which with the link's checks cost the employee's "My tasks" about 5 ms."""
    person = get_object_or_404(
        Person.objects.select_related("department", "district", "x_handle"), user=request.user
    )
    return _tasks(request, person, task_links.task_token(person))


def _tasks(request, person: Person, token: str):
    handle = getattr(person, "x_handle", None)  # read with the person, or now
    account = district_account(person.district)
    posts = _recent_posts(person.district)
    reposted = dict(person.x_reposts.values_list("x_post_id", "seen_at"))
    waiting = task_links.waiting_clicks(person)
    facts = selectors.handle_facts(handle, first_repost_at=min(reposted.values(), default=None))
    items = [
        {
            "post": p,
            "credited_at": reposted.get(p.x_post_id),
            "check_at": waiting.get(p.x_post_id),
        }
        for p in posts
    ]
    context = {
        "person": person,
        "token": token,
        "handle": handle,
        "account": account,
        "facts": facts,
        "follow_check_at": waiting.get("follow"),
        "posts": items,
        "polling": bool(waiting) or (handle is not None and handle.status == "unverified"),
        "form": HandleForm(initial={"handle": handle.handle if handle else ""}),
    }
    if request.headers.get("HX-Request"):
        return render(request, "advocacy/_tasks.html", context)
    return render(request, "advocacy/task.html", context)


@access.allow(PUBLIC)
def task_follow(request, token: str):
    """On the way to X's follow page: the click is recorded and X checked soon after. A link, not
    a form: the page's CSP lets forms post only to Samvad, and a tap does no more than ask for a
    check of X, which is harmless however often it comes."""
    person = _task_person(token)
    account = district_account(person.district)
    if account is None:
        raise Http404
    task_links.task_click_record(person, kind="follow")
    return redirect(task_links.follow_intent(account.handle))


@access.allow(PUBLIC)
def task_repost(request, token: str, x_post_id: str):
    person = _task_person(token)
    if x_post_id not in {p.x_post_id for p in _recent_posts(person.district)}:
        raise Http404
    task_links.task_click_record(person, kind="repost", x_post_id=x_post_id)
    return redirect(task_links.repost_intent(x_post_id))


@access.allow(PUBLIC)
@require_POST
def register_handle(request, token: str):
    person = _task_person(token)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            StaffHandle.register(
                person,
                form.cleaned_data["handle"],
                on_leaderboard=form.cleaned_data["on_leaderboard"],
            )
        except ValueError:
            messages.error(request, _("This handle is registered for another person."))
        else:
            # Checked on X at once, so that the person sees the answer while still here.
            enqueue(jobs.verify_handles, district_id=person.district_id)
            messages.success(
                request,
                _(
                    "Thank you. Your handle is saved and is being checked "
                    "on X; this page shows the result in a minute."
                ),
            )
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("advocacy:task", token)


@access.allow(PUBLIC)
@require_POST
def remove_handle(request, token: str):
    StaffHandle.forget(_task_person(token))
    messages.success(request, _("Your handle and everything recorded through it are removed."))
    return redirect("advocacy:task", token)


# -- leaderboard and export ----------------------------------------------------------------------
@access.allow(Role.DISTRICT_ADMIN, Role.EDITOR, Role.OFFICER, Role.EMPLOYEE)
def leaderboard(request):
    district = District.objects.filter(pk__in=_user_district_ids(request.user)).first()
    rows = selectors.leaderboard(district) if district else []
    return render(request, "advocacy/leaderboard.html", {"rows": rows, "district": district})


def _user_district_ids(user) -> set[int]:
    return {a.district_id for a in access.assignments(user) if a.district_id}


EXPORT_COLUMNS = (
    "department",
    "name",
    "designation",
    "employee_code",
    "email",
    "mobile",
    "handle",
    "status",
    "following_since",
    "stopped_following_at",
    "reposts",
)


@access.allow(Role.DISTRICT_ADMIN)
def export(request):
    """Personal data leaves Samvad only here, to district admins, and every export is logged."""
    district = access.user_district(request.user, admin=True)
    people = (
        Person.objects.filter(district=district)
        .select_related("department", "x_handle")
        .annotate(reposts=Count("x_reposts"))
        .order_by("department__name_en", "name")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="staff-{district.code}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for person in people:
        writer.writerow([safe_cell(v) for v in _export_row(person)])
        count += 1
    PersonalDataExport.record(user=request.user, district=district, rows=count)
    return response


def _export_row(person) -> list:
    handle = getattr(person, "x_handle", None)
    return [
        person.department.name if person.department else "",
        person.name,
        person.designation,
        person.employee_code,
        person.email,
        person.mobile,
        handle.handle if handle else "",
        handle.status if handle else "",
        handle.following_since.isoformat() if handle and handle.following_since else "",
        handle.stopped_following_at.isoformat() if handle and handle.stopped_following_at else "",
        person.reposts,
    ]
