from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.org import access, signals
from samvad.org.access import AUTHENTICATED, MANAGERS, ORG_READERS, PUBLIC, Role
from samvad.org.forms import AcceptInvitationForm, InvitationForm
from samvad.org.models import Invitation, OfficialAccount, Person, RoleAssignment


def _managed_ids(user) -> set[int]:
    return set(access.managed_departments(user).values_list("id", flat=True))


def _departments_with_counts(departments):
    return departments.annotate(people_count=Count("people")).select_related("district")


@access.allow(*ORG_READERS)
def department_list(request):
    departments = _departments_with_counts(access.visible_departments(request.user))
    context = {"departments": departments, "managed_ids": _managed_ids(request.user)}
    return render(request, "org/department_list.html", context)


@access.allow(*MANAGERS)
def department_detail(request, pk: int):
    department = get_object_or_404(access.managed_departments(request.user), pk=pk)
    people = department.people.select_related("user")
    return render(
        request, "org/department_detail.html", {"department": department, "people": people}
    )


@access.allow(*MANAGERS, Role.EMPLOYEE)
def person_detail(request, pk: int):
    person = get_object_or_404(
        access.visible_people(request.user).select_related("department", "district"), pk=pk
    )
    roles = RoleAssignment.objects.filter(user_id=person.user_id) if person.user_id else []
    return render(request, "org/person_detail.html", {"person": person, "roles": roles})


@access.allow(*ORG_READERS)
def account_list(request):
    accounts = OfficialAccount.objects.filter(
        district__in=access.visible_districts(request.user)
    ).select_related("district", "department", "owner")
    return render(request, "org/account_list.html", {"accounts": accounts})


def _invitable(user):
    """The roles and departments a user may invite into."""
    if access.admin_districts(user):
        return [Role.OFFICER, Role.EDITOR, Role.EMPLOYEE], access.managed_departments(user)
    return [Role.EMPLOYEE], access.managed_departments(user)


@access.allow(*MANAGERS)
def invite(request):
    roles, departments = _invitable(request.user)
    form = InvitationForm(
        request.POST or None,
        roles=roles,
        departments=departments,
        people=access.visible_people(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department = data["department"]
        district = department.district if department else departments.first().district
        if data["role"] == Role.EDITOR and district.id not in access.admin_districts(request.user):
            raise PermissionDenied
        invitation, token = Invitation.issue(
            email=data["email"],
            name=data["name"],
            designation=data["designation"],
            role=data["role"],
            district=district,
            department=department,
            invited_by=request.user,
        )
        _send_invitation(request, invitation, token)
        signals.invitation_sent.send(Invitation, request=request, invitation=invitation)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return redirect("invite")
    invitations = Invitation.objects.filter(
        district__in=access.admin_districts(request.user)
    ) | Invitation.objects.filter(department__in=access.officer_departments(request.user))
    return render(
        request,
        "org/invite.html",
        {"form": form, "invitations": invitations.select_related("department")[:50]},
    )


def _send_invitation(request, invitation: Invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("accept_invitation", args=[token]))
    context = {"invitation": invitation, "link": link}
    send_mail(
        render_to_string("org/email/invitation_subject.txt", context).strip(),
        render_to_string("org/email/invitation.txt", context),
        None,
        [invitation.email],
    )


@access.allow(PUBLIC)
def accept_invitation(request, token: str):
    invitation = Invitation.objects.by_token(token)
    if invitation is None:
        return render(request, "org/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = invitation.accept(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            language=request.LANGUAGE_CODE,
        )
        signals.invitation_accepted.send(
            Invitation, request=request, invitation=invitation, user=user
        )
        login(request, user, backend="samvad.accounts_security.sessions.ModelBackend")
        return redirect("home")
    return render(request, "org/accept_invitation.html", {"form": form, "invitation": invitation})


@access.allow(PUBLIC)
@require_POST
def set_language(request):
    """Switch between Hindi and English; remembered on the user, and in a cookie before login."""
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@access.allow(AUTHENTICATED)
def profile(request):
    person = Person.objects.filter(user=request.user).select_related("department").first()
    roles = RoleAssignment.objects.filter(user=request.user).select_related(
        "state", "district", "department"
    )
    return render(request, "org/profile.html", {"person": person, "roles": roles})
