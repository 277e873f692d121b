"""Partner file imports on the web, per organisation: /handelser/import/<organisation>/."""

from django.urls import path

from tryggnav.incidents import import_views

urlpatterns = [
    path("<slug:slug>/", import_views.import_list, name="import_list"),
    path("<slug:slug>/ny/", import_views.import_upload, name="import_upload"),
    path("<slug:slug>/<uuid:public_id>/", import_views.import_detail, name="import_detail"),
    path(
        "<slug:slug>/<uuid:public_id>/kolumner/",
        import_views.import_mapping,
        name="import_mapping",
    ),
    path(
        "<slug:slug>/<uuid:public_id>/importera/",
        import_views.import_commit,
        name="import_commit",
    ),
]
