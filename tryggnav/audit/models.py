"""The audit log: who changed what, when, with old and new values. Append-only.

There is no delete path and no ordinary update path: the model and its queryset
refuse them, and on PostgreSQL a trigger refuses them too (migrations 0002 and
0003). The one exception is redaction (``tryggnav.audit.services.audit_redact``):
it may rewrite the text columns (who, object, note, changes) of existing entries,
never their time, action, actor id or object id, so that personal data can be
erased while the entry still says that something happened and by which user id.
References to users and organisations are kept without database constraints so
that the log outlives what it describes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


# The columns redaction may rewrite; the trigger (migration 0003) guards the rest.
REDACTABLE_FIELDS = {"actor_name", "object_repr", "changes", "note"}


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")

    def redact_text(self, **values: Any) -> int:
        """Rewrite text columns only; for ``tryggnav.audit.services.audit_redact`` alone."""
        if not set(values) <= REDACTABLE_FIELDS:
            raise AppendOnlyError("Only the text of audit entries can be redacted.")
        return super().update(**values)

    def for_organisation(self, organisation: Any) -> AuditQuerySet:
        return self.filter(organisation_id=organisation.pk)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Skapad")
        UPDATE = "update", _("Ändrad")
        DELETE = "delete", _("Borttagen")
        REVIEW = "review", _("Granskad")
        REJECT = "reject", _("Avvisad")
        MERGE = "merge", _("Sammanslagen")
        SHARE = "share", _("Delad")
        IMPORT = "import", _("Importerad")
        EXPORT = "export", _("Exporterad")
        LOGIN = "login", _("Inloggning")
        LOGOUT = "logout", _("Utloggning")
        LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
        LOGIN_THROTTLED = "login_throttled", _("Inloggning bromsad")
        PASSWORD_RESET = "password_reset", _("Nytt lösenord begärt")
        PASSWORD_SET = "password_set", _("Nytt lösenord satt")
        SWITCH = "switch", _("Bytt organisation")
        TOKEN_USE = "token_use", _("API-nyckel använd")
        OTHER = "other", _("Annat")

    at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vem"),
    )
    actor_name = models.CharField(_("vem"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("händelse"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("objekttyp"), max_length=100, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("objekt"), max_length=300)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    note = models.TextField(_("kommentar"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("loggposter")
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")
