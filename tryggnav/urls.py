from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from tryggnav import views
from tryggnav.api import api_urls

urlpatterns = [
    path(
        "administration/<slug:slug>/kommunoversikt/",
        views.municipality_overview,
        name="municipality_overview",
    ),
    path("", include("tryggnav.organisations.urls")),
    path("konto/api-nycklar/", include("tryggnav.organisations.token_urls")),
    path("omraden/", include("tryggnav.areas.urls")),
    path("handelser/", include("tryggnav.incidents.urls")),
    path("", include("tryggnav.incidents.feed_urls")),
    path("lagesbild/", include("tryggnav.lagesbild.urls")),
    path("undersokningar/", include("tryggnav.surveys.urls")),
    path("styrning/", include("tryggnav.steering.urls")),
    path("uppfoljning/", include("tryggnav.programmes.urls")),
    path("officiell-statistik/", include("tryggnav.official.urls")),
    path("trygghetsfond/", include("tryggnav.fund.urls")),
    path("lagdokument/", include("tryggnav.documents.urls")),
    path("brister/", include("tryggnav.inspections.urls")),
    path("open311/v2/", include("tryggnav.inspections.open311_urls")),
    path("", include("tryggnav.privacy.urls")),
    path("api/v1/", api_urls()),
    path("ogc/", include("tryggnav.ogc.urls")),
    path("notiser/", include("tryggnav.notifications.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("om/", views.about, name="about"),
    path("halsa/", views.health, name="health"),
]

handler400 = "tryggnav.views.bad_request"
handler403 = "tryggnav.views.permission_denied"
handler404 = "tryggnav.views.page_not_found"
handler500 = "tryggnav.views.server_error"
