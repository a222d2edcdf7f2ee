"""Registers the lms admin views with Wagtail; the views themselves live in lms.admin."""

from wagtail import hooks

from .admin import budget, duty, reaction


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [*duty.VIEWSETS, *reaction.VIEWSETS]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [*budget.ADMIN_URLS]


for _item in budget.MENU_ITEMS:
    hooks.register("register_admin_menu_item", _item)
