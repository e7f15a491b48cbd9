from django.urls import path

from samvad.accounts_security import views

urlpatterns = [
    path("login/verify/", views.verify, name="mfa_verify"),
    # The old password goes through the login throttle.
    path("password/change/", views.password_change, name="password_change"),
    path("profile/reauthenticate/", views.reauthenticate, name="reauthenticate"),
    path("profile/email/", views.change_email, name="change_email"),
    path("profile/mfa/", views.manage, name="mfa_manage"),
    path("profile/mfa/enrol/", views.enrol, name="mfa_enrol"),
    path("profile/mfa/recovery-codes/", views.recovery_codes, name="mfa_recovery_codes"),
    path("profile/mfa/off/", views.turn_off, name="mfa_turn_off"),
    path("security/log/", views.security_events, name="security_log"),
    path("security/log/export.csv", views.security_events_export, name="security_log_export"),
]
