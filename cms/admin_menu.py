"""Admin menu entries that take an agency's staff straight to their own catalogue and career pages.

They have no page-explorer rights (cms.page_permissions), so the explorer would not show these
pages; the menu items link to each page's edit view instead, and are shown only to someone
who may edit it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from tna.roles import user_agency


class AgencyPageMenuItem(MenuItem):
    def __init__(self, label, model_name, **kwargs):
        super().__init__(label, "", **kwargs)
        self.model_name = model_name

    def page_for(self, request):
        from django.apps import apps

        cache = request.__dict__.setdefault("_latih_agency_pages", {})
        if self.model_name not in cache:
            agency = user_agency(request.user)
            model = apps.get_model("cms", self.model_name)
            page = model.objects.filter(agency=agency).first() if agency else None
            cache[self.model_name] = page if page and page.permissions_for_user(request.user).can_edit() else None
        return cache[self.model_name]

    def is_shown(self, request):
        return not request.user.is_superuser and self.page_for(request) is not None

    def render_component(self, request):
        page = self.page_for(request)
        return LinkMenuItem(self.name, self.label, reverse("wagtailadmin_pages:edit", args=[page.pk]),
                            icon_name=self.icon_name, classname=self.classname, attrs=self.attrs)


def agency_pages_menu_item():
    return SubmenuMenuItem(
        _("Our pages"),
        Menu(items=[
            AgencyPageMenuItem(_("Catalogue page"), "CataloguePage", icon_name="doc-full-inverse", order=100),
            AgencyPageMenuItem(_("Career information page"), "CareerInfoPage", icon_name="doc-full", order=200),
        ]),
        icon_name="site", order=240,
    )
