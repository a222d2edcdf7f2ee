"""The site's URLs with the scheduling pages inside the ``lms`` namespace, as the lead will include them."""

from django.urls import include, path

from cms.urls import urlpatterns as site_urlpatterns

others = [p for p in site_urlpatterns if getattr(p, "namespace", None) != "lms"]
lms_patterns = ([path("", include("lms.urls")), path("", include("lms.urls_scheduling"))], "lms")
urlpatterns = [path("learning/", include(lms_patterns)), *others]
