"""REST API of the tna app."""
