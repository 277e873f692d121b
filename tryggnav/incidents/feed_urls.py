from django.urls import path

from tryggnav.incidents import feed_views

app_name = "police_feed"

# Beside the municipality's other administration pages (organisations/urls.py).
urlpatterns = [
    path("administration/<slug:slug>/polisens-flode/", feed_views.police_feed, name="settings"),
]
