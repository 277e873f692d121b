from django.urls import include, path

from tryggnav.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("karta.geojson", views.incident_map_geojson, name="map_geojson"),
    path("export.<str:fmt>", views.incident_export, name="export"),
    path("rapportera/", views.incident_report, name="report"),
    path("rapportera/kontroll/", views.incident_check, name="check"),
    path("granskning/<slug:slug>/", views.review_queue, name="review_queue"),
    path("granskning/<slug:slug>/<uuid:public_id>/", views.review_detail, name="review"),
    path(
        "granskning/<slug:slug>/<uuid:public_id>/karta.geojson",
        views.review_geojson,
        name="review_geojson",
    ),
    path(
        "granskning/<slug:slug>/<uuid:public_id>/godkann/",
        views.review_accept,
        name="review_accept",
    ),
    path(
        "granskning/<slug:slug>/<uuid:public_id>/avvisa/",
        views.review_reject,
        name="review_reject",
    ),
    path(
        "granskning/<slug:slug>/<uuid:public_id>/sla-ihop/",
        views.review_merge,
        name="review_merge",
    ),
    path("kategorier/<slug:slug>/", views.category_list, name="categories"),
    path("kategorier/<slug:slug>/ny/", views.category_create, name="category_create"),
    path(
        "kategorier/<slug:slug>/<slug:category>/aktiv/",
        views.category_toggle,
        name="category_toggle",
    ),
    path("tackning/<slug:slug>/", views.coverage, name="coverage"),
    path("import/", include("tryggnav.incidents.import_urls")),
    path("<uuid:public_id>/", views.incident_detail, name="detail"),
    path("<uuid:public_id>/foto/<uuid:photo>/", views.incident_photo, name="photo"),
    path("<uuid:public_id>/ta-bort/", views.incident_delete, name="delete"),
]
