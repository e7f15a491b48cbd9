from django.urls import path

from samvad.audit import views

app_name = "audit"

# Served under /content/audit/, where the log has always been (links and bookmarks keep working).
urlpatterns = [
    path("", views.log, name="log"),
    path("export.<slug:fmt>", views.download, name="download"),
]
