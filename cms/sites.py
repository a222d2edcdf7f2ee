"""Which Wagtail site a request is for, kept in the cache instead of asked of the database on every page.

Wagtail answers ``Site.find_for_request`` with a query ordered by a CASE over hostname, port
and the default flag: about 2 ms of a signed-in catalogue page's 12 ms. The answer depends only
on the request's host and port and on the sites, which change a few times in a site's life, so
``SiteMiddleware`` keeps it per (host, port) under one key: any change to a site, or to a page at
the top of the tree (a site's root), drops the key. In a shared cache (``LATIH_CACHE_URL``)
that shows on every process at once; a process-local cache is dropped only in the process that
made the change, so others may route by the old sites (and show the old home page) for up to
``SITES_TIMEOUT``. The same key holds whether any page is private at all (``any_view_restrictions``).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site

SITES_KEY = "latih:sites"
RESTRICTED = "restricted"  # the key in SITES_KEY's dict of whether any page is private
SITES_TIMEOUT = 300  # seconds


def site_for_request(request):
    """The Site ``request`` is for (or None), as Wagtail would find it, from the cache when it holds it.

    Its root page comes as its own type (the home page), which Wagtail's routing would otherwise
    read again on every request.
    """
    where = (request._get_raw_host(), request.get_port())  # Wagtail's own inputs, before ALLOWED_HOSTS
    known = cache.get(SITES_KEY) or {}
    if where in known:
        return known[where]
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    known = {**known, where: site}
    if len(known) <= 100:  # host names are few; a flood of made-up ones is not kept
        cache.set(SITES_KEY, known, SITES_TIMEOUT)
    return site


def any_view_restrictions():
    """Whether any page of any site is private (a PageViewRestriction exists), from the cache.

    Most Latih sites have none; their pages then skip Wagtail's two queries per request that look
    for restrictions on the page and its ancestors (``LatihPageMixin``).
    """
    known = cache.get(SITES_KEY) or {}
    if RESTRICTED in known:
        return known[RESTRICTED]
    restricted = PageViewRestriction.objects.exists()
    cache.set(SITES_KEY, {**known, RESTRICTED: restricted}, SITES_TIMEOUT)
    return restricted


def sites_changed(sender, instance=None, **kwargs):
    if sender in (Site, PageViewRestriction) or (isinstance(instance, Page) and (instance.depth or 99) <= 2):
        cache.delete(SITES_KEY)


def connect_site_signals():
    # From every sender: page signals are sent with the concrete page type, not Page.
    for signal in (post_save, post_delete):
        signal.connect(sites_changed, dispatch_uid="latih-sites-%s" % id(signal))


# Addresses that never need the site: the API routes no pages, and a liveness probe must answer
# without the database (cms.health).
WITHOUT_SITE = ("/api/", "/healthz", "/readyz", "/static/")


class SiteMiddleware:
    """Sets the request's Wagtail site (``request._wagtail_site``, which ``Site.find_for_request``
    reads first) from the cache, except for ``WITHOUT_SITE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(WITHOUT_SITE):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
