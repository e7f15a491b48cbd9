from django.urls import path

from samvad.platforms.x import views

app_name = "x"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/app/", views.save_app, name="app"),
    path("accounts/<int:pk>/test/", views.test_connection, name="test"),
    path("accounts/<int:pk>/connect/", views.connect_start, name="connect"),
    path("callback/", views.connect_callback, name="callback"),
    path("accounts/<int:pk>/tokens/", views.connect_tokens, name="tokens"),
    path("accounts/<int:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("accounts/<int:pk>/clear-cap/", views.clear_usage_cap, name="clear_cap"),
    path("accounts/<int:pk>/owns-app/", views.owns_app, name="owns_app"),
    path("districts/<int:district_pk>/budget/", views.set_budget, name="budget"),
    path("ledger/", views.ledger_page, name="ledger"),
]
