"""Template tags of the lms app."""
