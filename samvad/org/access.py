"""The one set of server-side access helpers that every page and API operation uses.

Two layers: `@allow(...)` on a view, and `@api_access(...)` on an API operation, say who may call
it at all (and mark it, so a test can prove that nothing is left without a rule); the `visible_*`
querysets say which objects a user may
see, so a view that looks an object up through them answers 404 for anything outside the scope.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from samvad.org import sql
from samvad.org.models import Department, District, Person, Role, RoleAssignment

PUBLIC = "public"
AUTHENTICATED = "authenticated"

# The scopes of an API token (samvad/api/models.py); a logged-in session has every scope.
READ, SUBMIT, EDITORIAL = "read", "submit", "editorial"

# Which role sees most: the home page and navigation follow the first role a user holds.
ROLE_ORDER = [Role.DISTRICT_ADMIN, Role.EDITOR, Role.OFFICER, Role.STATE_OBSERVER, Role.EMPLOYEE]


def assignments(user) -> list[RoleAssignment]:
    """The user's role assignments, read once per request."""
    if not user.is_authenticated or not user.is_active:
        return []
    if not hasattr(user, "_samvad_roles"):
        user._samvad_roles = ASSIGNMENTS(user.pk)
    return user._samvad_roles


# RoleAssignment.objects.filter(user=user) written out: read on every page, and the ORM took
# longer to build it than the database took to answer (a third of a millisecond a page).
ASSIGNMENTS = sql.Rows(RoleAssignment, "user_id = %s")


def roles(user) -> set[str]:
    return {a.role for a in assignments(user)}


def primary_role(user) -> str | None:
    held = roles(user)
    return next((r for r in ROLE_ORDER if r in held), None)


def _ids(user, field: str, *held: str) -> set[int]:
    return {getattr(a, field) for a in assignments(user) if a.role in held}


def admin_districts(user) -> set[int]:
    return _ids(user, "district_id", Role.DISTRICT_ADMIN)


def editor_districts(user) -> set[int]:
    return _ids(user, "district_id", Role.DISTRICT_ADMIN, Role.EDITOR)


def user_district(user, *, admin: bool = False) -> District:
    """The district the user works in as its staff (editor or admin; its admin when `admin`), or
    404. District staff belong to one district; should one hold two, the oldest is theirs here."""
    ids = admin_districts(user) if admin else editor_districts(user)
    district = District.objects.filter(id__in=ids).order_by("pk").first()
    if district is None:
        raise Http404
    return district


def officer_departments(user) -> set[int]:
    return _ids(user, "department_id", Role.OFFICER)


def observed_states(user) -> set[int]:
    return _ids(user, "state_id", Role.STATE_OBSERVER)


def visible_districts(user) -> QuerySet[District]:
    every = {a.district_id for a in assignments(user) if a.district_id}
    return District.objects.filter(Q(state__in=observed_states(user)) | Q(id__in=every))


def visible_departments(user) -> QuerySet[Department]:
    """Departments whose existence and figures a user may see (not their people or drafts)."""
    return Department.objects.filter(
        Q(district__state__in=observed_states(user))
        | Q(district__in=editor_districts(user))
        | Q(id__in=_ids(user, "department_id", Role.OFFICER, Role.EMPLOYEE))
    )


def managed_departments(user) -> QuerySet[Department]:
    """Departments whose people and material a user manages: all of an admin's district, an
    officer's own department."""
    return Department.objects.filter(
        Q(district__in=admin_districts(user)) | Q(id__in=officer_departments(user))
    )


def visible_people(user) -> QuerySet[Person]:
    """Personal data is shown only to those who manage the person, and to the person."""
    own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    return Person.objects.filter(
        Q(district__in=admin_districts(user)) | Q(department__in=officer_departments(user)) | own
    )


def can(user, *allowed: str) -> bool:
    if PUBLIC in allowed:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return AUTHENTICATED in allowed or bool(roles(user) & set(allowed))


def allow(*allowed: str) -> Callable:
    """Decorate a view with who may call it: PUBLIC, AUTHENTICATED or any of the given roles.

    Anonymous users are sent to log in; logged-in users without the role get 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not can(request.user, *allowed):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access_rule = allowed
        return wrapper

    return decorator


class ScopeMissing(PermissionDenied):
    """An API token without the scope that an operation needs (answered 403 insufficient-scope)."""

    def __init__(self, scope: str):
        super().__init__(scope)
        self.scope = scope


def api_access(*allowed: str, scope: str = READ) -> Callable:
    """Decorate an API operation with who may call it (as `@allow`) and the token scope it needs
    (read by default; writes name theirs). Put it under the router's decorator.

    Refusals raise PermissionDenied (or ScopeMissing), which the API answers as problem JSON.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # Both auth classes leave the caller in request.user (the token's user or the
            # session's), so operations without auth (PUBLIC) work the same way.
            if not can(request.user, *allowed):
                raise PermissionDenied
            token = getattr(request, "api_token", None)
            if token is not None and scope not in token.scope_list:
                raise ScopeMissing(scope)
            return view(request, *args, **kwargs)

        wrapper.access_rule = allowed
        wrapper.scope = scope
        return wrapper

    return decorator


# Shorthands for the groups of roles that recur.
DISTRICT_STAFF = (Role.DISTRICT_ADMIN, Role.EDITOR)
ORG_READERS = (Role.DISTRICT_ADMIN, Role.EDITOR, Role.OFFICER, Role.STATE_OBSERVER)
MANAGERS = (Role.DISTRICT_ADMIN, Role.OFFICER)
