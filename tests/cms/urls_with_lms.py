"""The site's URLs without lms (``urls_without_lms``) and with a stand-in for its enrollment-request view.

The course page must work whether or not lms is installed; these URLconfs let the tests say which.
"""

from django.http import HttpResponse
from django.urls import include, path

from cms.urls import urlpatterns as site_urlpatterns

without_lms = [p for p in site_urlpatterns if getattr(p, "namespace", None) != "lms"]
lms_patterns = (
    [path("enrol/<int:session_id>/", lambda request, session_id: HttpResponse(), name="enrollment-request")], "lms",
)
urlpatterns = [path("lms/", include(lms_patterns)), *without_lms]
