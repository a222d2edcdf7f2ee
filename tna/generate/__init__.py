"""Generators of demo and benchmark data: a workforce per agency and a cycle's evidence."""
