"""Mentoring URLs of the people themselves (see lms.urls_mentoring): my mentoring, a pair's page and its closing
feedback, offering to mentor and applying for a mentor."""

from django.urls import path

from .views import mentoring

urlpatterns = [
    path("", mentoring.mine, name="mine"),
    path("pairs/<int:pair_id>/", mentoring.pair, name="pair"),
    path("pairs/<int:pair_id>/feedback/", mentoring.feedback, name="feedback"),
    path("join/<int:programme_id>/mentor/", mentoring.offer, name="offer"),
    path("offers/<int:offer_id>/withdraw/", mentoring.offer_withdraw_view, name="offer-withdraw"),
    path("join/<int:programme_id>/mentee/", mentoring.apply, name="apply"),
    path("applications/<int:application_id>/withdraw/", mentoring.application_withdraw_view,
         name="application-withdraw"),
]
