"""Write paths of the lms app."""
