"""The session form's trainer picker: the district's people found by name, employee code,
designation or department, each person once and a screenful at a time, so that two people of
the same name are told apart and a district of thousands is never sent to the browser whole."""

from django.db.models import Q

from samvad.org.models import Person

SHOWN = 20


def find_trainers(people, query: str) -> tuple[list[Person], bool]:
    """The people (a queryset, already scoped) matching every word of the query, and whether
    there were more than SHOWN of them."""
    words = query.split()[:5]
    if not words:
        return [], False
    for word in words:
        people = people.filter(
            Q(name__icontains=word)
            | Q(employee_code__icontains=word)
            | Q(designation__icontains=word)
            | Q(department__name_hi__icontains=word)
            | Q(department__name_en__icontains=word)
            | Q(department__code__iexact=word)
        )
    found = list(people.select_related("department").order_by("name", "employee_code")[: SHOWN + 1])
    return found[:SHOWN], len(found) > SHOWN
