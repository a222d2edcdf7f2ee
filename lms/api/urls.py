"""Non-router lms API paths (the me/ endpoints), one list per area."""

from . import budget, delivery, enrollments, learning

urlpatterns = [*enrollments.urlpatterns, *learning.urlpatterns, *delivery.urlpatterns, *budget.urlpatterns]
