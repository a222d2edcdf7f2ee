"""The site's REST router: one DefaultRouter collecting each app's viewsets."""

from rest_framework.routers import DefaultRouter

from courses.api.router import router as courses_router
from lms.api.router import router as lms_router
from tna.api.router import router as tna_router

router = DefaultRouter()
for app_router in (tna_router, courses_router, lms_router):
    router.registry.extend(app_router.registry)


def only_public_api(endpoints):
    """drf-spectacular hook: document the /api/v1/ endpoints only."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
