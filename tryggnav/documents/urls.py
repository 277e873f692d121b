from django.urls import path

from tryggnav.documents import views

app_name = "documents"

DOC = "<uuid:public_id>/"
MUNI = "kommun/<slug:slug>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(MUNI + "cykel/", views.cycle, name="cycle"),
    path(MUNI + "lagesbild/ny/", views.lagesbild_create, name="lagesbild_create"),
    path(DOC, views.detail, name="detail"),
    path(DOC + "atgardsplan/ny/", views.action_plan_create, name="action_plan_create"),
    path(DOC + "text/", views.texts, name="texts"),
    path(DOC + "for-beslut/", views.propose, name="propose"),
    path(DOC + "till-utkast/", views.return_to_draft, name="return_to_draft"),
    path(DOC + "beslut/", views.decide, name="decide"),
    path(DOC + "ny-version/", views.regenerate, name="regenerate"),
    path(DOC + "jamfor/", views.diff, name="diff"),
    path(DOC + "dokument.<str:fmt>", views.export, name="export"),
    path(DOC + "diarium/", views.export_diarium, name="export_diarium"),
    path(DOC + "bidrag/ny/", views.invite, name="invite"),
    path(DOC + "samrad/ny/", views.consultation, name="consultation"),
    path("bidrag/<uuid:public_id>/", views.contribution, name="contribution"),
]
