"""Site URLs of the planner's scheduling pages (include under the ``lms`` namespace)."""

from django.urls import path

from .views import scheduling

urlpatterns = [
    path("scheduling/", scheduling.runs, name="schedule-runs"),
    path("scheduling/<int:pk>/", scheduling.run_detail, name="schedule-run"),
    path("scheduling/<int:pk>/rerun/", scheduling.rerun, name="schedule-rerun"),
    path("scheduling/<int:pk>/publish/", scheduling.publish, name="schedule-publish"),
    path("scheduling/classes/<int:pk>/move/", scheduling.class_move, name="schedule-class-move"),
    path("scheduling/classes/<int:pk>/lock/", scheduling.class_lock, name="schedule-class-lock"),
]
