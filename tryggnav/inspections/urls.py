from django.urls import path

from tryggnav.inspections import group_views, views

app_name = "inspections"

D = "<uuid:public_id>/"
# The municipality's own organisation.
M = "kommun/<slug:slug>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(M + "ny/", views.deficiency_create, name="create"),
    path(M + "oversikt/", views.overview, name="overview"),
    path(M + "installningar/", views.settings_page, name="settings"),
    path(M + "installningar/regel/", views.rule_add, name="rule_add"),
    path(M + "installningar/regel/<int:pk>/ta-bort/", views.rule_delete, name="rule_delete"),
    path(M + "installningar/serviceniva/", views.level_set, name="level_set"),
    path(M + "installningar/agaromraden/", views.polygons_upload, name="polygons_upload"),
    path("agare/<slug:slug>/", views.owner_queue, name="owner"),
    path(D, views.deficiency_detail, name="deficiency"),
    path(D + "bild/<str:kind>/", views.deficiency_photo, name="photo"),
    path(D + "mottagen/", views.deficiency_receive, name="receive"),
    path(D + "planera/", views.deficiency_plan, name="plan"),
    path(D + "atgardad/", views.deficiency_fix, name="fix"),
    path(D + "inte-var/", views.deficiency_decline, name="decline"),
    path(D + "verifiera/", views.deficiency_verify, name="verify"),
    path(D + "oppna-igen/", views.deficiency_reopen, name="reopen"),
    path(D + "agare/", views.deficiency_route, name="route"),
    path(D + "fordela/", views.deficiency_reroute, name="reroute"),
    path(D + "datum/", views.deficiency_due, name="due"),
    path(D + "lank/", views.token_create, name="token_create"),
    path("lank/<uuid:public_id>/aterkalla/", views.token_revoke, name="token_revoke"),
    path("svar/<str:token>/", views.answer, name="answer"),
    # A collaboration group's deficiencies (groups.py).
    path("grupp/<slug:slug>/", group_views.group_list, name="group"),
    path(D + "problem/", group_views.problem_start, name="problem_start"),
]
