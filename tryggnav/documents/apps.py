from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tryggnav.documents"
    verbose_name = _("Lägesbild och åtgärdsplan enligt lag")
    nav_items = [(62, "documents:index", _("Lagens dokument"))]
