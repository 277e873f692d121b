from django.urls import path

from tryggnav.steering import views

app_name = "steering"

GROUP = "grupp/<slug:slug>/"
PROBLEM = "arenden/<uuid:public_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(GROUP, views.group_detail, name="group"),
    path(GROUP + "overenskommelser/ny/", views.agreement_create, name="agreement_create"),
    path(GROUP + "arenden/nytt/", views.problem_create, name="problem_create"),
    path(GROUP + "aktiviteter/", views.activity_list, name="activities"),
    path(GROUP + "aktiviteter/ny/", views.activity_create, name="activity_create"),
    path(GROUP + "indikatorer/ny/", views.indicator_create, name="indicator_create"),
    path("overenskommelser/<uuid:public_id>/", views.agreement_detail, name="agreement"),
    path(
        "overenskommelser/<uuid:public_id>/andra/", views.agreement_update, name="agreement_update"
    ),
    path(
        "overenskommelser/<uuid:public_id>/ataganden/",
        views.commitments_update,
        name="commitments_update",
    ),
    path(PROBLEM, views.problem_detail, name="problem"),
    path(PROBLEM + "steg/<int:step>/", views.problem_step, name="problem_step"),
    path(PROBLEM + "steg/<int:step>/avsluta/", views.step_complete, name="step_complete"),
    path(PROBLEM + "steg/<int:step>/oppna/", views.step_reopen, name="step_reopen"),
    path(PROBLEM + "kartlaggning/", views.mapping_save, name="mapping_save"),
    path(PROBLEM + "siffror/", views.snapshot_create, name="snapshot_create"),
    path(PROBLEM + "atgarder/ny/", views.measure_create, name="measure_create"),
    path(
        PROBLEM + "atgarder/<uuid:measure_id>/uppfoljning/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path(PROBLEM + "hinder/", views.escalation_create, name="escalation_create"),
    path("hinder/<uuid:public_id>/", views.escalation_update, name="escalation_update"),
    path("indikatorer/<uuid:public_id>/", views.indicator_detail, name="indicator"),
    path("indikatorer/<uuid:public_id>/varden/", views.indicator_value_add, name="indicator_value"),
]
