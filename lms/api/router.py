"""Viewsets of the lms API, collected by the site's router (cms.api)."""

from rest_framework.routers import SimpleRouter

from . import budget, delivery, enrollments, evaluations, learning, mentoring

router = SimpleRouter()
for area in (enrollments, learning, delivery, budget, evaluations, mentoring):
    area.register(router)
