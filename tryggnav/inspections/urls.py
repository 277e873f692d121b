from django.urls import path

from tryggnav.inspections import citizen_views, group_views, views

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

# The citizen channel (citizen_views.py): public pages by municipality code, the
# reporter's status page by its token, the moderation queue of the municipality.
urlpatterns += [
    path("felanmalan/<str:code>/", citizen_views.report_form, name="citizen_report"),
    path("felanmalan/<str:code>/karta/", citizen_views.public_map_page, name="citizen_map"),
    path(
        "felanmalan/<str:code>/karta.json", citizen_views.public_map_data, name="citizen_map_data"
    ),  # fmt: skip
    path("status/<str:token>/", citizen_views.report_status, name="citizen_status"),
    path(M + "granskning/", citizen_views.moderation_queue, name="moderation"),
    path(M + "granskning/<uuid:public_id>/", citizen_views.moderate, name="moderate"),
    path(
        M + "granskning/<uuid:public_id>/bild/",
        citizen_views.moderation_photo,
        name="moderation_photo",
    ),  # fmt: skip
]

# Safety walks (trygghetsvandringar): tryggnav/inspections/walk_views.py.
from tryggnav.inspections import walk_views  # noqa: E402

W = "vandringar/<uuid:walk>/"
P = W + "punkter/<uuid:point>/"
urlpatterns += [
    path("vandringar/", walk_views.walk_index, name="walks"),
    path(M + "vandringar/ny/", walk_views.walk_create, name="walk_create"),
    path(W, walk_views.walk_detail, name="walk"),
    path(W + "karta.geojson", walk_views.walk_geojson, name="walk_geojson"),
    path(W + "pa-plats/", walk_views.walk_record, name="walk_record"),
    path(W + "punkter/", walk_views.walk_point_add, name="walk_point_add"),
    path(P + "bild/", walk_views.walk_point_photo, name="walk_point_photo"),
    path(P + "problem/", walk_views.walk_point_problem, name="walk_point_problem"),
    path(P + "publik-bild/", walk_views.walk_point_photo_public, name="walk_point_photo_public"),
    path(W + "brister/", walk_views.walk_deficiencies, name="walk_deficiencies"),
    path(W + "publicera/", walk_views.walk_publish, name="walk_publish"),
    path(W + "protokoll.<str:fmt>", walk_views.walk_protocol, name="walk_protocol"),
    path(W + "protokoll/diarium/", walk_views.walk_protocol_diarium, name="walk_protocol_diarium"),
    path("vandringar/protokoll/<uuid:walk>/", walk_views.walk_public, name="walk_public"),
    path(
        "vandringar/protokoll/<uuid:walk>/bild/<uuid:point>/",
        walk_views.walk_public_photo,
        name="walk_public_photo",
    ),  # fmt: skip
]

# Checklists and scheduled checks (checks_urls.py).
from tryggnav.inspections import checks_urls  # noqa: E402

urlpatterns += checks_urls.urlpatterns
