from django.shortcuts import render

from samvad.org.access import PUBLIC, access


@access(PUBLIC)
def home(request):
    return render(request, "org/landing.html")
