# ruff: noqa: E501 -- the matrix is a table, one row per line
"""Who gets what from every URL: the access matrix of issue 9, checked by test_access_matrix.py.

It lives beside access.py's own tests because access is org's: one row per URL pattern (and one per
API operation) and method, one column per persona of samvad/conftest.py. Objects named in a URL
belong to Dausa (district A) and its water department (department A), so officer_b (department B),
alwar_editor and alwar_admin (district B) see another scope's object.

Outcomes: a status code, or `login` for a redirect to the login page. A POST row is there for each
page that a form or button posts to (posted empty: access is decided before the form is read).
"""

# Which object of district A fills each route's parameters, in order (see conftest.district_a).
ARGS = {
    "/password/reset/<uidb64>/<token>/": lambda o: ["MQ", "set-password"],
    "/org/departments/<int:pk>/": lambda o: [o.water.pk],
    "/org/people/<int:pk>/": lambda o: [o.person.pk],
    "/invite/<str:token>/": lambda o: [o.invitation_token],
    "/content/submissions/new/<slug:kind>/": lambda o: ["scheme"],
    "/content/submissions/<int:pk>/": lambda o: [o.submission.pk],
    "/content/submissions/<int:pk>/edit/": lambda o: [o.returned.pk],
    "/content/submissions/<int:pk>/return/": lambda o: [o.submission.pk],
    "/content/submissions/<int:pk>/reject/": lambda o: [o.submission.pk],
    "/content/submissions/<int:pk>/compose/": lambda o: [o.submission.pk],
    "/content/posts/<int:pk>/": lambda o: [o.post.pk],
    "/content/posts/<int:pk>/<slug:action>/": lambda o: [o.post.pk, "submit"],
    "/content/media/<int:pk>/": lambda o: [o.media.pk],
    "/content/calendar/blackouts/<int:pk>/delete/": lambda o: [o.blackout.pk],
    "/content/audit/export.<slug:fmt>": lambda o: ["csv"],
    "/x/accounts/<int:pk>/connect/": lambda o: [o.account.pk],
    "/x/accounts/<int:pk>/tokens/": lambda o: [o.account.pk],
    "/x/accounts/<int:pk>/disconnect/": lambda o: [o.account.pk],
    "/x/accounts/<int:pk>/clear-cap/": lambda o: [o.account.pk],
    "/x/accounts/<int:pk>/owns-app/": lambda o: [o.account.pk],
    "/x/accounts/<int:pk>/test/": lambda o: [o.account.pk],
    "/x/districts/<int:district_pk>/budget/": lambda o: [o.dausa.pk],
    "/advocacy/departments/<int:pk>/": lambda o: [o.water.pk],
    "/advocacy/departments/<int:pk>/upload/": lambda o: [o.water.pk],
    "/advocacy/departments/<int:pk>/verify/": lambda o: [o.water.pk],
    "/advocacy/departments/<int:pk>/reminders/": lambda o: [o.water.pk],
    "/advocacy/imports/<int:pk>/": lambda o: [o.staff_import.pk],
    "/advocacy/imports/<int:pk>/progress/": lambda o: [o.staff_import.pk],
    "/advocacy/imports/<int:pk>/save/": lambda o: [o.staff_import.pk],
    "/advocacy/template.<str:kind>": lambda o: ["xlsx"],
    "/advocacy/people/<int:pk>/qr.svg": lambda o: [o.person.pk],
    "/advocacy/people/<int:pk>/revoke-link/": lambda o: [o.person.pk],
    "/advocacy/t/<str:token>/": lambda o: [o.task_token],
    "/advocacy/t/<str:token>/handle/": lambda o: [o.task_token],
    "/advocacy/t/<str:token>/follow/": lambda o: [o.task_token],
    "/advocacy/t/<str:token>/repost/<str:x_post_id>/": lambda o: [o.task_token, "1234"],
    "/advocacy/t/<str:token>/remove/": lambda o: [o.task_token],
    "/training/sessions/<int:pk>/": lambda o: [o.session.pk],
    "/training/sessions/<int:pk>/edit/": lambda o: [o.session.pk],
    "/training/sessions/<int:pk>/attendance/": lambda o: [o.session.pk],
    "/training/sessions/<int:pk>/feedback/": lambda o: [o.session.pk],
    "/training/progress/<int:pk>/": lambda o: [o.water.pk],
    "/training/materials/<slug:slug>/": lambda o: ["repost"],
    "/training/materials/<slug:slug>/pdf/": lambda o: ["repost"],
    "/campaigns/<int:pk>/": lambda o: [o.campaign.pk],
    "/campaigns/<int:pk>/edit/": lambda o: [o.campaign.pk],
    "/campaigns/<int:pk>/targets/": lambda o: [o.campaign.pk],
    "/reports/campaign/<int:pk>/daily/": lambda o: [o.campaign.pk],
    "/reports/campaign/<int:pk>/daily/pdf/": lambda o: [o.campaign.pk],
    "/reports/campaign/<int:pk>/daily/xlsx/": lambda o: [o.campaign.pk],
    "/reports/campaign/<int:pk>/daily/send/": lambda o: [o.campaign.pk],
    "/api/v1/org/districts/{district_id}": lambda o: [o.dausa.pk],
    "/api/v1/org/departments/{department_id}": lambda o: [o.water.pk],
    "/api/v1/org/people/{person_id}": lambda o: [o.person.pk],
    "/api/v1/campaigns/{campaign_id}": lambda o: [o.campaign.pk],
    "/api/v1/submissions/{pk}": lambda o: [o.submission.pk],
    "/api/v1/submissions/{pk}/thread": lambda o: [o.submission.pk],
    "/api/v1/posts/{pk}": lambda o: [o.post.pk],
    "/api/v1/posts/{pk}/approve": lambda o: [o.post.pk],
    "/api/v1/posts/{pk}/schedule": lambda o: [o.post.pk],
    "/api/v1/tickets/{pk}": lambda o: [o.ticket.pk],
    "/api/v1/tickets/{pk}/reply": lambda o: [o.ticket.pk],
    "/api/v1/tickets/{pk}/approve": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/reply/": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/approve/": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/return/": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/assign/": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/rumour/": lambda o: [o.ticket.pk],
    "/inbox/tickets/<int:pk>/<slug:action>/": lambda o: [o.ticket.pk, "close"],
    "/inbox/rules/<int:pk>/": lambda o: [o.rule.pk],
    "/inbox/rules/<int:pk>/delete/": lambda o: [o.rule.pk],
    "/inbox/fact-checks/<int:pk>/": lambda o: [o.fact_check.pk],
    "/inbox/fact-checks/<int:pk>/evidence/": lambda o: [o.fact_check.pk],
    "/inbox/fact-checks/<int:pk>/publish/": lambda o: [o.fact_check.pk],
    "/inbox/fact-checks/<int:pk>/dismiss/": lambda o: [o.fact_check.pk],
    "/inbox/evidence/<int:pk>/": lambda o: [o.evidence.pk],
    "/inbox/public/<slug:district>/fact-checks/": lambda o: [o.dausa.code],
}

