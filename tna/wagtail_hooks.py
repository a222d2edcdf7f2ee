"""Registers the tna admin views with Wagtail; the views themselves live in tna.admin."""

from wagtail import hooks

from .admin import analysis, imports, organisation


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [*organisation.VIEWSETS, *imports.VIEWSETS, *analysis.VIEWSETS]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [*organisation.ADMIN_URLS, *imports.ADMIN_URLS, *analysis.ADMIN_URLS]


# Each admin module may list hook functions returning MenuItems.
for _module in (organisation, imports, analysis):
    for _item in getattr(_module, "MENU_ITEMS", []):
        hooks.register("register_admin_menu_item", _item)
