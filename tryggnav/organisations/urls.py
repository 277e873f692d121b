from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tryggnav.organisations import admin_views, geography_admin_views, oidc, views

app_name = "organisations"

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/logga-in/", views.login, name="login"),
    path("konto/logga-ut/", views.logout, name="logout"),
    # Sign-in with the OpenID Connect provider (oidc.py); 404 when none is configured.
    path("konto/oidc/logga-in/", oidc.oidc_start, name="oidc_start"),
    path("konto/oidc/svar/", oidc.oidc_callback, name="oidc_callback"),
    path("konto/tvastegs/", views.second_factor_verify, name="second_factor_verify"),
    path("konto/tvastegs/ny/", views.second_factor_enrol, name="second_factor_enrol"),
    path(
        "konto/losenord/aterstall/",
        views.PasswordResetView.as_view(
            template_name="organisations/password_reset_form.html",
            email_template_name="organisations/password_reset_email.txt",
            subject_template_name="organisations/password_reset_subject.txt",
            success_url=reverse_lazy("organisations:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "konto/losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="organisations/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/nytt/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="organisations/password_reset_confirm.html",
            success_url=reverse_lazy("organisations:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="organisations/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("konto/inbjudan/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("byt-organisation/", views.switch_organisation, name="switch"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="detail"),
    path("organisationer/<slug:slug>/bjud-in/", views.organisation_invite, name="invite"),
    path(
        "organisationer/<slug:slug>/medlemmar/<uuid:member>/",
        views.membership_update,
        name="membership_update",
    ),
    path("organisationer/<slug:slug>/logg/", views.audit_log, name="audit_log"),
    path("grupper/<slug:slug>/", views.group_detail, name="group"),
    # The municipality's administration (admin_views.py); <slug> is the municipality's
    # own organisation, whose admins administer it.
    path("administration/<slug:slug>/", admin_views.index, name="admin_index"),
    path(
        "administration/<slug:slug>/organisationer/",
        admin_views.organisations,
        name="admin_organisations",
    ),
    path(
        "administration/<slug:slug>/organisationer/<slug:org>/",
        admin_views.organisation_edit,
        name="admin_organisation_edit",
    ),
    path(
        "administration/<slug:slug>/organisationer/<slug:org>/aktiv/",
        admin_views.organisation_active,
        name="admin_organisation_active",
    ),
    path("administration/<slug:slug>/personer/", admin_views.people, name="admin_people"),
    path(
        "administration/<slug:slug>/personer/<uuid:member>/",
        admin_views.person_update,
        name="admin_person_update",
    ),
    path("administration/<slug:slug>/grupper/", admin_views.groups, name="admin_groups"),
    path(
        "administration/<slug:slug>/grupper/<slug:group>/",
        admin_views.group,
        name="admin_group",
    ),
    path(
        "administration/<slug:slug>/grupper/<slug:group>/medlemmar/",
        admin_views.group_members,
        name="admin_group_members",
    ),
    path(
        "administration/<slug:slug>/grupper/<slug:group>/omraden/",
        admin_views.group_areas,
        name="admin_group_areas",
    ),
    path("administration/<slug:slug>/omraden/", geography_admin_views.areas, name="admin_areas"),
    path(
        "administration/<slug:slug>/omraden/fil/<uuid:upload>/",
        geography_admin_views.area_preview,
        name="admin_area_preview",
    ),
    path(
        "administration/<slug:slug>/omraden/fil/<uuid:upload>/karta.geojson",
        geography_admin_views.area_preview_geojson,
        name="admin_area_preview_geojson",
    ),
    path(
        "administration/<slug:slug>/omraden/fil/<uuid:upload>/importera/",
        geography_admin_views.area_confirm,
        name="admin_area_confirm",
    ),
    path(
        "administration/<slug:slug>/omraden/<int:area>/namn/",
        geography_admin_views.area_rename,
        name="admin_area_rename",
    ),
    path(
        "administration/<slug:slug>/omraden/<int:area>/avveckla/",
        geography_admin_views.area_retire,
        name="admin_area_retire",
    ),
    path("administration/<slug:slug>/platser/", geography_admin_views.places, name="admin_places"),
    path(
        "administration/<slug:slug>/platser/importera/",
        geography_admin_views.places_import,
        name="admin_places_import",
    ),
    path(
        "administration/<slug:slug>/kartbakgrund/",
        geography_admin_views.map_tiles,
        name="admin_map_tiles",
    ),
    path(
        "administration/<slug:slug>/samordningsfunktion/",
        admin_views.coordination,
        name="admin_coordination",
    ),
]
