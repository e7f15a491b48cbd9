from django.urls import path

from samvad.home import views

urlpatterns = [
    path("", views.home, name="home"),
]
