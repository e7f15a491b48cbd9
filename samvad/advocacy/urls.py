from django.urls import path

from samvad.advocacy import views

app_name = "advocacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("departments/<int:pk>/upload/", views.upload, name="upload"),
    path("departments/<int:pk>/verify/", views.verify, name="verify"),
    path("departments/<int:pk>/reminders/", views.reminders, name="reminders"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/save/", views.import_save, name="import_save"),
    path("template.<str:kind>", views.template, name="template"),
    path("people/<int:pk>/qr.svg", views.person_qr, name="person_qr"),
    path("people/<int:pk>/revoke-link/", views.revoke_task_link, name="revoke_task_link"),
    path("me/", views.my_tasks, name="my_tasks"),
    path("t/<str:token>/", views.task, name="task"),
    path("t/<str:token>/handle/", views.register_handle, name="register_handle"),
    path("t/<str:token>/follow/", views.task_follow, name="task_follow"),
    path("t/<str:token>/repost/<str:x_post_id>/", views.task_repost, name="task_repost"),
    path("t/<str:token>/remove/", views.remove_handle, name="remove_handle"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("export.csv", views.export, name="export"),
    path("full-check/", views.full_pass, name="full_pass"),
]
