"""Mentoring URLs (see lms.urls_mentoring)."""

urlpatterns = []
