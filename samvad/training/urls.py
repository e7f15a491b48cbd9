from django.urls import path

from samvad.training import views

urlpatterns = [
    path("", views.index, name="training"),
    path("sessions/new/", views.session_new, name="training_session_new"),
    path("sessions/trainers/", views.trainers, name="training_trainers"),
    path("sessions/<int:pk>/", views.session_detail, name="training_session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="training_session_edit"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="training_attendance"),
    path("sessions/<int:pk>/feedback/", views.feedback, name="training_feedback"),
    path("progress/", views.progress, name="training_progress"),
    path("progress/<int:pk>/", views.progress_department, name="training_progress_department"),
    path("materials/", views.material_list, name="training_materials"),
    path("materials/<slug:slug>/", views.material_detail, name="training_material"),
    path("materials/<slug:slug>/pdf/", views.material_pdf, name="training_material_pdf"),
]
