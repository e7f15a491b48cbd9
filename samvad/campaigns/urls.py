from django.urls import path

from samvad.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("state/", views.state_view, name="state"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/targets/", views.campaign_targets, name="targets"),
]
