"""Page models of the Latih site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: what Latih offers and where to go next."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from tna.models import Agency

        context = super().get_context(request, *args, **kwargs)
        context["agencies"] = Agency.objects.annotate(staff=models.Count("employees")).order_by("name")
        return context
