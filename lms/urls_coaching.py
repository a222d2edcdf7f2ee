"""Coaching URLs (see lms.urls_mentoring): the supervisor's page, recording, changing and deleting a
conversation, and the coached person's own page."""

from django.urls import path

from .views import coaching

urlpatterns = [
    path("", coaching.team, name="coaching"),
    path("new/<str:nip>/", coaching.new, name="coaching-new"),
    path("<int:pk>/edit/", coaching.edit, name="coaching-edit"),
    path("<int:pk>/delete/", coaching.delete, name="coaching-delete"),
    path("mine/", coaching.mine, name="coaching-mine"),
]
