from django.urls import include, path

urlpatterns = [
    path("", include("samvad.org.urls")),
]
