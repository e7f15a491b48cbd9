from django.contrib.auth import views as auth_views
from django.urls import path

from samvad.org import views
from samvad.org.access import AUTHENTICATED, PUBLIC, allow

# Django's own login and password views, wrapped so that they carry an access rule like every view.
public = allow(PUBLIC)

urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("login/", public(auth_views.LoginView.as_view()), name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/reset/",
        public(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    # password/change/ is accounts_security's: the old password goes through the login throttle.
    path(
        "password/change/done/",
        allow(AUTHENTICATED)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("profile/", views.profile, name="profile"),
    path("org/departments/", views.department_list, name="department_list"),
    path("org/departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("org/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("org/accounts/", views.account_list, name="account_list"),
    path("org/invite/", views.invite, name="invite"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
