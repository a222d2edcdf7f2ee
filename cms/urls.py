"""URLs of the Latih site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tna import urls as tna_urls
from tna.infra.api import NotFoundView

from . import health, language, views
from .api import router

urlpatterns = [
    # Load balancers' probes (production answers them in cms.health.HealthCheckMiddleware first).
    path("healthz/", health.liveness, name="healthz"),
    path("readyz/", health.readiness, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("beranda/", views.home, name="home"),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("tna.api.urls")),
    path("api/v1/", include("lms.api.urls")),
    # Anything else under the API answers a JSON 404, as the API's own refusals do.
    re_path(r"^api/v1/", NotFoundView.as_view()),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("catalogue/", include("courses.urls")),
    path("learning/", include("lms.urls")),
    path("karier/", include("lms.urls_career")),
    path("mentoring/", include("lms.urls_mentoring")),
    path("", include(tna_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "LATIH_SERVE_MEDIA", False):
    # The demo runs without debug (no debug pages) on one machine, with nobody else to serve uploads.
    from django.views.static import serve

    urlpatterns += [re_path(r"^%s(?P<path>.*)$" % settings.MEDIA_URL.lstrip("/"), serve,
                            {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]
