"""HR's mentoring programme URLs, under ``/mentoring/programmes/`` (see lms.urls_mentoring)."""

from django.urls import path

from .views import mentoring_hr as views

urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("new/", views.programme_new, name="programme-new"),
    path("<int:pk>/", views.programme_detail, name="programme"),
    path("<int:pk>/edit/", views.programme_edit, name="programme-edit"),
    path("<int:pk>/match/", views.programme_match, name="programme-match"),
    path("<int:pk>/activate/", views.programme_activate, name="programme-activate"),
    path("<int:pk>/mentors/", views.offer_nominate_view, name="offer-nominate"),
    path("mentors/<int:offer_id>/remove/", views.offer_remove_view, name="offer-remove"),
    path("pairs/<int:pair_id>/lock/", views.pair_lock_view, name="pair-lock"),
    path("pairs/<int:pair_id>/veto/", views.pair_veto_view, name="pair-veto"),
    path("pairs/<int:pair_id>/activate/", views.pair_activate_view, name="pair-activate"),
    path("pairs/<int:pair_id>/end/", views.pair_end_view, name="pair-end"),
]
