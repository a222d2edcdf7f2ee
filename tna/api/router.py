"""Viewsets of the tna API, collected by the site's router (cms.api)."""

from rest_framework.routers import SimpleRouter

from .views import CompetencyViewSet

router = SimpleRouter()
router.register("competencies", CompetencyViewSet, basename="competency")
