"""URLs of checklists and scheduled checks, appended to the app's ``urls.py``."""

from django.urls import path

from tryggnav.inspections import checks_views as views

K = "kontroller/"
# The municipality's own organisation.
M = K + "kommun/<slug:slug>/"
T = M + "mallar/<uuid:public_id>/"
O = K + "objekt/<uuid:public_id>/"  # noqa: E741
I = K + "<uuid:public_id>/"  # noqa: E741

urlpatterns = [
    path(K, views.checks_index, name="checks"),
    path(M + "oversikt/", views.checks_overview_page, name="checks_overview"),
    path(M + "oversikt/diarium/", views.checks_overview_diarium, name="checks_overview_diarium"),
    path(
        M + "oversikt/<str:fmt>/", views.checks_overview_document, name="checks_overview_document"
    ),
    path(M + "mallar/", views.templates_list, name="check_templates"),
    path(T, views.template_detail, name="check_template"),
    path(T + "kopiera/", views.template_copy, name="check_template_copy"),
    path(T + "fraga/", views.template_question_add, name="check_question_add"),
    path(
        T + "fraga/<int:pk>/ta-bort/", views.template_question_remove, name="check_question_remove"
    ),
    path(T + "avveckla/", views.template_retire, name="check_template_retire"),
    path(M + "objekt/ny/", views.object_create, name="check_object_create"),
    path(O, views.object_detail, name="check_object"),
    path(O + "andra/", views.object_edit, name="check_object_edit"),
    path(O + "schema/ny/", views.schedule_create, name="check_schedule_create"),
    path(O + "schema/<int:schedule>/avsluta/", views.schedule_stop, name="check_schedule_stop"),
    path(O + "starta/<int:schedule>/", views.check_start, name="check_start"),
    path(I, views.check_detail, name="check"),
    path(I + "spara/", views.check_save, name="check_save"),
    path(I + "signera/", views.check_sign, name="check_sign"),
]
