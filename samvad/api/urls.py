from django.urls import path

from samvad.api import views

urlpatterns = [
    path("profile/tokens/", views.tokens, name="api_tokens"),
    path("profile/tokens/revoke/", views.revoke, name="api_token_revoke"),
]
