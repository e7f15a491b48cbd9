from django.urls import path

from samvad.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/approve/", views.ticket_approve, name="ticket_approve"),
    path("tickets/<int:pk>/return/", views.ticket_return, name="ticket_return"),
    path("tickets/<int:pk>/assign/", views.ticket_assign, name="ticket_assign"),
    path("tickets/<int:pk>/rumour/", views.ticket_rumour, name="ticket_rumour"),
    path("tickets/<int:pk>/<slug:action>/", views.ticket_status, name="ticket_status"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/suggested/", views.rules_suggest, name="rules_suggest"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("settings/", views.settings_edit, name="settings"),
    path("fact-checks/", views.factcheck_list, name="factcheck_list"),
    path("fact-checks/new/", views.factcheck_new, name="factcheck_new"),
    path("fact-checks/<int:pk>/", views.factcheck_detail, name="factcheck_detail"),
    path("fact-checks/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("fact-checks/<int:pk>/publish/", views.factcheck_publish, name="factcheck_publish"),
    path("fact-checks/<int:pk>/dismiss/", views.factcheck_dismiss, name="factcheck_dismiss"),
    path("evidence/<int:pk>/", views.evidence_document, name="evidence_document"),
    path(
        "public/<slug:district>/fact-checks/", views.public_fact_checks, name="public_fact_checks"
    ),
]
