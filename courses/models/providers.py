"""Training providers: an agency's own unit, the provincial BPSDM, LAN, universities, private firms."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from tna.models import Agency, Unit


class ProviderKind(models.TextChoices):
    AGENCY_UNIT = "agency_unit", _("The agency's own unit")
    BPSDM = "bpsdm", _("Provincial BPSDM")
    LAN = "lan", _("LAN (National Institute of Public Administration)")
    MINISTRY = "ministry", _("Ministry or national agency")
    UNIVERSITY = "university", _("University")
    PRIVATE = "private", _("Private provider")
    OTHER = "other", _("Other")


class Provider(index.Indexed, models.Model):
    """Who delivers a course. Shared providers (LAN, a university) have no owning agency."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="providers",
        verbose_name=_("owning agency"),
        help_text=_("Empty for providers every agency may use (LAN, universities, national bodies)."),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit"),
        help_text=_("For the agency's own unit (for example the BKPSDM's training division)."),
    )
    website = models.URLField(_("website"), blank=True)
    accredited = models.BooleanField(
        _("accredited by LAN"), default=False,
        help_text=_("Accredited providers issue certificates that count for the national record."),
    )

    panels = [
        FieldPanel("name"), FieldPanel("kind"), FieldPanel("agency"), FieldPanel("unit"),
        FieldPanel("website"), FieldPanel("accredited"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("agency")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="courses_provider_name_unique_per_agency"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(agency__isnull=True), name="courses_provider_shared_name_unique"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ProviderKind.values), name="courses_provider_kind_valid"),
            models.CheckConstraint(
                condition=~models.Q(kind="agency_unit") | models.Q(agency__isnull=False),
                name="courses_provider_agency_unit_has_agency",
            ),
        ]

    def __str__(self):
        return self.name
