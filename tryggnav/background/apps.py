from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "tryggnav.background"
