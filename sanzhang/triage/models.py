"""A county's triage model (分流模型): a classifier fitted on the county's own confirmed issues,
one row per version, so a retraining never changes a model in use under a request."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.places.models import Place


class TriageModel(models.Model):
    """One fitted version of a county's triage: category, tier and, for hard issues, the lead
    department, learned from what people confirmed. The pipeline is our own, serialised with
    joblib; only the worker writes it."""

    county = models.ForeignKey(
        Place, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    trained_at = models.DateTimeField(_("trained at"))
    samples = models.PositiveIntegerField(_("confirmed issues learned from"))
    hard_samples = models.PositiveIntegerField(_("hard issues with a lead department"))
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    pipeline = models.BinaryField(_("fitted pipeline"))

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["county", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county", "version"], name="triage_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.county_id} v{self.version}"
