from django.urls import path

from tryggnav.lagesbild import views

app_name = "lagesbild"

MEETING = "<slug:slug>/moten/<str:week>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("kommun/<str:code>/", views.municipality_lagesbild, name="municipality"),
    path("kommun/<str:code>/karta.geojson", views.municipality_map, name="municipality_map"),
    path("kommun/<str:code>/trend/", views.municipality_trend, name="municipality_trend"),
    path(
        "kommun/<str:code>/export.<str:fmt>", views.municipality_export, name="municipality_export"
    ),
    path(
        "kommun/<str:code>/export/diarium/",
        views.municipality_export_diarium,
        name="municipality_export_diarium",
    ),
    path("<slug:slug>/", views.group_lagesbild, name="group"),
    path("<slug:slug>/karta.geojson", views.group_map, name="group_map"),
    path("<slug:slug>/trend/", views.group_trend, name="group_trend"),
    path("<slug:slug>/export.<str:fmt>", views.group_export, name="group_export"),
    path("<slug:slug>/export/diarium/", views.group_export_diarium, name="group_export_diarium"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "skapa/", views.meeting_create, name="meeting_create"),
    path(MEETING + "spara/", views.meeting_update, name="meeting_update"),
    path(MEETING + "projektor/", views.meeting_projector, name="meeting_projector"),
    path(MEETING + "protokoll.<str:fmt>", views.meeting_minutes, name="meeting_minutes"),
    path(MEETING + "atgarder/ny/", views.action_create, name="action_create"),
    path(MEETING + "atgarder/<uuid:action>/", views.action_update, name="action_update"),
    path(MEETING + "fokus/ny/", views.focus_create, name="focus_create"),
    path(MEETING + "fokus/<uuid:focus>/ta-bort/", views.focus_delete, name="focus_delete"),
]
