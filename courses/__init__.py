"""The training catalogue: providers, courses, their competency targets, and sessions."""
