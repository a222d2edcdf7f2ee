"""Signals of the tna app, for the apps to its right.

``results_published`` is sent once a TNA run's results are committed (``sender`` is ``TnaRun``,
``run`` the run): lms refreshes the recommendations of that cycle and scope from it. A failed
run sends nothing, since its results did not change.
"""

from django.dispatch import Signal

results_published = Signal()

#: Sent once a cycle's 9-box placements for an agency are committed (``sender`` is
#: ``TalentPlacement``; ``cycle`` and ``agency`` the models): lms writes the development plans.
talent_placed = Signal()
