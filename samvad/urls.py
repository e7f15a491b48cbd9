from django.urls import include, path

from samvad.api.api import api

urlpatterns = [
    path("", include("samvad.home.urls")),
    path("", include("samvad.org.urls")),
    path("", include("samvad.accounts_security.urls")),
    path("", include("samvad.api.urls")),  # each person's own API tokens, under /profile/
    path("api/v1/", api.urls),
    # The audit log and notifications have their own apps but keep the addresses they had.
    path("content/audit/", include("samvad.audit.urls")),
    path("content/notifications/", include("samvad.notifications.urls")),
    path("content/", include("samvad.content.urls")),
    path("x/", include("samvad.platforms.x.urls")),
    path("advocacy/", include("samvad.advocacy.urls")),
    path("training/", include("samvad.training.urls")),
    path("campaigns/", include("samvad.campaigns.urls")),
    path("reports/", include("samvad.reports.urls")),
    path("inbox/", include("samvad.inbox.urls")),
]
