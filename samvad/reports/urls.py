from django.urls import path

from samvad.reports import views

app_name = "reports"
urlpatterns = [
    path("recipients/", views.recipients, name="recipients"),
    path("campaign/<int:pk>/daily/", views.daily, name="daily"),
    path("campaign/<int:pk>/daily/pdf/", views.daily_pdf, name="daily_pdf"),
    path("campaign/<int:pk>/daily/xlsx/", views.daily_xlsx, name="daily_xlsx"),
    path("campaign/<int:pk>/daily/send/", views.send, name="send"),
]
