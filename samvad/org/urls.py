from django.urls import path

from samvad.org import views

urlpatterns = [
    path("", views.home, name="home"),
]
