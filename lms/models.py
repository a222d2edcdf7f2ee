"""Learning models."""
