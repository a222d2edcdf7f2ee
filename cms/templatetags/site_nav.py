"""Navigation helpers for the site layout."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_nav_url(context):
    """The signed-in user's agency catalogue, else the list of agencies on the home page."""
    from tna.roles import user_agency

    from ..models import CataloguePage

    request = context.get("request")
    agency = user_agency(getattr(request, "user", None))
    if agency is not None:
        page = CataloguePage.objects.live().filter(agency=agency).first()
        if page is not None:
            return page.get_url(request)
    return "/#katalog"


@register.simple_tag
def user_roles(user):
    """The Latih roles the user holds, as a set of names (superusers hold them all)."""
    from tna.roles import has_role

    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for role in ("asn", "supervisor", "training_admin", "planner") if has_role(user, role)}
