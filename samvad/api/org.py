"""The organisation in the REST API (/api/v1/org/): read-only, scoped like the pages."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from samvad.api.paging import Page, PageParams, page
from samvad.org.access import (
    AUTHENTICATED,
    MANAGERS,
    ORG_READERS,
    Role,
    api_access,
    assignments,
    visible_departments,
    visible_districts,
    visible_people,
)
from samvad.org.models import OfficialAccount

router = Router(tags=["org"])


class RoleOut(Schema):
    role: str
    state_id: int | None
    district_id: int | None
    department_id: int | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    language: str
    roles: list[RoleOut]


class DistrictOut(Schema):
    id: int
    code: str
    name_hi: str
    name_en: str
    state_id: int


class DepartmentOut(Schema):
    id: int
    code: str
    name_hi: str
    name_en: str
    head_designation_hi: str
    head_designation_en: str
    district_id: int


class PersonOut(Schema):
    """Holds personal data, so it is only ever built from `visible_people`."""

    id: int
    name: str
    designation: str
    employee_code: str
    email: str
    mobile: str
    district_id: int
    department_id: int | None


class AccountOut(Schema):
    id: int
    handle: str
    x_user_id: str
    district_id: int
    department_id: int | None


@router.get("/me", response=MeOut)
@api_access(AUTHENTICATED)
def me(request):
    user = request.user
    return {
        "id": user.id,
        "username": user.username,
        "name": user.get_full_name(),
        "language": user.language,
        "roles": assignments(user),
    }


@router.get("/districts", response=Page(DistrictOut))
@api_access(*ORG_READERS)
def districts(request, paging: Query[PageParams]):
    return page(request, visible_districts(request.user), paging)


@router.get("/districts/{district_id}", response=DistrictOut)
@api_access(*ORG_READERS)
def district(request, district_id: int):
    return get_object_or_404(visible_districts(request.user), pk=district_id)


@router.get("/departments", response=Page(DepartmentOut))
@api_access(*ORG_READERS)
def departments(request, paging: Query[PageParams], district: int | None = None):
    found = visible_departments(request.user)
    if district is not None:
        found = found.filter(district_id=district)
    return page(request, found, paging)


@router.get("/departments/{department_id}", response=DepartmentOut)
@api_access(*ORG_READERS)
def department(request, department_id: int):
    return get_object_or_404(visible_departments(request.user), pk=department_id)


@router.get("/people", response=Page(PersonOut))
@api_access(*MANAGERS)
def people(request, paging: Query[PageParams], department: int | None = None):
    found = visible_people(request.user)
    if department is not None:
        found = found.filter(department_id=department)
    return page(request, found, paging)


# Employees too, like the page: `visible_people` lets them read their own record and no one else's.
@router.get("/people/{person_id}", response=PersonOut)
@api_access(*MANAGERS, Role.EMPLOYEE)
def person(request, person_id: int):
    return get_object_or_404(visible_people(request.user), pk=person_id)


@router.get("/accounts", response=Page(AccountOut))
@api_access(*ORG_READERS)
def accounts(request, paging: Query[PageParams]):
    return page(
        request,
        OfficialAccount.objects.filter(district__in=visible_districts(request.user)),
        paging,
    )
