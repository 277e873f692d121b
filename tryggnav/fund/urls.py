from django.urls import path

from tryggnav.fund import views

app_name = "fund"

FUND = "<uuid:public_id>/"
APP = "ansokan/<uuid:public_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/<slug:organisation>/", views.fund_create, name="fund_create"),
    path(FUND, views.fund_detail, name="fund"),
    path(FUND + "utlysning/ny/", views.call_create, name="call_create"),
    path(FUND + "roller/", views.fund_roles, name="fund_roles"),
    path(FUND + "budget/", views.fund_budget, name="fund_budget"),
    path(FUND + "arsrapport.<str:fmt>", views.fund_report, name="fund_report"),
    path(FUND + "arsrapport/diarium/", views.fund_report_diarium, name="fund_report_diarium"),
    path("utlysning/<uuid:public_id>/", views.call_detail, name="call"),
    path("utlysning/<uuid:public_id>/ansok/", views.application_create, name="apply"),
    path(APP, views.application_detail, name="application"),
    path(APP + "andra/", views.application_update, name="application_update"),
    path(APP + "skicka/", views.application_submit, name="application_submit"),
    path(APP + "aterkalla/", views.application_withdraw, name="application_withdraw"),
    path(APP + "komplettering/", views.application_completion, name="application_completion"),
    path(APP + "bilaga/", views.attachment_upload, name="attachment_upload"),
    path(APP + "bedomare/", views.assessment_assign, name="assessment_assign"),
    path(APP + "beslut/", views.decision_create, name="decision"),
    path(APP + "beslut.<str:fmt>", views.decision_letter, name="decision_letter"),
    path(APP + "beslut/diarium/", views.decision_letter_diarium, name="decision_letter_diarium"),
    path(APP + "utbetalning/", views.payment_create, name="payment"),
    path(APP + "slutredovisning/", views.final_report_create, name="final_report"),
    path(APP + "uppfoljning/", views.project_evaluate, name="project_evaluate"),
    path("bilaga/<uuid:public_id>/", views.attachment_download, name="attachment"),
    path("bedomning/<uuid:public_id>/", views.assessment, name="assessment"),
    path("bedomning/<uuid:public_id>/jav/", views.assessment_conflict, name="assessment_conflict"),
    path("offentlig/<uuid:public_id>/", views.public_fund, name="public"),
    path("offentlig/<uuid:public_id>/projekt.<str:fmt>", views.public_data, name="public_data"),
]
