"""The site's URLs as they are without lms installed."""

from .urls_with_lms import without_lms as urlpatterns  # noqa: F401
