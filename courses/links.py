"""Where a course is shown on the public site: the site (cms) registers the resolver.

courses cannot import cms (the layers point the other way), yet calendars and the API link to
a course's public page. ``cms`` calls ``register_course_url`` with a function that finds the
agency's catalogue page; until then links are simply left out.
"""

from django.conf import settings

_resolver = None

#: The right-hand side of every calendar UID (``<session uuid>-<meeting>@<domain>``); keep it
#: fixed for the life of a deployment, or calendars would see new events.
CALENDAR_DOMAIN = getattr(settings, "LATIH_CALENDAR_DOMAIN", "latih")


def register_course_url(resolver):
    """Install ``resolver(course, request) -> absolute or site-relative URL or ''``."""
    global _resolver
    _resolver = resolver


def course_url(course, request=None):
    """The public page of ``course``, absolute when ``request`` is given; '' when unknown."""
    if _resolver is None:
        return ""
    url = _resolver(course, request) or ""
    if url and request is not None and url.startswith("/"):
        url = request.build_absolute_uri(url)
    return url
