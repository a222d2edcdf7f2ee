"""Viewsets of the catalogue API, collected by the site's router (cms.api)."""

from rest_framework.routers import SimpleRouter

from .views import CourseViewSet, SessionViewSet

router = SimpleRouter()
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
