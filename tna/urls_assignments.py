"""URLs for project assignments entered by supervisors (docs/imports.md#assignments for the file route)."""

from django.urls import path

from .views import assignments

urlpatterns = [
    path("evidence/<int:year>/projects/", assignments.assignments_team, name="assignments"),
    path("evidence/<int:year>/projects/<str:nip>/", assignments.assignments_person, name="assignments_person"),
    path("evidence/<int:year>/projects/<str:nip>/<int:pk>/", assignments.assignments_edit, name="assignments_edit"),
    path("evidence/<int:year>/projects/<str:nip>/<int:pk>/delete/", assignments.assignments_delete,
         name="assignments_delete"),
]
