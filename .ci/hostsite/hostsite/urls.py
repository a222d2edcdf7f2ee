"""URLs of the host site: Wagtail's, then Latih's pages and one API router for its three apps."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.api.router import router as courses_router
from lms.api.router import router as lms_router
from tna.api.router import router as tna_router

api = DefaultRouter()
for app_router in (tna_router, courses_router, lms_router):
    api.registry.extend(app_router.registry)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include(api.urls)),
    path("api/v1/", include("tna.api.urls")),
    path("api/v1/", include("lms.api.urls")),
    path("catalogue/", include("courses.urls")),
    path("learning/", include("lms.urls")),
    path("", include("tna.urls")),
    path("", include(wagtail_urls)),
]
