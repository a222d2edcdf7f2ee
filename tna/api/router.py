"""Viewsets of the tna API, collected by the site's router (cms.api)."""

from rest_framework.routers import SimpleRouter

from .gaps import GapViewSet
from .talent import TalentViewSet
from .views import CompetencyViewSet

router = SimpleRouter()
router.register("competencies", CompetencyViewSet, basename="competency")
router.register("gaps", GapViewSet, basename="gap")
router.register("talent", TalentViewSet, basename="talent")
