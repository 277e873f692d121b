from django.urls import path

from tryggnav.areas import population_views, views

app_name = "areas"

urlpatterns = [
    path("", views.index, name="index"),
    path("sverige.geojson", views.sweden_geojson, name="sweden_geojson"),
    path("sok/", views.area_search, name="search"),
    path("<str:code>/", views.municipality_detail, name="municipality"),
    path("<str:code>/karta.geojson", views.municipality_geojson, name="municipality_geojson"),
    path("<str:code>/omraden/<int:area>/namn/", views.area_name, name="area_name"),
    path("<str:code>/platser/ny/", views.place_create, name="place_create"),
    path("<str:code>/platser/<uuid:place>/ta-bort/", views.place_delete, name="place_delete"),
    path("<str:code>/folkmangd/", population_views.population_list, name="population"),
    path(
        "<str:code>/folkmangd/importera/",
        population_views.population_upload,
        name="population_upload",
    ),
    path(
        "<str:code>/folkmangd/importera/<uuid:upload>/",
        population_views.population_preview,
        name="population_preview",
    ),
    path(
        "<str:code>/folkmangd/importera/<uuid:upload>/spara/",
        population_views.population_commit,
        name="population_commit",
    ),
]
