from django.urls import path

from samvad.content import views

app_name = "content"

urlpatterns = [
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/new/<slug:kind>/", views.submission_create, name="submission_create"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/reject/", views.submission_reject, name="submission_reject"),
    path("submissions/<int:pk>/compose/", views.compose, name="compose"),
    path("kruti/", views.kruti_suggestion, name="kruti"),
    path("review/", views.review_queue, name="review_queue"),
    path("posts/new/", views.compose, name="compose_blank"),
    path("posts/counter/", views.counter, name="counter"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/<slug:action>/", views.post_action, name="post_action"),
    path("media/<int:pk>/", views.media, name="media"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/blackouts/", views.blackout_create, name="blackout_create"),
    path("calendar/blackouts/<int:pk>/delete/", views.blackout_delete, name="blackout_delete"),
    path("publishing/pause/", views.pause_toggle, name="pause_toggle"),
    path("publishing/four-eyes/", views.four_eyes_toggle, name="four_eyes_toggle"),
]
