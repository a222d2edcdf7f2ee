"""Registers the site's admin menu entries, admin URLs and dashboard panels; they are built in
cms.admin_menu, cms.security_admin and cms.dashboard."""

from wagtail import hooks

from .admin_menu import agency_pages_menu_item
from .dashboard import add_work_panels
from .security_admin import admin_urls as security_admin_urls
from .security_admin import security_menu_item


@hooks.register("register_admin_menu_item")
def register_agency_pages_menu():
    return agency_pages_menu_item()


@hooks.register("register_admin_urls")
def register_security_urls():
    return security_admin_urls()


@hooks.register("register_admin_menu_item")
def register_security_menu():
    return security_menu_item()


# The work waiting for training admins and planners, on the dashboard (components in cms.dashboard).
hooks.register("construct_homepage_panels", add_work_panels)
