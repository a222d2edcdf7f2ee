"""The demo's lms data for one agency: a quarter of training history, today's work, budgets, a schedule.

Everything goes through the lms and courses services, at the moment it would have happened
(``clock.replay``), relative to the agency's today and seeded by its code: two runs on the same
day write the same data, and a second run writes nothing. ``training`` tells the sessions'
stories; ``planning`` sets the year's envelopes, draws plans and runs the scheduler.
"""