# The JSON body an API write is sent with: a valid one, so that the answer is about who calls.
BODIES = {
    "/api/v1/submissions": {
        "kind": "advisory",
        "title": "लू से बचाव",
        "body": "दोपहर में घर पर रहें।",
        "details": {"applies_to": "सभी नागरिक"},
    },
    "/api/v1/submissions/{pk}/thread": {"text": "लू से बचाव: दोपहर में घर पर रहें।"},
    "/api/v1/posts/{pk}/schedule": {"scheduled_at": "2030-02-01T10:00:00+05:30"},
    "/api/v1/tickets/{pk}/reply": {"text": "कल सुबह तक जल आपूर्ति शुरू होगी।"},
    "/api/v1/tickets/{pk}/approve": {"text": "कल सुबह तक जल आपूर्ति शुरू होगी।"},
}

# Column name: the attribute of samvad/conftest.py's `world` (None: not logged in).
PERSONAS = {
    "anon": None,
    "outsider": "outsider",
    "employee": "employee",
    "officer_a": "officer_a",
    "officer_b": "officer_b",
    "editor": "editor",
    "admin": "admin",
    "b_editor": "alwar_editor",
    "b_admin": "alwar_admin",
    "observer": "observer",
}

MATRIX = """
# route                                            anon      outsider  employee  officer_a officer_b editor    admin     b_editor  b_admin   observer
/                                             GET  200       200       200       200       200       200       200       200       200       200
/advocacy/                                    GET  login     403       403       200       200       403       200       403       200       403
/advocacy/departments/<int:pk>/               GET  login     403       403       200       404       403       200       403       404       403
/advocacy/departments/<int:pk>/reminders/     GET  login     403       403       200       404       403       200       403       404       403
/advocacy/departments/<int:pk>/upload/        GET  login     403       403       200       404       403       200       403       404       403
/advocacy/departments/<int:pk>/verify/        GET  login     403       403       405       405       403       405       403       405       403
/advocacy/departments/<int:pk>/verify/        POST login     403       403       302       404       403       302       403       404       403
/advocacy/export.csv                          GET  login     403       403       403       403       403       200       403       200       403
/advocacy/full-check/                         GET  login     403       403       403       403       403       200       403       200       403
/advocacy/full-check/                         POST login     403       403       403       403       403       302       403       302       403
/advocacy/imports/<int:pk>/                   GET  login     403       403       200       404       403       200       403       404       403
/advocacy/imports/<int:pk>/progress/          GET  login     403       403       200       404       403       200       403       404       403
/advocacy/imports/<int:pk>/save/              GET  login     403       403       405       405       403       405       403       405       403
/advocacy/imports/<int:pk>/save/              POST login     403       403       302       404       403       302       403       404       403
/advocacy/leaderboard/                        GET  login     403       200       200       200       200       200       200       200       403
/advocacy/me/                                 GET  login     403       200       200       200       403       404       403       404       403
/advocacy/people/<int:pk>/qr.svg              GET  login     403       403       200       404       403       200       403       404       403
/advocacy/people/<int:pk>/revoke-link/        GET  login     403       403       405       405       403       405       403       405       403
/advocacy/people/<int:pk>/revoke-link/        POST login     403       403       302       404       403       302       403       404       403
/advocacy/t/<str:token>/                      GET  200       200       200       200       200       200       200       200       200       200
/advocacy/t/<str:token>/follow/               GET  302       302       302       302       302       302       302       302       302       302
/advocacy/t/<str:token>/repost/<str:x_post_id>/ GET  404       404       404       404       404       404       404       404       404       404
/advocacy/t/<str:token>/handle/               GET  405       405       405       405       405       405       405       405       405       405
/advocacy/t/<str:token>/handle/               POST 302       302       302       302       302       302       302       302       302       302
/advocacy/t/<str:token>/remove/               GET  405       405       405       405       405       405       405       405       405       405
/advocacy/t/<str:token>/remove/               POST 302       302       302       302       302       302       302       302       302       302
/advocacy/template.<str:kind>                 GET  login     403       403       200       200       403       200       403       200       403
/api/v1/campaigns                             GET  401       403       403       200       200       200       200       200       200       200
/api/v1/campaigns/state                       GET  401       403       403       403       403       403       403       403       403       200
/api/v1/campaigns/{campaign_id}               GET  401       403       403       200       200       200       200       404       404       200
/api/v1/docs                                  GET  200       200       200       200       200       200       200       200       200       200
/api/v1/openapi.json                          GET  200       200       200       200       200       200       200       200       200       200
/api/v1/org/accounts                          GET  401       403       403       200       200       200       200       200       200       200
/api/v1/org/departments                       GET  401       403       403       200       200       200       200       200       200       200
/api/v1/org/departments/{department_id}       GET  401       403       403       200       404       200       200       404       404       200
/api/v1/org/districts                         GET  401       403       403       200       200       200       200       200       200       200
/api/v1/org/districts/{district_id}           GET  401       403       403       200       200       200       200       404       404       200
/api/v1/org/me                                GET  401       200       200       200       200       200       200       200       200       200
/api/v1/org/people                            GET  401       403       403       200       200       403       200       403       200       403
/api/v1/org/people/{person_id}                GET  401       403       200       200       404       403       200       403       404       403
/api/v1/posts                                 GET  401       403       403       200       200       200       200       200       200       403
/api/v1/posts/{pk}                            GET  401       403       403       200       404       200       200       404       404       403
/api/v1/posts/{pk}/approve                    POST 401       403       403       403       403       200       200       404       404       403
/api/v1/posts/{pk}/schedule                   POST 401       403       403       403       403       200       200       404       404       403
/api/v1/submissions                           GET  401       403       403       200       200       200       200       200       200       403
/api/v1/submissions                           POST 401       403       403       201       201       403       422       403       201       403
/api/v1/submissions/{pk}                      GET  401       403       403       200       404       200       200       404       404       403
/api/v1/submissions/{pk}/thread               POST 401       403       403       403       403       201       201       404       404       403
/api/v1/tickets                               GET  401       403       403       200       200       200       200       200       200       403
/api/v1/tickets/{pk}                          GET  401       403       403       200       404       200       200       404       404       403
/api/v1/tickets/{pk}/approve                  POST 401       403       403       403       403       409       409       404       404       403
/api/v1/tickets/{pk}/reply                    POST 401       403       403       200       404       200       200       404       404       403
/campaigns/                                   GET  login     403       403       200       200       200       200       200       200       200
/campaigns/<int:pk>/                          GET  login     403       403       200       200       200       200       404       404       200
/campaigns/<int:pk>/edit/                     GET  login     403       403       403       403       403       200       403       404       403
/campaigns/<int:pk>/targets/                  GET  login     403       403       403       403       403       200       403       404       403
/campaigns/new/                               GET  login     403       403       403       403       403       200       403       200       403
/campaigns/state/                             GET  login     403       403       403       403       403       403       403       403       200
/content/audit/                               GET  login     403       403       403       403       403       200       403       200       403
/content/audit/export.<slug:fmt>              GET  login     403       403       403       403       403       200       403       200       403
/content/calendar/                            GET  login     403       403       403       403       200       200       200       200       403
/content/calendar/blackouts/                  GET  405       405       405       405       405       405       405       405       405       405
/content/calendar/blackouts/                  POST login     403       403       403       403       403       302       403       302       403
/content/calendar/blackouts/<int:pk>/delete/  GET  405       405       405       405       405       405       405       405       405       405
/content/calendar/blackouts/<int:pk>/delete/  POST login     403       403       403       403       403       302       403       404       403
/content/kruti/                               GET  405       405       405       405       405       405       405       405       405       405
/content/kruti/                               POST login     400       400       400       400       400       400       400       400       400
/content/media/<int:pk>/                      GET  login     403       403       200       404       200       200       404       404       403
/content/notifications/                       GET  login     200       200       200       200       200       200       200       200       200
/content/posts/<int:pk>/                      GET  login     403       403       403       403       200       200       404       404       403
/content/posts/<int:pk>/<slug:action>/        GET  405       405       405       405       405       405       405       405       405       405
/content/posts/<int:pk>/<slug:action>/        POST login     403       403       403       403       302       302       404       404       403
/content/posts/counter/                       GET  405       405       405       405       405       405       405       405       405       405
/content/posts/counter/                       POST login     403       403       403       403       200       200       200       200       403
/content/posts/new/                           GET  login     403       403       403       403       200       200       200       200       403
/content/publishing/four-eyes/                GET  405       405       405       405       405       405       405       405       405       405
/content/publishing/four-eyes/                POST login     403       403       403       403       403       302       403       302       403
/content/publishing/pause/                    GET  405       405       405       405       405       405       405       405       405       405
/content/publishing/pause/                    POST login     403       403       403       403       403       302       403       302       403
/content/review/                              GET  login     403       403       403       403       200       200       200       200       403
/content/submissions/                         GET  login     403       403       200       200       200       200       200       200       403
/content/submissions/<int:pk>/                GET  login     403       403       200       404       200       200       404       404       403
/content/submissions/<int:pk>/compose/        GET  login     403       403       403       403       200       200       404       404       403
/content/submissions/<int:pk>/edit/           GET  login     403       403       200       404       403       200       403       404       403
/content/submissions/<int:pk>/reject/         GET  405       405       405       405       405       405       405       405       405       405
/content/submissions/<int:pk>/reject/         POST login     403       403       403       403       302       302       404       404       403
/content/submissions/<int:pk>/return/         GET  405       405       405       405       405       405       405       405       405       405
/content/submissions/<int:pk>/return/         POST login     403       403       403       403       302       302       404       404       403
/content/submissions/new/<slug:kind>/         GET  login     403       403       200       200       403       200       403       200       403
/inbox/                                       GET  login     403       403       200       200       200       200       200       200       403
/inbox/evidence/<int:pk>/                     GET  login     403       403       200       404       200       200       404       404       403
/inbox/fact-checks/                           GET  login     403       403       200       200       200       200       200       200       403
/inbox/fact-checks/<int:pk>/                  GET  login     403       403       200       404       200       200       404       404       403
/inbox/fact-checks/<int:pk>/dismiss/          GET  405       405       405       405       405       405       405       405       405       405
/inbox/fact-checks/<int:pk>/dismiss/          POST login     403       403       403       403       302       302       404       404       403
/inbox/fact-checks/<int:pk>/evidence/         GET  405       405       405       405       405       405       405       405       405       405
/inbox/fact-checks/<int:pk>/evidence/         POST login     403       403       302       404       302       302       404       404       403
/inbox/fact-checks/<int:pk>/publish/          GET  405       405       405       405       405       405       405       405       405       405
/inbox/fact-checks/<int:pk>/publish/          POST login     403       403       403       403       302       302       404       404       403
/inbox/fact-checks/new/                       GET  login     403       403       403       403       200       200       200       200       403
/inbox/public/<slug:district>/fact-checks/    GET  404       404       404       404       404       404       404       404       404       404
/inbox/rules/                                 GET  login     403       403       403       403       403       200       403       200       403
/inbox/rules/<int:pk>/                        GET  login     403       403       403       403       403       200       403       404       403
/inbox/rules/<int:pk>/delete/                 GET  405       405       405       405       405       405       405       405       405       405
/inbox/rules/<int:pk>/delete/                 POST login     403       403       403       403       403       302       403       404       403
/inbox/rules/new/                             GET  login     403       403       403       403       403       200       403       200       403
/inbox/rules/suggested/                       GET  405       405       405       405       405       405       405       405       405       405
/inbox/rules/suggested/                       POST login     403       403       403       403       403       302       403       302       403
/inbox/settings/                              GET  405       405       405       405       405       405       405       405       405       405
/inbox/settings/                              POST login     403       403       403       403       403       302       403       302       403
/inbox/tickets/<int:pk>/                      GET  login     403       403       200       404       200       200       404       404       403
/inbox/tickets/<int:pk>/<slug:action>/        GET  405       405       405       405       405       405       405       405       405       405
/inbox/tickets/<int:pk>/<slug:action>/        POST login     403       403       403       403       302       302       404       404       403
/inbox/tickets/<int:pk>/approve/              GET  405       405       405       405       405       405       405       405       405       405
/inbox/tickets/<int:pk>/approve/              POST login     403       403       403       403       302       302       404       404       403
/inbox/tickets/<int:pk>/assign/               GET  405       405       405       405       405       405       405       405       405       405
/inbox/tickets/<int:pk>/assign/               POST login     403       403       403       403       302       302       404       404       403
/inbox/tickets/<int:pk>/reply/                GET  405       405       405       405       405       405       405       405       405       405
/inbox/tickets/<int:pk>/reply/                POST login     403       403       302       404       302       302       404       404       403
/inbox/tickets/<int:pk>/return/               GET  405       405       405       405       405       405       405       405       405       405
/inbox/tickets/<int:pk>/return/               POST login     403       403       403       403       302       302       404       404       403
/inbox/tickets/<int:pk>/rumour/               GET  405       405       405       405       405       405       405       405       405       405
/inbox/tickets/<int:pk>/rumour/               POST login     403       403       403       403       302       302       404       404       403
/invite/<str:token>/                          GET  200       200       200       200       200       200       200       200       200       200
/language/                                    GET  405       405       405       405       405       405       405       405       405       405
/language/                                    POST 302       302       302       302       302       302       302       302       302       302
/login/                                       GET  200       200       200       200       200       200       200       200       200       200
/login/verify/                                GET  login     302       302       302       302       302       302       302       302       302
/logout/                                      GET  405       405       405       405       405       405       405       405       405       405
/logout/                                      POST 302       302       302       302       302       302       302       302       302       302
/org/accounts/                                GET  login     403       403       200       200       200       200       200       200       200
/org/departments/                             GET  login     403       403       200       200       200       200       200       200       200
/org/departments/<int:pk>/                    GET  login     403       403       200       404       403       200       403       404       403
/org/invite/                                  GET  login     403       403       200       200       403       200       403       200       403
/org/people/<int:pk>/                         GET  login     403       200       200       404       403       200       403       404       403
/password/change/                             GET  login     200       200       200       200       200       200       200       200       200
/password/change/done/                        GET  login     200       200       200       200       200       200       200       200       200
/password/change/done/                        POST login     405       405       405       405       405       405       405       405       405
/password/reset/                              GET  200       200       200       200       200       200       200       200       200       200
/password/reset/<uidb64>/<token>/             GET  200       200       200       200       200       200       200       200       200       200
/password/reset/done/                         GET  200       200       200       200       200       200       200       200       200       200
/password/reset/done/                         POST 405       405       405       405       405       405       405       405       405       405
/password/reset/sent/                         GET  200       200       200       200       200       200       200       200       200       200
/password/reset/sent/                         POST 405       405       405       405       405       405       405       405       405       405
/profile/                                     GET  login     200       200       200       200       200       200       200       200       200
/profile/email/                               GET  login     200       200       200       200       200       200       200       200       200
/profile/mfa/                                 GET  login     200       200       200       200       200       200       200       200       200
/profile/mfa/enrol/                           GET  login     200       200       200       200       200       200       200       200       200
/profile/mfa/enrol/                           POST login     302       302       302       302       302       302       302       302       302
/profile/mfa/off/                             GET  login     302       302       302       302       302       302       302       302       302
/profile/mfa/recovery-codes/                  GET  login     302       302       302       302       302       302       302       302       302
/profile/reauthenticate/                      GET  login     200       200       200       200       200       200       200       200       200
/profile/tokens/                              GET  login     200       200       200       200       200       200       200       200       200
/profile/tokens/revoke/                       GET  405       405       405       405       405       405       405       405       405       405
/profile/tokens/revoke/                       POST login     404       404       404       404       404       404       404       404       404
/reports/campaign/<int:pk>/daily/             GET  login     403       403       403       403       200       200       404       404       200
/reports/campaign/<int:pk>/daily/pdf/         GET  login     403       403       403       403       200       200       404       404       200
/reports/campaign/<int:pk>/daily/send/        GET  login     403       403       403       403       403       405       403       405       403
/reports/campaign/<int:pk>/daily/send/        POST login     403       403       403       403       403       302       403       404       403
/reports/campaign/<int:pk>/daily/xlsx/        GET  login     403       403       403       403       200       200       404       404       200
/reports/recipients/                          GET  login     403       403       403       403       403       200       403       200       403
/security/log/                                GET  login     403       403       403       403       403       200       403       200       403
/security/log/export.csv                      GET  login     403       403       403       403       403       200       403       200       403
/training/                                    GET  login     200       200       200       200       200       200       200       200       200
/training/materials/                          GET  login     200       200       200       200       200       200       200       200       200
/training/materials/<slug:slug>/              GET  login     200       200       200       200       200       200       200       200       200
/training/materials/<slug:slug>/pdf/          GET  login     200       200       200       200       200       200       200       200       200
/training/progress/                           GET  login     403       403       200       200       403       200       403       200       403
/training/progress/<int:pk>/                  GET  login     403       403       200       404       403       200       403       404       403
/training/sessions/<int:pk>/                  GET  login     404       200       200       404       404       200       404       404       404
/training/sessions/<int:pk>/attendance/       GET  login     403       403       403       403       403       200       403       404       403
/training/sessions/<int:pk>/attendance/       POST login     403       403       403       403       403       302       403       404       403
/training/sessions/<int:pk>/edit/             GET  login     403       403       403       403       403       200       403       404       403
/training/sessions/<int:pk>/feedback/         GET  405       405       405       405       405       405       405       405       405       405
/training/sessions/<int:pk>/feedback/         POST login     404       404       404       404       404       404       404       404       404
/training/sessions/new/                       GET  login     403       403       403       403       403       200       403       200       403
/training/sessions/trainers/                  GET  login     403       403       403       403       403       200       403       200       403
/x/accounts/<int:pk>/clear-cap/               GET  login     403       403       403       403       403       405       403       405       403
/x/accounts/<int:pk>/clear-cap/               POST login     403       403       403       403       403       302       403       404       403
/x/accounts/<int:pk>/connect/                 GET  login     403       403       403       403       403       405       403       405       403
/x/accounts/<int:pk>/connect/                 POST login     403       403       403       403       403       302       403       404       403
/x/accounts/<int:pk>/disconnect/              GET  login     403       403       403       403       403       405       403       405       403
/x/accounts/<int:pk>/disconnect/              POST login     403       403       403       403       403       302       403       404       403
/x/accounts/<int:pk>/owns-app/                GET  login     403       403       403       403       403       405       403       405       403
/x/accounts/<int:pk>/owns-app/                POST login     403       403       403       403       403       302       403       404       403
/x/accounts/<int:pk>/test/                    GET  login     403       403       403       403       403       405       403       405       403
/x/accounts/<int:pk>/test/                    POST login     403       403       403       403       403       302       403       404       403
/x/accounts/<int:pk>/tokens/                  GET  login     403       403       403       403       403       405       403       405       403
/x/accounts/<int:pk>/tokens/                  POST login     403       403       403       403       403       302       403       404       403
/x/callback/                                  GET  login     403       403       403       403       403       302       403       302       403
/x/districts/<int:district_pk>/budget/        GET  login     403       403       403       403       403       405       403       405       403
/x/districts/<int:district_pk>/budget/        POST login     403       403       403       403       403       302       403       404       403
/x/ledger/                                    GET  login     403       403       403       403       200       200       200       200       403
/x/settings/                                  GET  login     403       403       403       403       403       200       403       200       403
/x/settings/app/                              GET  login     403       403       403       403       403       405       403       405       403
/x/settings/app/                              POST login     403       403       403       403       403       302       403       302       403
"""


def format_row(route: str, method: str, outcomes: list[str]) -> str:
    return (f"{route:<45} {method:<4}" + "".join(f" {o:<9}" for o in outcomes)).rstrip()


def expected_rows() -> dict[tuple[str, str], dict[str, str]]:
    """{(route, method): {persona: outcome}} from MATRIX."""
    rows = {}
    for line in MATRIX.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        route, method, *outcomes = line.split()
        assert len(outcomes) == len(PERSONAS), f"{route} {method}: one outcome per persona"
        assert (route, method) not in rows, f"{route} {method} twice"
        rows[route, method] = dict(zip(PERSONAS, outcomes, strict=True))
    return rows
