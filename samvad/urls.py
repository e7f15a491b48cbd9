from django.urls import include, path

from samvad.api.api import api

urlpatterns = [
    path("", include("samvad.org.urls")),
    path("api/v1/", api.urls),
]
