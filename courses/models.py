"""Catalogue models."""
