from django.shortcuts import render

from samvad.home.queues import home_context
from samvad.org import access
from samvad.org.access import PUBLIC


@access.allow(PUBLIC)
def home(request):
    """The landing page for visitors; each role's own home once logged in."""
    role = access.primary_role(request.user)
    if role is None:
        context = {}  # with SAMVAD_DEMO, the page offers the demo's logins (samvad/demo)
        if request.user.is_authenticated:
            context["no_role"] = True
        return render(request, "home/landing.html", context)
    return render(request, f"home/{role}.html", home_context(request.user, role))
