"""The security-event log: one named function to write it, the receivers that write it for
Django's and axes' login signals, role changes and API tokens, and its CSV export."""

import csv
import io
import ipaddress

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from samvad.accounts_security.models import SecurityEvent
from samvad.accounts_security.throttle import client_ip
from samvad.audit.export import safe_cell  # the project's one formula-injection guard
from samvad.org import access, signals
from samvad.org.models import District, RoleAssignment

Kind = SecurityEvent.Kind


def _district_of(user):
    """The district whose admins answer for this account: that of its first district- or
    department-scoped role."""
    if user is None:
        return None
    role = (
        RoleAssignment.objects.filter(user=user, district__isnull=False)
        .select_related("district")
        .order_by("id")
        .first()
    )
    return role.district if role else None


def record(
    request, kind: str, *, user=None, username: str = "", detail: str = "", district=None
) -> SecurityEvent:
    """Write one event. `user` is the account it is about (the request's user by default);
    the request's user is recorded as the actor when that is someone else."""
    actor = getattr(request, "user", None) if request is not None else None
    if actor is not None and not actor.is_authenticated:
        actor = None
    user = user or actor
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor if actor != user else None,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=_address(request),
        district=district or _district_of(user) or _district_of(actor),
        detail=str(detail)[:200],
    )


def _address(request) -> str | None:
    """The caller's address when it is one (a forged X-Forwarded-For entry may be anything)."""
    try:
        return str(ipaddress.ip_address(client_ip(request))) if request is not None else None
    except ValueError:
        return None


def visible_events(user):
    """The events of the districts the user administers."""
    return SecurityEvent.objects.filter(district__in=access.admin_districts(user)).select_related(
        "user", "actor"
    )


COLUMNS = ["at", "event", "username", "user", "actor", "address", "detail"]


def export_csv(events) -> bytes:
    """A spreadsheet's view of the log; a username or detail that looks like a formula stays
    text (usernames as typed at the login page are anyone's input)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    event.at.isoformat(),
                    event.kind,
                    event.username,
                    event.user.get_username() if event.user else "",
                    event.actor.get_username() if event.actor else "",
                    event.ip_address or "",
                    event.detail,
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes Excel read UTF-8 Hindi


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(request, Kind.LOGIN, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:  # a script or a test checking a password, not a login
        return
    username = credentials.get("username", "")
    user = get_user_model().objects.filter(username=username).first()
    record(request, Kind.LOGIN_FAILED, user=user, username=username)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first()
    record(request, Kind.LOCKOUT, user=user, username=username or "")


@receiver(signals.invitation_sent)
def _invitation_sent(sender, request, invitation, **kwargs):
    detail = f"{invitation.email} {invitation.role}"
    record(request, Kind.INVITATION_SENT, detail=detail, district=invitation.district)


@receiver(signals.invitation_accepted)
def _invitation_accepted(sender, request, invitation, user, **kwargs):
    record(
        request,
        Kind.INVITATION_ACCEPTED,
        user=user,
        detail=invitation.email,
        district=invitation.district,
    )


@receiver(post_save, sender=RoleAssignment)
def _role_saved(sender, instance, created, **kwargs):
    if created:
        record(
            None,
            Kind.ROLE_GRANTED,
            user=instance.user,
            detail=_role_detail(instance),
            district=instance.district,
        )


@receiver(post_delete, sender=RoleAssignment)
def _role_deleted(sender, instance, **kwargs):
    # Written after the commit: the role may be going with its user or its district, and a
    # reference written now would point at a row about to disappear.
    username, detail = instance.user.get_username(), _role_detail(instance)
    user_id, district_id = instance.user_id, instance.district_id

    def write():
        record(
            None,
            Kind.ROLE_REMOVED,
            username=username,
            detail=detail,
            user=get_user_model().objects.filter(pk=user_id).first(),
            district=District.objects.filter(pk=district_id).first(),
        )

    transaction.on_commit(write)


def _role_detail(assignment) -> str:
    scope = assignment.department or assignment.district or assignment.state
    return f"{assignment.role} {scope.name_en if scope else ''}".strip()


@receiver(post_save, sender="api.ApiToken")
def _token_saved(sender, instance, created, update_fields=None, **kwargs):
    if created:
        record(None, Kind.TOKEN_CREATED, user=instance.user, detail=f"{instance.prefix}…")
    elif instance.revoked and update_fields and "revoked" in update_fields:
        record(None, Kind.TOKEN_REVOKED, user=instance.user, detail=f"{instance.prefix}…")
