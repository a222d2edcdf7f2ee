"""Site URLs of the lms enrollment area: requests, approvals, invitation replies, the personal feed."""

from django.urls import path

from . import feeds
from .views import enrollment

urlpatterns = [
    path("sessions/<int:session_id>/enrol/", enrollment.request_seat, name="enrollment-request"),
    path("enrollments/", enrollment.my_enrollments, name="enrollment-list"),
    path("enrollments/<int:pk>/", enrollment.detail, name="enrollment-detail"),
    path("enrollments/<int:pk>/cancel/", enrollment.cancel, name="enrollment-cancel"),
    path("approvals/", enrollment.approvals, name="enrollment-approvals"),
    path("approvals/<int:pk>/approve/", enrollment.approve, name="enrollment-approve"),
    path("approvals/<int:pk>/reject/", enrollment.reject, name="enrollment-reject"),
    path("invitation/<str:token>/", enrollment.rsvp, name="enrollment-rsvp"),
    path("calendar/", feeds.calendar_token, name="calendar-token"),
    path("calendar/<str:token>.ics", feeds.personal_feed, name="calendar-feed"),
]
