"""Receivers of the tna app."""
