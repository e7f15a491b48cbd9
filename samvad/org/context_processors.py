from django.conf import settings

from samvad.org import access


def samvad(request):
    user = getattr(request, "user", None)
    return {
        "primary_role": access.primary_role(user) if user else None,
        "user_roles": access.roles(user) if user else set(),
        # The same as a mapping, for templates: {% if my_roles.editor %}.
        "my_roles": dict.fromkeys(access.roles(user), True) if user else {},
        "demo": settings.SAMVAD_DEMO,
    }
