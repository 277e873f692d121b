from django.urls import path

from tryggnav.programmes import views

app_name = "programmes"

FOLLOW_UP = "ar/<uuid:public_id>/"
GROUP = "grupp/<slug:slug>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/<slug:slug>/nytt/", views.programme_create, name="programme_create"),
    path("program/<uuid:public_id>/", views.programme_detail, name="programme"),
    path("program/<uuid:public_id>/andra/", views.programme_update, name="programme_update"),
    path(
        "program/<uuid:public_id>/uppfoljning/ny/",
        views.follow_up_create,
        name="follow_up_create",
    ),
    path(
        "program/<uuid:public_id>/ansvarsomrade/nytt/",
        views.area_create,
        name="area_create",
    ),
    path(FOLLOW_UP, views.follow_up_detail, name="follow_up"),
    path(FOLLOW_UP + "rapport.<str:fmt>", views.follow_up_report, name="follow_up_report"),
    path(
        FOLLOW_UP + "rapport/diarium/",
        views.follow_up_report_diarium,
        name="follow_up_report_diarium",
    ),
    path(FOLLOW_UP + "bedomning/<uuid:goal_id>/", views.assessment_save, name="assessment_save"),
    path("omrade/<uuid:public_id>/", views.area_follow_up_update, name="area_update"),
    path(GROUP, views.group_reports, name="group"),
    path(GROUP + "lagesbild.<str:fmt>", views.lagesbild_report, name="lagesbild_report"),
    path(GROUP + "atgardsplan.<str:fmt>", views.action_plan_report, name="action_plan_report"),
    path(
        GROUP + "lagesbild/diarium/",
        views.lagesbild_report_diarium,
        name="lagesbild_report_diarium",
    ),
    path(
        GROUP + "atgardsplan/diarium/",
        views.action_plan_report_diarium,
        name="action_plan_report_diarium",
    ),
    path(
        "overenskommelse/<uuid:public_id>/statusrapport.<str:fmt>",
        views.status_report,
        name="status_report",
    ),
    path(
        "overenskommelse/<uuid:public_id>/statusrapport/diarium/",
        views.status_report_diarium,
        name="status_report_diarium",
    ),
    path(
        "overenskommelse/<uuid:public_id>/statusrapport/registrera/",
        views.status_record,
        name="status_record",
    ),
]
