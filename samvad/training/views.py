from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.org import access
from samvad.org.access import AUTHENTICATED, MANAGERS, Role
from samvad.org.models import District, Person
from samvad.pdf import render_pdf
from samvad.training import materials
from samvad.training.access import managed_sessions, visible_attendances, visible_sessions
from samvad.training.attendance import match_lines
from samvad.training.checklist import STEPS, checklist_for, checklists_for, progress_by_department
from samvad.training.forms import FeedbackForm, PasteForm, SessionForm, TrainerSearchForm
from samvad.training.models import Attendance
from samvad.training.trainers import SHOWN, find_trainers


def _own_person(user) -> Person | None:
    return Person.objects.filter(user=user).select_related("department", "district").first()


def _home_district(user) -> District | None:
    """The district whose official account a user is asked to follow."""
    if person := _own_person(user):
        return person.district
    ids = sorted(a.district_id for a in access.assignments(user) if a.district_id)
    return District.objects.filter(id__in=ids[:1]).first()


@access.allow(AUTHENTICATED)
def index(request):
    # The person for their checklist, which needs no more than their ids.
    now, person = timezone.now(), Person.objects.filter(user=request.user).first()
    sessions = list(visible_sessions(request.user).select_related("trainer"))  # the latest first
    return render(request, "training/index.html", {
        "upcoming": [s for s in reversed(sessions) if s.starts_at >= now],  # the next first
        "held": [s for s in sessions if s.starts_at < now],
        "can_create": bool(access.admin_districts(request.user)),
        "can_see_progress": bool(access.managed_departments(request.user).exists()),
        "checklist": checklist_for(person) if person else None,
        "materials": materials.MATERIALS,
    })  # fmt: skip


@access.allow(Role.DISTRICT_ADMIN)
def session_new(request):
    district = access.user_district(request.user, admin=True)
    form = SessionForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        session = form.save()
        messages.success(request, _("Session created. Now mark who attended."))
        return redirect("training_attendance", session.pk)
    return render(request, "training/session_form.html", {"form": form})


@access.allow(Role.DISTRICT_ADMIN)
def session_edit(request, pk: int):
    session = get_object_or_404(managed_sessions(request.user), pk=pk)
    form = SessionForm(request.POST or None, instance=session, district=session.district)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Session saved."))
        return redirect("training_session", session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


@access.allow(Role.DISTRICT_ADMIN)
def trainers(request):
    """htmx: the session form's trainer picker asks who matches what was typed; the one already
    chosen stays on top."""
    people = Person.objects.filter(district=access.user_district(request.user, admin=True))
    search = TrainerSearchForm(request.GET)
    if not search.is_valid():
        raise BadRequest(_("The search could not be read: type a name, code or department."))
    chosen, query = search.cleaned_data["trainer"], search.cleaned_data["q"]
    kept = list(people.filter(pk=chosen).select_related("department")) if chosen else []
    found, more = find_trainers(people.exclude(pk__in=[p.pk for p in kept]), query)
    return render(request, "training/_trainers_found.html", {
        "name": "trainer",
        "people": kept + found,
        "chosen": str(chosen or ""),  # compared with each person's pk as text
        "found": found,
        "more": more,
        "shown": SHOWN,
        "searched": bool(query.strip()),
    })  # fmt: skip


@access.allow(AUTHENTICATED)
def session_detail(request, pk: int):
    session = get_object_or_404(
        visible_sessions(request.user).select_related("trainer", "district"), pk=pk
    )
    attendances = (
        visible_attendances(request.user)
        .filter(session=session)
        .select_related("person__department")
        .order_by("person__department__name_en", "person__name")
    )
    own = session.attendances.filter(person__user=request.user).first()
    return render(request, "training/session_detail.html", {
        "session": session,
        "attendances": attendances,
        "can_manage": session.district_id in access.admin_districts(request.user),
        "own": own,
        "feedback_form": FeedbackForm(instance=own) if own else None,
    })  # fmt: skip


@access.allow(Role.DISTRICT_ADMIN)
def session_attendance(request, pk: int):
    """Mark attendance one by one (checkboxes) or from a pasted list of codes or names."""
    session = get_object_or_404(managed_sessions(request.user), pk=pk)
    paste_form, result = PasteForm(), None
    if request.method == "POST" and "lines" in request.POST:
        paste_form = PasteForm(request.POST)
        if paste_form.is_valid():
            people = Person.objects.filter(district=session.district)
            result = match_lines(paste_form.cleaned_data["lines"], people)
            result.added = session.mark_present(result.matched, by=request.user)
    elif request.method == "POST":
        chosen = Person.objects.filter(
            district=session.district, id__in=request.POST.getlist("person")
        )
        added, removed = session.set_attendance(chosen, by=request.user)
        messages.success(
            request,
            _("Attendance saved: %(added)s added, %(removed)s removed.")
            % {"added": added, "removed": removed},
        )
        return redirect("training_session", session.pk)
    present = set(session.attendances.values_list("person_id", flat=True))
    return render(request, "training/attendance.html", {
        "session": session,
        "candidates": _candidates(session),
        "present": present,
        "paste_form": paste_form,
        "result": result,
    })  # fmt: skip


def _candidates(session):
    """Everyone invited, and anyone marked present without an invitation."""
    invited = set(session.invitees().values_list("id", flat=True))
    present = set(session.attendances.values_list("person_id", flat=True))
    return (
        Person.objects.filter(id__in=invited | present)
        .select_related("department")
        .order_by("department__name_en", "name")
    )


@require_POST
@access.allow(AUTHENTICATED)
def feedback(request, pk: int):
    """An attendee's own rating and comment on a session."""
    attendance = get_object_or_404(Attendance, session_id=pk, person__user=request.user)
    form = FeedbackForm(request.POST, instance=attendance)
    if form.is_valid():
        form.save()
        messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("training_session", pk)


@access.allow(*MANAGERS)
def progress(request):
    """Onboarding progress per department, and for the district."""
    rows, total = progress_by_department(access.managed_departments(request.user))
    return render(request, "training/progress.html", {
        "rows": rows,
        "total": total,
        "steps": STEPS,
    })  # fmt: skip


@access.allow(*MANAGERS)
def progress_department(request, pk: int):
    """Each person's checklist in one department, with their next step."""
    department = get_object_or_404(access.managed_departments(request.user), pk=pk)
    people = department.people.select_related("department", "district")
    return render(request, "training/progress_department.html", {
        "department": department,
        "checklists": checklists_for(people),
        "steps": STEPS,
    })  # fmt: skip


@access.allow(AUTHENTICATED)
def material_list(request):
    return render(request, "training/material_list.html", {"materials": materials.MATERIALS})


def _material(request, slug: str):
    material = materials.get_material(slug)
    language = materials.material_language(request.GET.get("lang"))
    context = materials.material_context(_home_district(request.user), language)
    return material, language, context | {"material": material, "language": language}


@access.allow(AUTHENTICATED)
def material_detail(request, slug: str):
    material, language, context = _material(request, slug)
    context["body"] = render_to_string(material.template(language), context, request)
    context["other_language"] = "en" if language == "hi" else "hi"
    return render(request, "training/material.html", context)


@access.allow(AUTHENTICATED)
def material_pdf(request, slug: str):
    material, language, context = _material(request, slug)
    context["print_css"] = mark_safe(Path(finders.find("training/print.css")).read_text())  # noqa: S308
    with translation.override(language):
        context["body"] = render_to_string(material.template(language), context, request)
        html = render_to_string("training/material_print.html", context, request)
    response = HttpResponse(
        render_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="samvad-{slug}-{language}.pdf"'
    return response
