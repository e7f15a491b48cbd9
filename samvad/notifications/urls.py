from django.urls import path

from samvad.notifications import views

app_name = "notifications"

# Served under /content/notifications/, where the page has always been.
urlpatterns = [
    path("", views.notification_list, name="list"),
]
