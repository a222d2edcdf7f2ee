"""Registers the site's admin menu entries; they live in cms.admin_menu."""

from wagtail import hooks

from .admin_menu import agency_pages_menu_item


@hooks.register("register_admin_menu_item")
def register_agency_pages_menu():
    return agency_pages_menu_item()
