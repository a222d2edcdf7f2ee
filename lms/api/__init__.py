"""The lms REST API: serializers, filters, permissions, and one module of views per area.

Areas: enrollments, learning, delivery, budget; ``router.py`` and ``urls.py`` collect them.
"""
