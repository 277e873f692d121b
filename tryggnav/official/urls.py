from django.urls import path

from tryggnav.official import views

app_name = "official"

urlpatterns = [
    path("", views.index, name="index"),
    path("kommun/<str:code>/", views.municipality, name="municipality"),
    path("kommun/<str:code>/importera/", views.import_file, name="import"),
    path("kommun/<str:code>/importera/spara/", views.import_commit, name="import_commit"),
]
