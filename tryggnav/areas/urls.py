from django.urls import path

from tryggnav.areas import views

app_name = "areas"

urlpatterns = [
    path("", views.index, name="index"),
    path("sverige.geojson", views.sweden_geojson, name="sweden_geojson"),
    path("sok/", views.area_search, name="search"),
    path("<str:code>/", views.municipality_detail, name="municipality"),
    path("<str:code>/karta.geojson", views.municipality_geojson, name="municipality_geojson"),
    path("<str:code>/platser/ny/", views.place_create, name="place_create"),
    path("<str:code>/platser/<uuid:place>/ta-bort/", views.place_delete, name="place_delete"),
]
