"""Reads of the lms app, one module per area: enrollments, learning, delivery."""
