"""Learning: recommendations, enrollment, scheduling, calendars, JP ledger, budgets, evaluation."""
