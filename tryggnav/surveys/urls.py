from django.urls import path

from tryggnav.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("jamfor/<uuid:a>/<uuid:b>/", views.compare, name="compare"),
    path("undersokning/<uuid:public_id>/", views.detail, name="detail"),
    path("undersokning/<uuid:public_id>/ta-bort/", views.survey_delete, name="delete"),
    path(
        "undersokning/<uuid:public_id>/ny-indikator/",
        views.indicator_create,
        name="indicator_create",
    ),
    path("indikator/<uuid:public_id>/", views.indicator, name="indicator"),
    path("indikator/<uuid:public_id>/nytt-resultat/", views.result_create, name="result_create"),
    path("resultat/<uuid:public_id>/", views.result, name="result"),
    path("resultat/<uuid:public_id>/ta-bort/", views.result_delete, name="result_delete"),
    path("org/<slug:slug>/ny/", views.survey_create, name="create"),
    path("org/<slug:slug>/importera/", views.survey_import, name="import"),
    path("org/<slug:slug>/importera/spara/", views.survey_import_commit, name="import_commit"),
]
