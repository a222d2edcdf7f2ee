"""The lms REST API: enrollments, recommendations and the learning record."""
